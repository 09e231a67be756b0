"""`segstudio`: the desktop app. `segstudio --run-backend ARGS` runs the bundled backend's CLI instead,
which is how the frozen app starts its own server (there `sys.executable` is this program)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

log = logging.getLogger("segstudio")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="segstudio", description="Segment Studio desktop app.")
    p.add_argument("--server", metavar="URL", help="use this server instead of the bundled local one")
    p.add_argument("--data-dir", type=Path, help="where the bundled server keeps its database "
                                                 "(default: the user data directory)")
    p.add_argument("--demo-customers", type=int, metavar="N",
                   help="size of the demo organisation created on first start (default 5,000)")
    p.add_argument("--no-demo", action="store_true", help="do not create the demo organisation on first start")
    p.add_argument("--smoke-test", action="store_true",
                   help="sign in with --username/--password, wait for the main window, print a line, exit 0")
    p.add_argument("--username")
    p.add_argument("--password")
    p.add_argument("--log-level", default="WARNING")
    args = p.parse_args(argv)
    if args.smoke_test and not (args.username and args.password):
        p.error("--smoke-test needs --username and --password")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--run-backend"]:
        from segstudio.backend_entry import run_backend

        return run_backend(argv[1:])
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from segstudio.app import LaunchOptions, SegmentStudioApp
    from segstudio.settings import AppSettings

    QApplication.setOrganizationName("segstudio")
    QApplication.setApplicationName("Segment Studio")
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    from segstudio.views.style import apply as apply_style

    apply_style(qapp)
    qapp.setQuitOnLastWindowClosed(False)  # the session loop decides when to quit
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    options = LaunchOptions(server_url=args.server.rstrip("/") if args.server else None, data_dir=args.data_dir,
                            demo_customers=args.demo_customers, seed_demo=not args.no_demo,
                            smoke_test=args.smoke_test, username=args.username, password=args.password)
    app = SegmentStudioApp(options, AppSettings())
    task: asyncio.Task[int] | None = None

    def terminate(*_: object) -> None:
        # SIGTERM/SIGINT: unwind through run()'s finally, which stops the bundled server.
        if task is not None:
            task.cancel()

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    # Python runs signal handlers only between bytecodes; a idle timer keeps that happening under Qt.
    ticker = QTimer()
    ticker.start(250)
    ticker.timeout.connect(lambda: None)

    async def run() -> int:
        nonlocal task
        task = asyncio.ensure_future(app.run())
        try:
            return await task
        except asyncio.CancelledError:
            return 130

    with loop:
        code = loop.run_until_complete(run())
    return code


def run_and_exit() -> None:
    """Console entry point: leave without tearing Qt objects down in interpreter finalisation.

    Once the session has ended (the bundled server is already stopped and the keyring written), letting
    Python finalise PySide6 and pyqtgraph objects in arbitrary order can abort the process
    (`bool_dealloc`), turning a clean quit into a crash report. Flush what needs flushing, then exit.
    """
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run_and_exit()
