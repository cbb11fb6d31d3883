"""Every List pages with opaque tokens: walking all pages yields each visible row exactly once."""
from __future__ import annotations

import grpc
from partneros.directory.v1 import directory_pb2 as pb

from tests import factories
from tests.conftest import bearer
from tests.directory.conftest import Api, fails

_MAX_PAGES = 50


def _walk(call, request, field: str, md) -> list[list[str]]:  # noqa: ANN001
    """The ids of every page, following next_page_token to the end (bounded)."""
    pages: list[list[str]] = []
    token = ""
    for _ in range(_MAX_PAGES):
        request.page_token = token
        response = call(request, metadata=md)
        pages.append([r.id for r in getattr(response, field)])
        token = response.next_page_token
        if not token:
            return pages
    raise AssertionError("pagination did not end")


def test_walking_customer_pages_returns_each_customer_once(api: Api) -> None:
    engine = api.engine
    dist = factories.partner(engine, api.tenant_id, "Dist")
    res = factories.partner(engine, api.tenant_id, "Res", dist)
    other = factories.partner(engine, api.tenant_id, "Other")
    # Equal names force the id tiebreak across page borders.
    mine = {factories.customer(engine, api.tenant_id, res if i % 2 else dist, name=f"Same {i % 3}",
                               email=f"c{i}@shop.example") for i in range(23)}
    theirs = {factories.customer(engine, api.tenant_id, other, name="Same 1") for _ in range(4)}
    pages = _walk(api.stub.ListCustomers, pb.ListCustomersRequest(page_size=5), "customers", api.admin)
    assert [len(p) for p in pages] == [5, 5, 5, 5, 5, 2]
    flat = [i for p in pages for i in p]
    assert len(flat) == len(set(flat)) and set(flat) == mine | theirs

    filtered = _walk(api.stub.ListCustomers, pb.ListCustomersRequest(page_size=4, partner_id=dist), "customers",
                     api.admin)
    assert {i for p in filtered for i in p} == mine and sum(map(len, filtered)) == 23

    _, token = factories.operator(engine, api.tenant_id, role="manager", assigned=(res,))
    scoped = _walk(api.stub.ListCustomers, pb.ListCustomersRequest(page_size=3), "customers", bearer(token))
    seen = [i for p in scoped for i in p]
    assert len(seen) == len(set(seen)) == 11


def test_every_list_pages_to_the_end(api: Api) -> None:
    engine, s, md = api.engine, api.stub, api.admin
    parents = [factories.partner(engine, api.tenant_id, f"P{i:02d}") for i in range(7)]
    for i, pid in enumerate(parents):
        factories.partner_user(engine, api.tenant_id, pid)
        factories.operator(engine, api.tenant_id, role="manager", assigned=(pid,))
        factories.machine_key(engine, api.tenant_id, partner_id=pid if i % 2 else None)
    for call, request, field, expected in (
        (s.ListPartners, pb.ListPartnersRequest(page_size=2), "partners", 7),
        (s.ListPartnerUsers, pb.ListPartnerUsersRequest(page_size=2), "partner_users", 7),
        (s.ListOperators, pb.ListOperatorsRequest(page_size=2), "operators", 8),
        (s.ListMachineKeys, pb.ListMachineKeysRequest(page_size=2), "machine_keys", 7),
        (s.ListPersonalTokens, pb.ListPersonalTokensRequest(page_size=2), "personal_tokens", 15),
    ):
        pages = _walk(call, request, field, md)
        flat = [i for p in pages for i in p]
        assert len(flat) == len(set(flat)) == expected, field
        assert all(len(p) == 2 for p in pages[:-1])


def test_page_tokens_are_bound_to_their_list(api: Api) -> None:
    pid = factories.partner(api.engine, api.tenant_id, "P")
    for i in range(3):
        factories.customer(api.engine, api.tenant_id, pid, name=f"C{i}")
    first = api.stub.ListCustomers(pb.ListCustomersRequest(page_size=1), metadata=api.admin)
    assert first.next_page_token
    # The same token with other filters, a forged token, a negative size: all INVALID_ARGUMENT.
    for request, reason, field in (
        (pb.ListCustomersRequest(page_size=1, page_token=first.next_page_token, query="c"), "INVALID_PAGE_TOKEN",
         "page_token"),
        (pb.ListCustomersRequest(page_token="not a token!"), "INVALID_PAGE_TOKEN", "page_token"),
        (pb.ListCustomersRequest(page_size=-1), "INVALID_PAGE_SIZE", "page_size"),
    ):
        code, got, meta = fails(api.stub.ListCustomers, request, metadata=api.admin)
        assert (code, got, meta["field"]) == (grpc.StatusCode.INVALID_ARGUMENT, reason, field)
    code, got, _ = fails(api.stub.ListPartners, pb.ListPartnersRequest(page_token=first.next_page_token),
                         metadata=api.admin)
    assert (code, got) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN")
