import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from partneros.common.v1 import auth_pb2 as _auth_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PrincipalKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRINCIPAL_KIND_UNSPECIFIED: _ClassVar[PrincipalKind]
    PRINCIPAL_KIND_OPERATOR: _ClassVar[PrincipalKind]
    PRINCIPAL_KIND_PARTNER_USER: _ClassVar[PrincipalKind]
    PRINCIPAL_KIND_MACHINE_KEY: _ClassVar[PrincipalKind]

class OperatorRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OPERATOR_ROLE_UNSPECIFIED: _ClassVar[OperatorRole]
    OPERATOR_ROLE_ADMIN: _ClassVar[OperatorRole]
    OPERATOR_ROLE_MANAGER: _ClassVar[OperatorRole]
PRINCIPAL_KIND_UNSPECIFIED: PrincipalKind
PRINCIPAL_KIND_OPERATOR: PrincipalKind
PRINCIPAL_KIND_PARTNER_USER: PrincipalKind
PRINCIPAL_KIND_MACHINE_KEY: PrincipalKind
OPERATOR_ROLE_UNSPECIFIED: OperatorRole
OPERATOR_ROLE_ADMIN: OperatorRole
OPERATOR_ROLE_MANAGER: OperatorRole

class GetCallerIdentityRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CallerIdentity(_message.Message):
    __slots__ = ("kind", "principal_id", "tenant_id", "role", "partner_id", "assigned_partner_ids", "permissions", "display_name")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRINCIPAL_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_PARTNER_IDS_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    kind: PrincipalKind
    principal_id: str
    tenant_id: str
    role: OperatorRole
    partner_id: str
    assigned_partner_ids: _containers.RepeatedScalarFieldContainer[str]
    permissions: _containers.RepeatedScalarFieldContainer[str]
    display_name: str
    def __init__(self, kind: _Optional[_Union[PrincipalKind, str]] = ..., principal_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., role: _Optional[_Union[OperatorRole, str]] = ..., partner_id: _Optional[str] = ..., assigned_partner_ids: _Optional[_Iterable[str]] = ..., permissions: _Optional[_Iterable[str]] = ..., display_name: _Optional[str] = ...) -> None: ...

class Tenant(_message.Message):
    __slots__ = ("id", "name", "time_zone", "week_start", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    WEEK_START_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    time_zone: str
    week_start: int
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., time_zone: _Optional[str] = ..., week_start: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetTenantRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateTenantRequest(_message.Message):
    __slots__ = ("tenant", "update_mask")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    tenant: Tenant
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, tenant: _Optional[_Union[Tenant, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class Partner(_message.Message):
    __slots__ = ("id", "name", "parent_id", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    parent_id: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., parent_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePartnerRequest(_message.Message):
    __slots__ = ("partner",)
    PARTNER_FIELD_NUMBER: _ClassVar[int]
    partner: Partner
    def __init__(self, partner: _Optional[_Union[Partner, _Mapping]] = ...) -> None: ...

class GetPartnerRequest(_message.Message):
    __slots__ = ("partner_id",)
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    partner_id: str
    def __init__(self, partner_id: _Optional[str] = ...) -> None: ...

class ListPartnersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "parent_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    parent_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., parent_id: _Optional[str] = ...) -> None: ...

class ListPartnersResponse(_message.Message):
    __slots__ = ("partners", "next_page_token")
    PARTNERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    partners: _containers.RepeatedCompositeFieldContainer[Partner]
    next_page_token: str
    def __init__(self, partners: _Optional[_Iterable[_Union[Partner, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdatePartnerRequest(_message.Message):
    __slots__ = ("partner", "update_mask")
    PARTNER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    partner: Partner
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, partner: _Optional[_Union[Partner, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeletePartnerRequest(_message.Message):
    __slots__ = ("partner_id",)
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    partner_id: str
    def __init__(self, partner_id: _Optional[str] = ...) -> None: ...

class Customer(_message.Message):
    __slots__ = ("id", "partner_id", "external_id", "email", "name", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    partner_id: str
    external_id: str
    email: str
    name: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., partner_id: _Optional[str] = ..., external_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateCustomerRequest(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class GetCustomerRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ListCustomersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "partner_id", "query")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    partner_id: str
    query: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., partner_id: _Optional[str] = ..., query: _Optional[str] = ...) -> None: ...

class ListCustomersResponse(_message.Message):
    __slots__ = ("customers", "next_page_token")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[Customer]
    next_page_token: str
    def __init__(self, customers: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateCustomerRequest(_message.Message):
    __slots__ = ("customer", "update_mask")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeleteCustomerRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class Operator(_message.Message):
    __slots__ = ("id", "email", "name", "role", "assigned_partner_ids", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_PARTNER_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    name: str
    role: OperatorRole
    assigned_partner_ids: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[_Union[OperatorRole, str]] = ..., assigned_partner_ids: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateOperatorRequest(_message.Message):
    __slots__ = ("operator",)
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    operator: Operator
    def __init__(self, operator: _Optional[_Union[Operator, _Mapping]] = ...) -> None: ...

class GetOperatorRequest(_message.Message):
    __slots__ = ("operator_id",)
    OPERATOR_ID_FIELD_NUMBER: _ClassVar[int]
    operator_id: str
    def __init__(self, operator_id: _Optional[str] = ...) -> None: ...

class ListOperatorsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOperatorsResponse(_message.Message):
    __slots__ = ("operators", "next_page_token")
    OPERATORS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    operators: _containers.RepeatedCompositeFieldContainer[Operator]
    next_page_token: str
    def __init__(self, operators: _Optional[_Iterable[_Union[Operator, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateOperatorRequest(_message.Message):
    __slots__ = ("operator", "update_mask")
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    operator: Operator
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, operator: _Optional[_Union[Operator, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeleteOperatorRequest(_message.Message):
    __slots__ = ("operator_id",)
    OPERATOR_ID_FIELD_NUMBER: _ClassVar[int]
    operator_id: str
    def __init__(self, operator_id: _Optional[str] = ...) -> None: ...

class PartnerUser(_message.Message):
    __slots__ = ("id", "partner_id", "email", "name", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    partner_id: str
    email: str
    name: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., partner_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePartnerUserRequest(_message.Message):
    __slots__ = ("partner_user",)
    PARTNER_USER_FIELD_NUMBER: _ClassVar[int]
    partner_user: PartnerUser
    def __init__(self, partner_user: _Optional[_Union[PartnerUser, _Mapping]] = ...) -> None: ...

class GetPartnerUserRequest(_message.Message):
    __slots__ = ("partner_user_id",)
    PARTNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    partner_user_id: str
    def __init__(self, partner_user_id: _Optional[str] = ...) -> None: ...

class ListPartnerUsersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "partner_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    partner_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., partner_id: _Optional[str] = ...) -> None: ...

class ListPartnerUsersResponse(_message.Message):
    __slots__ = ("partner_users", "next_page_token")
    PARTNER_USERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    partner_users: _containers.RepeatedCompositeFieldContainer[PartnerUser]
    next_page_token: str
    def __init__(self, partner_users: _Optional[_Iterable[_Union[PartnerUser, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdatePartnerUserRequest(_message.Message):
    __slots__ = ("partner_user", "update_mask")
    PARTNER_USER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    partner_user: PartnerUser
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, partner_user: _Optional[_Union[PartnerUser, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeletePartnerUserRequest(_message.Message):
    __slots__ = ("partner_user_id",)
    PARTNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    partner_user_id: str
    def __init__(self, partner_user_id: _Optional[str] = ...) -> None: ...

class MachineKey(_message.Message):
    __slots__ = ("id", "display_name", "prefix", "scopes", "partner_id", "create_time", "revoke_time", "last_use_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_USE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    display_name: str
    prefix: str
    scopes: _containers.RepeatedScalarFieldContainer[str]
    partner_id: str
    create_time: _timestamp_pb2.Timestamp
    revoke_time: _timestamp_pb2.Timestamp
    last_use_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., prefix: _Optional[str] = ..., scopes: _Optional[_Iterable[str]] = ..., partner_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoke_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_use_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateMachineKeyRequest(_message.Message):
    __slots__ = ("machine_key",)
    MACHINE_KEY_FIELD_NUMBER: _ClassVar[int]
    machine_key: MachineKey
    def __init__(self, machine_key: _Optional[_Union[MachineKey, _Mapping]] = ...) -> None: ...

class CreateMachineKeyResponse(_message.Message):
    __slots__ = ("machine_key", "secret")
    MACHINE_KEY_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    machine_key: MachineKey
    secret: str
    def __init__(self, machine_key: _Optional[_Union[MachineKey, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class GetMachineKeyRequest(_message.Message):
    __slots__ = ("machine_key_id",)
    MACHINE_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    machine_key_id: str
    def __init__(self, machine_key_id: _Optional[str] = ...) -> None: ...

class ListMachineKeysRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "partner_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    partner_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., partner_id: _Optional[str] = ...) -> None: ...

class ListMachineKeysResponse(_message.Message):
    __slots__ = ("machine_keys", "next_page_token")
    MACHINE_KEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    machine_keys: _containers.RepeatedCompositeFieldContainer[MachineKey]
    next_page_token: str
    def __init__(self, machine_keys: _Optional[_Iterable[_Union[MachineKey, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RevokeMachineKeyRequest(_message.Message):
    __slots__ = ("machine_key_id",)
    MACHINE_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    machine_key_id: str
    def __init__(self, machine_key_id: _Optional[str] = ...) -> None: ...

class PersonalToken(_message.Message):
    __slots__ = ("id", "subject_id", "subject_kind", "display_name", "prefix", "create_time", "revoke_time", "last_use_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_USE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    subject_id: str
    subject_kind: PrincipalKind
    display_name: str
    prefix: str
    create_time: _timestamp_pb2.Timestamp
    revoke_time: _timestamp_pb2.Timestamp
    last_use_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., subject_id: _Optional[str] = ..., subject_kind: _Optional[_Union[PrincipalKind, str]] = ..., display_name: _Optional[str] = ..., prefix: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoke_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_use_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePersonalTokenRequest(_message.Message):
    __slots__ = ("personal_token",)
    PERSONAL_TOKEN_FIELD_NUMBER: _ClassVar[int]
    personal_token: PersonalToken
    def __init__(self, personal_token: _Optional[_Union[PersonalToken, _Mapping]] = ...) -> None: ...

class CreatePersonalTokenResponse(_message.Message):
    __slots__ = ("personal_token", "secret")
    PERSONAL_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    personal_token: PersonalToken
    secret: str
    def __init__(self, personal_token: _Optional[_Union[PersonalToken, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class ListPersonalTokensRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "subject_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    subject_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., subject_id: _Optional[str] = ...) -> None: ...

class ListPersonalTokensResponse(_message.Message):
    __slots__ = ("personal_tokens", "next_page_token")
    PERSONAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    personal_tokens: _containers.RepeatedCompositeFieldContainer[PersonalToken]
    next_page_token: str
    def __init__(self, personal_tokens: _Optional[_Iterable[_Union[PersonalToken, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RevokePersonalTokenRequest(_message.Message):
    __slots__ = ("personal_token_id",)
    PERSONAL_TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    personal_token_id: str
    def __init__(self, personal_token_id: _Optional[str] = ...) -> None: ...
