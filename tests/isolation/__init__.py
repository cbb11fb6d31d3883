"""The isolation guard, proven adversarially: random principals, every entry point, zero foreign data."""
