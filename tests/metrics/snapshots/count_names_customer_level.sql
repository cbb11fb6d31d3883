SELECT count() AS value
FROM events
WHERE (tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)}) AND (customer_id = {scope_customer:String}) AND (((ts >= {p0:DateTime64(3, 'UTC')}) AND (ts < {p1:DateTime64(3, 'UTC')})) AND (name IN {p2:Array(String)}))

-- parameters
-- tenant = "ten_snap"
-- scope_partners = ["ptn_a1"]
-- scope_customer = "cus_1"
-- p0 = "2025-09-30 22:00:00+00:00"
-- p1 = "2025-10-31 23:00:00+00:00"
-- p2 = ["signup", "activation"]
