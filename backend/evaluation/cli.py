"""`segstudio-server evaluate --org ID`: one organisation's daily evaluation, for an external cron."""

from __future__ import annotations

import argparse
import json

from backend.db import Database


def add_commands(sub: argparse._SubParsersAction) -> None:
    # Imported here: backend.cli imports this module while building its parser.
    from backend.cli import command

    s = sub.add_parser("evaluate", help="evaluate an organisation's active segments now (for an external cron)")
    s.add_argument("--org", type=int, required=True, help="organisation id")
    s.add_argument("--segment", type=int, action="append", help="only this segment (repeatable)")
    command("evaluate")(cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace, db: Database) -> int:
    from backend.cli import _migrate
    from backend.config import Settings
    from backend.evaluation.evaluator import evaluate_segment
    from backend.evaluation.lease import LeasePolicy
    from backend.evaluation.models import REASON_CLI
    from backend.evaluation.scheduler import OrgRun, evaluate_org

    _migrate(db)
    policy = LeasePolicy.from_settings(Settings.from_env())
    if args.segment:
        run = OrgRun(org_id=args.org)
        for segment_id in args.segment:
            outcome = evaluate_segment(db, segment_id, reason=REASON_CLI, policy=policy)
            if outcome is None:
                run.busy.append(segment_id)
            else:
                (run.evaluated if outcome.ok else run.failed).append(segment_id)
    else:
        try:
            run = evaluate_org(db, args.org, reason=REASON_CLI, policy=policy)
        except LookupError as exc:
            raise SystemExit(f"error: {exc}") from exc
    print(json.dumps(run.as_dict()))
    return 1 if run.failed else 0
