"""The rule engine: the field registry, parsing, compilation to SQL, the reference evaluator and summaries.

Plain Python over SQLAlchemy; only `routes` speaks HTTP (an import-linter contract holds this)."""
