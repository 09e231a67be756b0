"""Entry point of the bundled backend when the desktop app runs it as a child process.

It is `backend.cli.main` plus one duty: the child must not outlive the app. The parent also asks the
kernel for a death signal (`prctl(PR_SET_PDEATHSIG)` on Linux), but that does not exist elsewhere and is
lost across some exec paths, so the child also watches its parent's pid and stops itself when the parent
is gone. Kept free of Qt imports so the child starts fast.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PARENT_PID_ENV = "SEGSTUDIO_PARENT_PID"


def _watch_parent(parent_pid: int, interval: float = 0.5) -> None:
    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                # Graceful first (uvicorn drains on SIGTERM), then hard, in case shutdown hangs.
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(10)
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_backend(argv: list[str]) -> int:
    parent = os.environ.get(PARENT_PID_ENV)
    if parent and parent.isdigit():
        _watch_parent(int(parent))
    from backend.cli import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(run_backend(sys.argv[1:]))
