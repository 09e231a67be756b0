"""Regenerates migrations/versions/0001_initial.py from the models.

Until the first release the schema has one migration, written by alembic autogenerate from
Base.metadata; after a release, add migrations with `alembic revision --autogenerate` instead.
tests/test_migrations.py fails when the models and the migrations disagree.
"""

from __future__ import annotations

import sys
import tempfile

from alembic import command

from backend.migrate import MIGRATIONS, alembic_config


def main() -> int:
    versions = MIGRATIONS / "versions"
    for old in versions.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(f"sqlite:///{tmp}/empty.sqlite3")
        command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    made = next(versions.glob("0001_*.py"))
    target = versions / "0001_initial.py"
    made.rename(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
