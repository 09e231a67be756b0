"""`segstudio-server`: serve the API and administer the database from the command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

from backend import logging_setup, metrics
from backend.config import Settings
from backend.db import Database
from backend.errors import ApiError

log = logging.getLogger("segstudio.cli")

Command = Callable[[argparse.Namespace, Database], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn
    return register


def _migrate(db: Database) -> None:
    from backend.migrate import upgrade
    upgrade(db.engine)


@command("migrate")
def cmd_migrate(args: argparse.Namespace, db: Database) -> int:
    _migrate(db)
    log.info("database migrated", extra={"url": db.engine.url.render_as_string(hide_password=True)})
    return 0


@command("serve")
def cmd_serve(args: argparse.Namespace, db: Database) -> int:
    import uvicorn

    from backend.app import create_app

    if args.workers < 1:
        raise SystemExit("error: --workers must be at least 1")
    if args.workers > 1 and db.is_sqlite:
        raise SystemExit("error: --workers > 1 needs PostgreSQL (SEGSTUDIO_DATABASE_URL); "
                         "an SQLite file is served by one process")
    _migrate(db)
    if args.workers > 1:
        # Each worker process builds its own app (engine, evaluation worker, scheduler) from the
        # environment; they share the queue through the database.
        os.environ["SEGSTUDIO_LOG_LEVEL"] = args.log_level
        uvicorn.run("backend.cli:worker_app", factory=True, workers=args.workers, host=args.host, port=args.port,
                    log_config=None, access_log=False)
        return 0
    settings = Settings.from_env()
    app = create_app(settings, db)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


def worker_app():  # noqa: ANN201 - a FastAPI app; imported lazily to keep the CLI light
    """The app of one `serve --workers N` process (started fresh by uvicorn, so it sets up logging)."""
    from backend.app import create_app

    logging_setup.configure(os.environ.get("SEGSTUDIO_LOG_LEVEL", "INFO"))
    return create_app()


@command("create-org")
def cmd_create_org(args: argparse.Namespace, db: Database) -> int:
    from backend.auth import service
    from backend.auth.permissions import ROLE_ORG_ADMIN

    _migrate(db)
    with db.session() as session:
        org = service.create_org(session, name=args.name, package=args.package, timezone=args.timezone)
        service.create_user(session, org_id=org.id, username=args.admin, password=args.password,
                            role=ROLE_ORG_ADMIN)
        org_id = org.id
    print(org_id)
    return 0


@command("create-user")
def cmd_create_user(args: argparse.Namespace, db: Database) -> int:
    from backend.auth import service
    from backend.auth.models import Organisation

    _migrate(db)
    with db.session() as session:
        if session.get(Organisation, args.org) is None:
            raise SystemExit(f"error: no organisation with id {args.org}")
        user = service.create_user(session, org_id=args.org, username=args.username, password=args.password,
                                   role=args.role, display_name=args.display_name)
        user_id = user.id
    print(user_id)
    return 0


@command("set-package")
def cmd_set_package(args: argparse.Namespace, db: Database) -> int:
    from backend.auth.models import Organisation

    _migrate(db)
    with db.session() as session:
        org = session.get(Organisation, args.org)
        if org is None:
            raise SystemExit(f"error: no organisation with id {args.org}")
        org.package = args.package
    return 0


@command("create-api-token")
def cmd_create_api_token(args: argparse.Namespace, db: Database) -> int:
    from sqlalchemy import select

    from backend.auth import service
    from backend.auth.models import User

    _migrate(db)
    with db.session() as session:
        user = session.scalar(select(User).where(User.username == args.username))
        if user is None:
            raise SystemExit(f"error: no user {args.username!r}")
        secret, _ = service.issue_token(session, user, kind=service.API, name=args.name)
    print(secret)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from backend.auth.packages import PACKAGES
    from backend.auth.permissions import DEFAULT_ROLES

    p = argparse.ArgumentParser(prog="segstudio-server", description=__doc__)
    p.add_argument("--log-level", default="INFO")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the HTTP API (migrates first)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--workers", type=int, default=1,
                   help="server processes sharing the port and the evaluation queue (PostgreSQL only)")

    sub.add_parser("migrate", help="bring the database to the current schema")

    s = sub.add_parser("create-org", help="create an empty organisation with an Org Admin; prints its id")
    s.add_argument("--name", required=True)
    s.add_argument("--package", required=True, choices=PACKAGES)
    s.add_argument("--timezone", default="Asia/Jakarta")
    s.add_argument("--admin", required=True)
    s.add_argument("--password", required=True)

    s = sub.add_parser("create-user", help="add a user to an organisation; prints its id")
    s.add_argument("--org", type=int, required=True)
    s.add_argument("--username", required=True)
    s.add_argument("--password", required=True)
    s.add_argument("--role", required=True, choices=sorted(DEFAULT_ROLES))
    s.add_argument("--display-name")

    s = sub.add_parser("set-package", help="change an organisation's package tier")
    s.add_argument("--org", type=int, required=True)
    s.add_argument("--package", required=True, choices=PACKAGES)

    s = sub.add_parser("create-api-token", help="issue a long-lived API token for a user; prints it")
    s.add_argument("--username", required=True)
    s.add_argument("--name", required=True)

    for extension in _extensions():
        extension(sub)
    return p


def _extensions() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Domains that add their own commands (seed-demo, import-csv, evaluate)."""
    from backend.demo.cli import add_commands as demo_commands
    from backend.evaluation.cli import add_commands as evaluation_commands
    from backend.ingest.cli import add_commands as ingest_commands

    return [ingest_commands, demo_commands, evaluation_commands]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging_setup.configure(args.log_level)
    metrics.install()
    db = Database(Settings.from_env().database_url)
    try:
        return COMMANDS[args.command](args, db)
    except ApiError as exc:
        for f in exc.fields:
            print(f"error: {f.path}: {f.message}", file=sys.stderr)
        if not exc.fields:
            print(f"error: {exc.message}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


if __name__ == "__main__":
    # Run the imported module's main: under `python -m`, this file is also __main__, and the domains'
    # commands register into backend.cli's registry, not into __main__'s.
    from backend.cli import main as _main

    sys.exit(_main())
