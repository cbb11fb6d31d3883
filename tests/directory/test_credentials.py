"""Machine keys and personal tokens: never stored in plain text, revocation applies on the next call,
last use is surfaced, deleting a person revokes their tokens. On SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import pathlib

import grpc
from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url

from libs.identity.tokens import hash_secret
from tests.conftest import bearer
from tests.directory.conftest import Api, fails


def _identity(api: Api, secret: str) -> pb.CallerIdentity:
    return api.stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(secret))


def _new_partner(api: Api, name: str = "Reseller") -> pb.Partner:
    return api.stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name=name)), metadata=api.admin)


def _new_user(api: Api, partner_id: str) -> pb.PartnerUser:
    return api.stub.CreatePartnerUser(pb.CreatePartnerUserRequest(
        partner_user=pb.PartnerUser(partner_id=partner_id, email=f"user-{partner_id}@r.example")), metadata=api.admin)


def _new_key(api: Api, partner_id: str = "") -> pb.CreateMachineKeyResponse:
    return api.stub.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        display_name="sync", scopes=["events:write"], partner_id=partner_id)), metadata=api.admin)


def _new_token(api: Api, subject_id: str) -> pb.CreatePersonalTokenResponse:
    return api.stub.CreatePersonalToken(pb.CreatePersonalTokenRequest(
        personal_token=pb.PersonalToken(subject_id=subject_id)), metadata=api.admin)


def test_secrets_are_stored_as_prefix_and_hash_only(api: Api) -> None:
    p = _new_partner(api)
    user = _new_user(api, p.id)
    issued = [_new_key(api, p.id), _new_key(api), _new_token(api, user.id)]
    secrets = [r.secret for r in issued] + [api.admin_token]
    for r in issued:
        assert _identity(api, r.secret).tenant_id == api.tenant_id  # each one works
    # Every column of every row of every table in the store: the secret, and its random tail, appear nowhere.
    dump: list[str] = []
    tables = MetaData()
    tables.reflect(api.engine)
    with api.engine.connect() as conn:
        for table in tables.sorted_tables:
            dump += [repr(tuple(row)) for row in conn.execute(select(table))]
        hashes = {h for name in ("machine_keys", "personal_tokens")
                  for h in conn.execute(select(tables.tables[name].c.secret_hash)).scalars()}
    text = "\n".join(dump)
    for secret in secrets:
        tail = secret.split("_", 2)[2]  # the random part (it may itself contain "_")
        assert secret not in text and tail not in text
        assert hash_secret(secret) in hashes
    assert issued[0].machine_key.prefix in text  # the public prefix is what identifies a key
    url = make_url(str(api.engine.url))
    if url.get_backend_name() == "sqlite":  # and not in the database files' bytes either
        raw = b"".join(pathlib.Path(url.database + suffix).read_bytes()
                       for suffix in ("", "-wal") if pathlib.Path(url.database + suffix).exists())
        assert all(s.split("_", 2)[2].encode() not in raw for s in secrets)


def test_revoking_a_machine_key_takes_effect_on_the_next_call(api: Api) -> None:
    created = _new_key(api, _new_partner(api).id)
    assert _identity(api, created.secret).principal_id == created.machine_key.id
    api.stub.RevokeMachineKey(pb.RevokeMachineKeyRequest(machine_key_id=created.machine_key.id), metadata=api.admin)
    code, reason, _ = fails(_identity, api, created.secret)
    assert (code, reason) == (grpc.StatusCode.UNAUTHENTICATED, "CREDENTIALS_INVALID")


def test_revoking_a_personal_token_takes_effect_on_the_next_call(api: Api) -> None:
    user = _new_user(api, _new_partner(api).id)
    first, second = _new_token(api, user.id), _new_token(api, user.id)
    assert _identity(api, first.secret).principal_id == user.id
    api.stub.RevokePersonalToken(pb.RevokePersonalTokenRequest(personal_token_id=first.personal_token.id),
                                 metadata=api.admin)
    code, _, _ = fails(_identity, api, first.secret)
    assert code is grpc.StatusCode.UNAUTHENTICATED
    assert _identity(api, second.secret).principal_id == user.id  # only that token is gone


def test_last_use_time_is_surfaced(api: Api) -> None:
    created = _new_key(api)
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    _identity(api, created.secret)
    key = api.stub.GetMachineKey(pb.GetMachineKeyRequest(machine_key_id=created.machine_key.id), metadata=api.admin)
    assert key.HasField("last_use_time") and key.last_use_time.ToDatetime(dt.timezone.utc) >= before
    tokens = api.stub.ListPersonalTokens(pb.ListPersonalTokensRequest(), metadata=api.admin).personal_tokens
    assert [t.HasField("last_use_time") for t in tokens] == [True]  # the admin token used for these calls


def test_deleting_a_person_revokes_their_tokens(api: Api) -> None:
    p = _new_partner(api)
    user = _new_user(api, p.id)
    token = _new_token(api, user.id)
    api.stub.DeletePartnerUser(pb.DeletePartnerUserRequest(partner_user_id=user.id), metadata=api.admin)
    code, _, _ = fails(_identity, api, token.secret)
    assert code is grpc.StatusCode.UNAUTHENTICATED
    listed = api.stub.ListPersonalTokens(pb.ListPersonalTokensRequest(subject_id=user.id), metadata=api.admin)
    assert [t.HasField("revoke_time") for t in listed.personal_tokens] == [True]
    # With the user gone and the key-free partner empty, the partner itself can go.
    api.stub.DeletePartner(pb.DeletePartnerRequest(partner_id=p.id), metadata=api.admin)


def test_a_bound_key_blocks_deleting_its_partner(api: Api) -> None:
    p = _new_partner(api)
    _new_key(api, p.id)
    code, reason, meta = fails(api.stub.DeletePartner, pb.DeletePartnerRequest(partner_id=p.id), metadata=api.admin)
    assert (code, reason, meta) == (grpc.StatusCode.FAILED_PRECONDITION, "PARTNER_NOT_EMPTY",
                                    {"partner_id": p.id, "machine_keys": "1"})
