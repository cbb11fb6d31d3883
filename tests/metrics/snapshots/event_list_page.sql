SELECT event_id, name, customer_id, partner_id, ts, received_at, source, properties
FROM events
WHERE (tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)}) AND ((ts >= {p0:DateTime64(3, 'UTC')}) AND (ts < {p1:DateTime64(3, 'UTC')}) AND (name IN {p2:Array(String)}) AND ((JSONType(properties, {p3:String}, {p4:String}) = {p5:String}) AND (JSONExtractString(properties, {p3:String}, {p4:String}) = {p6:String})) AND (tuple(ts, event_id, customer_id) < tuple({p7:DateTime64(3, 'UTC')}, {p8:String}, {p9:String})))
ORDER BY ts DESC, event_id DESC, customer_id DESC
LIMIT {p10:UInt32}

-- parameters
-- tenant = "ten_snap"
-- scope_partners = ["ptn_a", "ptn_a1"]
-- p0 = "2025-10-19 04:00:00+00:00"
-- p1 = "2025-11-02 04:00:00+00:00"
-- p2 = ["purchase"]
-- p3 = "plan"
-- p4 = "tier"
-- p5 = "String"
-- p6 = "enterprise"
-- p7 = "2025-10-30 08:00:00+00:00"
-- p8 = "evt_9"
-- p9 = "cus_1"
-- p10 = 51
