SELECT uniqExactIf(multiIf(JSONType(properties, {p0:String}, {p1:String}) = {p2:String}, concat({p3:String}, JSONExtractString(properties, {p0:String}, {p1:String})), JSONType(properties, {p0:String}, {p1:String}) IN {p4:Array(String)}, concat({p5:String}, toString(plus(JSONExtractFloat(properties, {p0:String}, {p1:String}), {p6:Float64}))), JSONType(properties, {p0:String}, {p1:String}) = {p7:String}, concat({p8:String}, toString(JSONExtractBool(properties, {p0:String}, {p1:String}))), concat({p9:String}, JSONExtractRaw(properties, {p0:String}, {p1:String}))), JSONType(properties, {p0:String}, {p1:String}) != {p10:String}) AS value
FROM events
WHERE (tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)}) AND ((ts >= {p11:DateTime64(3, 'UTC')}) AND (ts < {p12:DateTime64(3, 'UTC')}))

-- parameters
-- tenant = "ten_snap"
-- scope_partners = ["ptn_a", "ptn_a1"]
-- p0 = "plan"
-- p1 = "tier"
-- p2 = "String"
-- p3 = "s:"
-- p4 = ["Int64", "UInt64", "Double"]
-- p5 = "n:"
-- p6 = 0.0
-- p7 = "Bool"
-- p8 = "b:"
-- p9 = "j:"
-- p10 = "Null"
-- p11 = "2025-09-30 22:00:00+00:00"
-- p12 = "2025-10-31 23:00:00+00:00"
