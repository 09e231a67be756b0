"""`segstudio-server seed-demo --customers N [--seed S] [--today YYYY-MM-DD] [--force]`."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from backend.db import Database

DEFAULT_CUSTOMERS = 5_000


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 0:
        raise argparse.ArgumentTypeError("the number of customers cannot be negative")
    return value


def add_commands(sub: argparse._SubParsersAction) -> None:
    # Imported here, not at module level: backend.cli imports this module while building its parser.
    from backend.cli import command

    p = sub.add_parser("seed-demo", help="create the demo organisation with generated customers; prints its id",
                       description="Creates 'Demo Organisation' (package ultimate, Asia/Jakarta) with users "
                                   "admin/Admin-pass-1, lead/Lead-pass-12, agent/Agent-pass-1 and N generated "
                                   "customers with their records. An existing demo organisation is left as "
                                   "it is unless --force.")
    p.add_argument("--customers", type=_count, default=DEFAULT_CUSTOMERS,
                   help=f"number of customers (default {DEFAULT_CUSTOMERS:,})")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--today", type=_day, default=None,
                   help="reference date the data is relative to (default: today in Asia/Jakarta)")
    p.add_argument("--force", action="store_true", help="delete and rebuild an existing demo organisation")
    command("seed-demo")(cmd_seed_demo)


def cmd_seed_demo(args: argparse.Namespace, db: Database) -> int:
    from tqdm import tqdm

    from backend.demo.service import seed_demo
    from backend.migrate import upgrade

    upgrade(db.engine)
    with tqdm(total=args.customers, file=sys.stderr, unit="customer", dynamic_ncols=True) as bar:
        def progress(done: int, total: int, stage: str) -> None:
            bar.set_description_str(stage, refresh=False)
            bar.update(done - bar.n)

        with db.session() as session:
            org_id = seed_demo(session, args.customers, args.seed, progress, today=args.today, force=args.force)
    print(org_id)
    return 0
