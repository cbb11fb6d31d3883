SELECT toStartOfQuarter(toDate(ts, {p0:String})) AS bucket, grouping(bucket) AS grouping_set, count() AS value
FROM events
WHERE (tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)}) AND ((ts >= {p1:DateTime64(3, 'UTC')}) AND (ts < {p2:DateTime64(3, 'UTC')}))
GROUP BY GROUPING SETS ((), (bucket))

-- parameters
-- tenant = "ten_snap"
-- scope_partners = ["ptn_a", "ptn_a1"]
-- p0 = "Europe/Berlin"
-- p1 = "2025-01-01 00:00:00+00:00"
-- p2 = "2025-07-01 00:00:00+00:00"
