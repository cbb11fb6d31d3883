"""Identity tables (tenants, partner tree, customers, people, keys) and the reads every service needs.

The directory service owns writes to these tables; every service reads them directly through
this package to authenticate a call, load the partner tree or resolve a customer, so that a
revoked key or a moved partner takes effect on the very next request without a network hop.
"""
from libs.identity.authenticate import Authenticator
from libs.identity.reads import customer_partner_lookup, load_tree, resolve_customer
from libs.identity.tokens import new_secret, hash_secret

__all__ = ["Authenticator", "customer_partner_lookup", "load_tree", "resolve_customer", "new_secret", "hash_secret"]
