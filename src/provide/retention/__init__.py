"""Retention and rights: the retention schedule, the nightly anonymiser, subject-access exports
and the analysts' pseudonymised extract (docs/retention.md)."""
