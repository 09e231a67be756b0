"""`segstudio-server import-csv --org ID FILE`: load customers (or another entity) from a CSV file."""

from __future__ import annotations

import argparse
import sys

from backend.db import Database
from backend.ingest.fields import ENTITIES


def add_commands(sub: argparse._SubParsersAction) -> None:
    # Imported here, not at module level: backend.cli imports this module while building its parser.
    from backend.cli import command

    p = sub.add_parser("import-csv", help="validate a CSV file and upsert its records; nothing is written "
                                          "when any row is invalid")
    p.add_argument("--org", type=int, required=True, help="organisation id")
    p.add_argument("--entity", default="customers", choices=list(ENTITIES),
                   help="what the rows are (default customers)")
    p.add_argument("file", help="CSV with a header row of field names (address.city, custom.<key>, ...)")
    command("import-csv")(cmd_import_csv)


def cmd_import_csv(args: argparse.Namespace, db: Database) -> int:
    from backend.auth.models import Organisation
    from backend.ingest.csv_import import CsvImportError, import_csv
    from backend.migrate import upgrade

    upgrade(db.engine)
    try:
        with open(args.file, encoding="utf-8-sig", newline="") as stream, db.session() as session:
            if session.get(Organisation, args.org) is None:
                print(f"error: no organisation with id {args.org}", file=sys.stderr)
                return 2
            result = import_csv(session, args.org, stream, args.entity)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"error: {args.file} is not UTF-8 text", file=sys.stderr)
        return 2
    except CsvImportError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 2
    print(f"inserted {result.inserted}, updated {result.updated}")
    return 0
