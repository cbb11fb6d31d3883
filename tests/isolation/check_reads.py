"""Directory reads and metric definition reads as any principal, against the oracle."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from partneros.metrics.v1 import metrics_pb2 as mpb

from tests.isolation.oracle import UNKNOWN_CUSTOMER, UNKNOWN_PARTNER, subtree, visible_partners
from tests.isolation.probe import Probe, normalised_error
from tests.isolation.world import Actor

__all__ = ["check_partner_reads", "check_customer_reads", "check_identity_reads", "check_metric_reads",
           "check_directory_token_replay", "UNKNOWN_METRIC"]

UNKNOWN_METRIC = "met_00000000deadbeef"


def _refused_reader(probe: Probe, actor: Actor, request, outcome) -> bool:  # noqa: ANN001
    """Revoked keys are nobody; machine keys read nothing of the directory, metrics or dashboards."""
    if actor.revoked or actor.kind == "key":
        probe.expect_error(actor, request, outcome, "UNAUTHENTICATED" if actor.revoked else "PERMISSION_DENIED")
        return True
    return False


def _same_as_unknown(probe: Probe, actor: Actor, request, outcome, named: str, call, unknown_id: str) -> None:  # noqa: ANN001
    other = call(unknown_id)
    probe.expect(not outcome.ok and normalised_error(outcome, named) == normalised_error(other, unknown_id), actor,
                 request, outcome, f"refusal differs from that of an id nobody has: {other.describe()}")


def check_partner_reads(probe: Probe, actor: Actor, target: tuple[str, str] | None, parent: tuple[str, str] | None) -> None:
    """ListPartners (optionally under a parent) and GetPartner of one target."""
    world = probe.world
    t = world.tenant_of(actor)
    visible = visible_partners(world, actor)
    parent_id = world.tenants[parent[0]].partners[parent[1]] if parent else ""
    request = pb.ListPartnersRequest(page_size=1000, parent_id=parent_id)
    outcome = probe.call(actor, "directory", "ListPartners", request)
    if _refused_reader(probe, actor, request, outcome):
        return
    if parent_id and parent_id not in visible:
        probe.expect_error(actor, request, outcome, "NOT_FOUND", "PARTNER_NOT_FOUND")
    else:
        want = {p for p in visible if not parent_id or t.parents.get(p) == parent_id}
        got = {p.id for p in outcome.response.partners}
        probe.expect(got == want, actor, request, outcome, f"listed partners {len(got)} != visible {len(want)}")
    target_id = world.tenants[target[0]].partners[target[1]] if target else UNKNOWN_PARTNER

    def get(pid: str):  # noqa: ANN202
        return probe.call(actor, "directory", "GetPartner", pb.GetPartnerRequest(partner_id=pid))

    request = pb.GetPartnerRequest(partner_id=target_id)
    outcome = get(target_id)
    if target_id in visible:
        probe.expect(outcome.ok and outcome.response.id == target_id, actor, request, outcome, "visible partner refused")
    else:
        probe.expect_error(actor, request, outcome, "NOT_FOUND", "PARTNER_NOT_FOUND")
        _same_as_unknown(probe, actor, request, outcome, target_id, get, UNKNOWN_PARTNER)


def check_customer_reads(probe: Probe, actor: Actor, target: tuple[str, str] | None,
                         under: tuple[str, str] | None, query: str) -> None:
    """ListCustomers (under a partner, matching a text that also matches the other tenant's
    customers) and GetCustomer of one target."""
    world = probe.world
    t = world.tenant_of(actor)
    visible = visible_partners(world, actor)
    under_id = world.tenants[under[0]].partners[under[1]] if under else ""
    request = pb.ListCustomersRequest(page_size=1000, partner_id=under_id, query=query)
    outcome = probe.call(actor, "directory", "ListCustomers", request)
    if _refused_reader(probe, actor, request, outcome):
        return
    if under_id and under_id not in visible:
        probe.expect_error(actor, request, outcome, "NOT_FOUND")
    else:
        inside = subtree(t.parents, under_id) if under_id else visible
        q = query.lower()
        want = {c.id for c in t.customers.values() if c.partner_id in visible and c.partner_id in inside
                and (not q or q in c.email.lower() or q in c.external_id.lower() or q in f"customer {c.key}")}
        got = {c.id for c in outcome.response.customers}
        probe.expect(got == want, actor, request, outcome, f"listed customers {len(got)} != visible {len(want)}")
    c = world.tenants[target[0]].customers[target[1]] if target else None
    target_id = c.id if c else UNKNOWN_CUSTOMER

    def get(cid: str):  # noqa: ANN202
        return probe.call(actor, "directory", "GetCustomer", pb.GetCustomerRequest(customer_id=cid))

    request = pb.GetCustomerRequest(customer_id=target_id)
    outcome = get(target_id)
    if c is not None and c.tenant == actor.tenant and c.partner_id in visible:
        probe.expect(outcome.ok and outcome.response.id == target_id, actor, request, outcome, "visible customer refused")
    else:
        probe.expect_error(actor, request, outcome, "NOT_FOUND", "CUSTOMER_NOT_FOUND")
        _same_as_unknown(probe, actor, request, outcome, target_id, get, UNKNOWN_CUSTOMER)


def check_identity_reads(probe: Probe, actor: Actor) -> None:
    """GetCallerIdentity names the caller only; ListPartnerUsers lists the users of the view."""
    request = pb.GetCallerIdentityRequest()
    outcome = probe.call(actor, "directory", "GetCallerIdentity", request)
    if actor.revoked:
        probe.expect_error(actor, request, outcome, "UNAUTHENTICATED")
        return
    t = probe.world.tenant_of(actor)
    me = outcome.response
    probe.expect(outcome.ok and (me.principal_id, me.tenant_id) == (actor.id, t.id), actor, request, outcome,
                 "caller identity names someone else")
    request = pb.ListPartnerUsersRequest(page_size=1000)
    outcome = probe.call(actor, "directory", "ListPartnerUsers", request)
    if _refused_reader(probe, actor, request, outcome):
        return
    visible = visible_partners(probe.world, actor)
    want = {u for u, p in t.partner_users.items() if p in visible}
    got = {u.id for u in outcome.response.partner_users}
    probe.expect(got == want, actor, request, outcome, f"listed partner users {len(got)} != visible {len(want)}")


def check_metric_reads(probe: Probe, actor: Actor, target: tuple[str, str] | None) -> None:
    """ListMetrics shows the caller's tenant's definitions only; another tenant's is unknown."""
    request = mpb.ListMetricsRequest(page_size=1000)
    outcome = probe.call(actor, "metrics", "ListMetrics", request)
    if _refused_reader(probe, actor, request, outcome):
        return
    t = probe.world.tenant_of(actor)
    got = {m.id for m in outcome.response.metrics}
    probe.expect(got == set(t.metrics.values()), actor, request, outcome, "listed metrics are not the tenant's")
    target_id = probe.world.tenants[target[0]].metrics[target[1]] if target else UNKNOWN_METRIC

    def get(mid: str):  # noqa: ANN202
        return probe.call(actor, "metrics", "GetMetric", mpb.GetMetricRequest(metric_id=mid))

    request = mpb.GetMetricRequest(metric_id=target_id)
    outcome = get(target_id)
    if target is not None and target[0] == actor.tenant:
        probe.expect(outcome.ok and outcome.response.id == target_id, actor, request, outcome, "own metric refused")
    else:
        probe.expect_error(actor, request, outcome, "NOT_FOUND", "METRIC_NOT_FOUND")
        _same_as_unknown(probe, actor, request, outcome, target_id, get, UNKNOWN_METRIC)


def check_directory_token_replay(probe: Probe, owner: Actor, actor: Actor) -> None:
    """A ListCustomers page token obtained by `owner`, replayed by `actor`: grants nothing beyond
    the replaying caller's own view (or is refused as not theirs)."""
    first = probe.call(owner, "directory", "ListCustomers", pb.ListCustomersRequest(page_size=3))
    if not first.ok or not first.response.next_page_token:
        return
    request = pb.ListCustomersRequest(page_size=1000, page_token=first.response.next_page_token)
    outcome = probe.call(actor, "directory", "ListCustomers", request)
    if _refused_reader(probe, actor, request, outcome) or outcome.code == "INVALID_ARGUMENT":
        return
    t = probe.world.tenant_of(actor)
    visible = visible_partners(probe.world, actor)
    allowed = {c.id for c in t.customers.values() if c.partner_id in visible}
    got = {c.id for c in outcome.response.customers}
    probe.expect(outcome.ok and got <= allowed, actor, request, outcome,
                 f"a replayed page token listed customers outside the view: {sorted(got - allowed)}")
