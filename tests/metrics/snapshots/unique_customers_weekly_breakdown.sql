SELECT subtractDays(toDate(ts, {p0:String}), modulo(plus(toDayOfWeek(toDate(ts, {p0:String})), {p1:UInt8}), {p2:UInt8})) AS bucket, partner_id AS partner, grouping(bucket, partner) AS grouping_set, uniqExact(customer_id) AS value
FROM events
WHERE (tenant_id = {tenant:String}) AND (((ts >= {p3:DateTime64(3, 'UTC')}) AND (ts < {p4:DateTime64(3, 'UTC')})) AND (name IN {p5:Array(String)}))
GROUP BY GROUPING SETS ((), (bucket), (partner))

-- parameters
-- tenant = "ten_snap"
-- p0 = "Europe/Berlin"
-- p1 = 6
-- p2 = 7
-- p3 = "2025-09-30 22:00:00+00:00"
-- p4 = "2025-10-31 23:00:00+00:00"
-- p5 = ["usage"]
