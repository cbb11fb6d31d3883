SELECT toUnixTimestamp(toStartOfHour(ts, {p0:String})) AS bucket, grouping(bucket) AS grouping_set, sumIf(JSONExtractFloat(properties, {p1:String}), JSONType(properties, {p1:String}) IN {p2:Array(String)}) AS value, countIf(NOT (JSONType(properties, {p1:String}) IN {p2:Array(String)})) AS skipped
FROM events
WHERE (tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)}) AND (((ts >= {p3:DateTime64(3, 'UTC')}) AND (ts < {p4:DateTime64(3, 'UTC')})) AND ((((JSONType(properties, {p5:String}, {p6:String}) = {p7:String}) AND (JSONExtractString(properties, {p5:String}, {p6:String}) IN {p8:Array(String)})) AND ((JSONType(properties, {p1:String}) IN {p2:Array(String)}) AND (JSONExtractFloat(properties, {p1:String}) >= {p9:Float64}))) OR (((JSONType(properties, {p10:String}) = {p11:String}) AND (JSONExtractBool(properties, {p10:String}) = {p12:UInt8})) AND (NOT (JSONHas(properties, {p13:String})))) OR ((NOT (((JSONType(properties, {p14:String}) = {p7:String}) AND (JSONExtractString(properties, {p14:String}) = {p15:String})) OR ((JSONType(properties, {p14:String}) IN {p2:Array(String)}) AND (JSONExtractFloat(properties, {p14:String}) = {p16:Float64})) OR ((JSONHas(properties, {p14:String})) AND (JSONType(properties, {p14:String}) = {p17:String})))) AND ((JSONType(properties, {p18:String}) = {p7:String}) AND (position(JSONExtractString(properties, {p18:String}), {p19:String}) > {p20:UInt8})))))
GROUP BY GROUPING SETS ((), (bucket))

-- parameters
-- tenant = "ten_snap"
-- scope_partners = ["ptn_a", "ptn_a1"]
-- p0 = "Europe/Berlin"
-- p1 = "seats"
-- p2 = ["Int64", "UInt64", "Double"]
-- p3 = "2025-11-01 23:00:00+00:00"
-- p4 = "2025-11-02 23:00:00+00:00"
-- p5 = "plan"
-- p6 = "tier"
-- p7 = "String"
-- p8 = ["enterprise", "pro"]
-- p9 = 5.0
-- p10 = "trial"
-- p11 = "Bool"
-- p12 = 1
-- p13 = "coupon"
-- p14 = "region"
-- p15 = "apac"
-- p16 = 7.0
-- p17 = "Null"
-- p18 = "note"
-- p19 = "vip"
-- p20 = 0
