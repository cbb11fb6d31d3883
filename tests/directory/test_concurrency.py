"""Concurrent writes keep the directory's rules: one tenant's writes are serialised, so a check made
by one write (email free, no cycle) still holds when it commits. On SQLite and PostgreSQL."""
from __future__ import annotations

import collections
from concurrent.futures import ThreadPoolExecutor

import grpc
from partneros.directory.v1 import directory_pb2 as pb

from libs.auth import PartnerTree
from tests.directory.conftest import Api


def _outcome(call, request, md) -> str:  # noqa: ANN001
    try:
        call(request, metadata=md, timeout=30)
        return "OK"
    except grpc.RpcError as err:
        return err.code().name


def test_concurrent_duplicate_emails_yield_one_customer(api: Api) -> None:
    p = api.stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="P")), metadata=api.admin)
    request = pb.CreateCustomerRequest(customer=pb.Customer(partner_id=p.id, email="race@x.example"))
    with ThreadPoolExecutor(8) as pool:
        outcomes = collections.Counter(pool.map(lambda _: _outcome(api.stub.CreateCustomer, request, api.admin),
                                                range(8)))
    assert outcomes == {"OK": 1, "ALREADY_EXISTS": 7}


def test_concurrent_opposite_moves_cannot_make_a_cycle(api: Api) -> None:
    s, md = api.stub, api.admin
    for _ in range(4):
        a = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="A")), metadata=md)
        b = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="B")), metadata=md)
        moves = [pb.UpdatePartnerRequest(partner=pb.Partner(id=x.id, name=x.name, parent_id=y.id))
                 for x, y in ((a, b), (b, a))]
        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(lambda r: _outcome(s.UpdatePartner, r, md), moves))
        assert outcomes == ["INVALID_ARGUMENT", "OK"]
    listed = s.ListPartners(pb.ListPartnersRequest(page_size=100), metadata=md).partners
    tree = PartnerTree({p.id: p.parent_id or None for p in listed})
    assert all(p.id not in tree.ancestors(p.id) for p in listed)
