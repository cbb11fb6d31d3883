"""The directory service: tenants, partner tree, customers, people, machine keys and tokens."""
