SELECT (ts >= {p0:DateTime64(3, 'UTC')}) AS is_current, count() AS value
FROM events
WHERE (tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)}) AND ((((ts >= {p1:DateTime64(3, 'UTC')}) AND (ts < {p2:DateTime64(3, 'UTC')})) OR ((ts >= {p0:DateTime64(3, 'UTC')}) AND (ts < {p3:DateTime64(3, 'UTC')}))) AND (NOT ((JSONType(properties, {p4:String}, {p5:String}) = {p6:String}) AND (JSONExtractString(properties, {p4:String}, {p5:String}) = {p7:String}))) AND ((JSONType(properties, {p8:String}) IN {p9:Array(String)}) AND (JSONExtractFloat(properties, {p8:String}) < {p10:Float64})))
GROUP BY is_current

-- parameters
-- tenant = "ten_snap"
-- scope_partners = ["ptn_a", "ptn_a1"]
-- p0 = "2025-10-31 23:00:00+00:00"
-- p1 = "2025-09-30 22:00:00+00:00"
-- p2 = "2025-10-03 14:45:00+00:00"
-- p3 = "2025-11-03 15:45:00+00:00"
-- p4 = "plan"
-- p5 = "tier"
-- p6 = "String"
-- p7 = "free"
-- p8 = "amount"
-- p9 = ["Int64", "UInt64", "Double"]
-- p10 = 100.0
