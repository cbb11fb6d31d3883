"""Shared libraries of PartnerOS Metrics: config, errors, auth, storage, the service host."""
