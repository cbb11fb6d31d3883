"""Ids outside the caller's view are never named, not even as a pointer inside a visible resource.

Two such pointers were found by the leak hunt and are pinned here:
- a visible partner's `parent_id` naming a parent above the caller's view (a manager assigned a
  reseller, a partner user of a sub-reseller saw their distributor's id);
- a shared dashboard's `default_level` naming a partner the caller does not see (returned by
  Get/List/Render, and named in the refusal when a manager rendered it without a level).
"""
from __future__ import annotations

import pytest
from partneros.dashboards.v1 import dashboards_pb2 as dpb
from partneros.directory.v1 import directory_pb2 as pb

from tests.isolation.check_dashboards import RenderAsk, check_render
from tests.isolation.oracle import LevelTarget

# Principals whose view starts below the top of the tree, or beside the dashboard's default level.
BELOW_THE_TOP = ["t1:mgr.r1+d2", "t1:mgr.s3", "t1:user.r1", "t1:user.s1", "t2:user.r3"]
BESIDE_THE_DEFAULT = ["t1:user.d1", "t1:user.s1", "t1:mgr.s3", "t1:mgr.none", "t2:user.d3"]


@pytest.mark.parametrize("who", BELOW_THE_TOP)
def test_a_parent_outside_the_view_is_not_named(world, probes, who: str) -> None:  # noqa: ANN001
    actor = world.actor(who)
    t = world.tenant_of(actor)
    for probe in probes:  # the probe fails on any id outside the caller's view
        listed = probe.call(actor, "directory", "ListPartners", pb.ListPartnersRequest(page_size=1000))
        assert listed.ok and listed.response.partners
        for partner in listed.response.partners:
            got = probe.call(actor, "directory", "GetPartner", pb.GetPartnerRequest(partner_id=partner.id))
            assert got.ok and got.response.parent_id in ("", *t.parents)


@pytest.mark.parametrize("who", BESIDE_THE_DEFAULT)
def test_a_default_level_outside_the_view_is_not_named(world, probes, who: str) -> None:  # noqa: ANN001
    actor = world.actor(who)
    desk = world.tenant_of(actor).dashboards["south_desk"]
    for probe in probes:  # the probe fails on any id outside the caller's view
        probe.call(actor, "dashboards", "ListDashboards", dpb.ListDashboardsRequest(page_size=1000))
        probe.call(actor, "dashboards", "GetDashboard", dpb.GetDashboardRequest(dashboard_id=desk.id))
        check_render(probe, actor, RenderAsk((actor.tenant, "south_desk"), LevelTarget("none")))
        check_render(probe, actor, RenderAsk((actor.tenant, "south_desk"), LevelTarget("all")))


def test_an_editor_who_was_not_shown_the_default_level_does_not_erase_it(world, probes) -> None:  # noqa: ANN001
    manager, admin = world.actor("t1:mgr.s3"), world.actor("t1:admin")
    desk = world.tenants["t1"].dashboards["south_desk"]
    probe = probes[-1]
    seen = probe.call(manager, "dashboards", "GetDashboard", dpb.GetDashboardRequest(dashboard_id=desk.id)).response
    edit = dpb.Dashboard()
    edit.CopyFrom(seen)
    edit.description = "edited by a manager who does not see the South desk's partner"
    updated = probe.call(manager, "dashboards", "UpdateDashboard", dpb.UpdateDashboardRequest(dashboard=edit))
    assert updated.ok and not updated.response.default_level.id, updated.describe()
    stored = probe.call(admin, "dashboards", "GetDashboard", dpb.GetDashboardRequest(dashboard_id=desk.id)).response
    assert stored.default_level == desk.default_level and stored.description == edit.description
