SELECT (ts >= {p0:DateTime64(3, 'UTC')}) AS is_current, toDate(ts, {p1:String}) AS bucket, grouping(bucket) AS grouping_set, sumIf(JSONExtractFloat(properties, {p2:String}), JSONType(properties, {p2:String}) IN {p3:Array(String)}) AS value, countIf(NOT (JSONType(properties, {p2:String}) IN {p3:Array(String)})) AS skipped
FROM events
WHERE (tenant_id = {tenant:String}) AND (((ts >= {p4:DateTime64(3, 'UTC')}) AND (ts < {p5:DateTime64(3, 'UTC')})) AND (name IN {p6:Array(String)}))
GROUP BY GROUPING SETS ((is_current), (is_current, bucket))

-- parameters
-- tenant = "ten_snap"
-- p0 = "2025-09-30 22:00:00+00:00"
-- p1 = "Europe/Berlin"
-- p2 = "amount"
-- p3 = ["Int64", "UInt64", "Double"]
-- p4 = "2025-08-31 22:00:00+00:00"
-- p5 = "2025-10-31 23:00:00+00:00"
-- p6 = ["purchase"]
