"""The bundled backend as a child process: start it on a free local port, wait for it, never orphan it.

The same code serves the installed app and the PyInstaller build: frozen, `sys.executable` is the app
itself, so the child is started as `segstudio --run-backend ...` and `segstudio.main` dispatches that to
the backend's CLI before any Qt import.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from segstudio.backend_entry import PARENT_PID_ENV

log = logging.getLogger(__name__)

DATABASE_FILE = "segstudio.sqlite3"
PR_SET_PDEATHSIG = 1


class BackendError(Exception):
    """The local server could not be started, or a backend command failed."""


def backend_command(*args: str) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-backend", *args]
    return [sys.executable, "-m", "segstudio.backend_entry", *args]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """preexec_fn: ask Linux to SIGTERM the child when the app dies, even by SIGKILL or a crash."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _popen_kwargs() -> dict[str, object]:
    if os.name == "posix":
        return {"preexec_fn": _die_with_parent}
    return {}


def child_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["SEGSTUDIO_DATABASE_URL"] = database_url
    env[PARENT_PID_ENV] = str(os.getpid())
    env.setdefault("PYTHONUNBUFFERED", "1")
    # The child is a server, not a GUI; keep Qt plugins from loading if anything imports them.
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    env.update(extra or {})
    return env


@dataclass
class CommandResult:
    returncode: int
    stdout: str
    stderr: str


class BackendProcess:
    """One `serve` child on 127.0.0.1 with its SQLite database in `data_dir`."""

    def __init__(self, data_dir: Path, *, host: str = "127.0.0.1", database_url: str | None = None,
                 extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.database_url = database_url or f"sqlite:///{self.data_dir / DATABASE_FILE}"
        self.extra_env = dict(extra_env or {})
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = self.data_dir / "logs" / "backend.log"

    @property
    def url(self) -> str:
        if self.port is None:
            raise BackendError("The local server has not been started.")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def database_path(self) -> Path | None:
        prefix = "sqlite:///"
        return Path(self.database_url[len(prefix):]) if self.database_url.startswith(prefix) else None

    def env(self) -> dict[str, str]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return child_env(self.database_url, self.extra_env)

    def start(self) -> None:
        """Spawn `serve` on a free port; its output goes to a log file so a full pipe can never stall it."""
        if self.running:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.port = free_port(self.host)
        cmd = backend_command("serve", "--host", self.host, "--port", str(self.port))
        log.info("starting the local server", extra={"cmd": cmd, "port": self.port})
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                            env=self.env(), **_popen_kwargs())  # type: ignore[call-overload]

    async def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2.0) as http:
            while True:
                if self.process is None or self.process.poll() is not None:
                    raise BackendError(f"The local server stopped while starting.\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    response = await http.get(f"{self.url}/health")
                    if response.status_code == 200:
                        return
                if time.monotonic() > deadline:
                    raise BackendError(f"The local server did not start within {timeout:.0f} s.\n{self.log_tail()}")
                await asyncio.sleep(0.1)

    async def start_and_wait(self, timeout: float = 60.0, attempts: int = 3) -> str:
        """Start and wait for /health; a port taken between choosing and binding gets another try."""
        for attempt in range(1, attempts + 1):
            self.start()
            try:
                await self.wait_healthy(timeout)
                return self.url
            except BackendError:
                self.stop()
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    def stop(self, timeout: float = 5.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("the local server did not stop in time; killing it")
            process.kill()
            process.wait(timeout)

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def run_command(self, args: Sequence[str], on_line: Callable[[str], None] | None = None) -> CommandResult:
        return await run_backend_command(args, env=self.env(), on_line=on_line)


async def run_backend_command(args: Sequence[str], *, env: dict[str, str],
                              on_line: Callable[[str], None] | None = None) -> CommandResult:
    """Run a backend CLI command as a child, reporting each stderr line (progress bars redraw with \\r).

    Threads read the pipes so this works on any event loop (qasync included); cancelling the awaiting
    task terminates the child.
    """
    loop = asyncio.get_running_loop()
    process = subprocess.Popen(backend_command(*args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, **_popen_kwargs())  # type: ignore[call-overload]
    stdout_chunks: list[bytes] = []
    stderr_lines: list[str] = []
    done: asyncio.Future[int] = loop.create_future()

    def read_stdout() -> None:
        assert process.stdout is not None
        stdout_chunks.append(process.stdout.read())

    def read_stderr() -> None:
        assert process.stderr is not None
        buffer = b""
        while chunk := process.stderr.read1(4096):  # type: ignore[attr-defined]
            buffer += chunk
            *complete, buffer = re.split(rb"[\r\n]", buffer)
            for raw in complete:
                _deliver(raw)
        _deliver(buffer)

    def _deliver(raw: bytes) -> None:
        line = raw.decode(errors="replace").strip()
        if not line:
            return
        stderr_lines.append(line)
        del stderr_lines[:-200]
        if on_line is not None:
            loop.call_soon_threadsafe(on_line, line)

    def wait() -> None:
        for reader in readers:
            reader.join()
        code = process.wait()
        loop.call_soon_threadsafe(lambda: done.done() or done.set_result(code))

    readers = [threading.Thread(target=read_stdout, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for reader in readers:
        reader.start()
    threading.Thread(target=wait, daemon=True).start()
    try:
        code = await done
    except asyncio.CancelledError:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)
        if process.poll() is None:
            process.kill()
        raise
    return CommandResult(code, b"".join(stdout_chunks).decode(errors="replace"), "\n".join(stderr_lines))


@dataclass(frozen=True)
class Progress:
    fraction: float | None
    text: str


_COUNT = re.compile(r"(\d[\d,]*)\s*/\s*(\d[\d,]*)")
_PERCENT = re.compile(r"(\d{1,3})%")


def parse_progress(line: str) -> Progress:
    """Read a progress line: a tqdm bar ("customers:  45%|###  | 2250/5000 [...]"), "n/N", "NN%",
    or a JSON log record whose message (and optional done/total) is shown as it is."""
    text = line
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            text = str(record.get("message", line))
            done, total = record.get("done"), record.get("total")
            if isinstance(done, int | float) and isinstance(total, int | float) and total > 0:
                return Progress(min(1.0, done / total), text)
            return Progress(None, text)
    label = _PERCENT.sub("", _COUNT.sub("", text.split("|")[0])).strip().rstrip(":").strip() or text
    count = _COUNT.search(text)
    if count:
        done_n, total_n = (int(g.replace(",", "")) for g in count.groups())
        if total_n > 0:
            return Progress(min(1.0, done_n / total_n), label)
    percent = _PERCENT.search(text)
    if percent:
        return Progress(min(1.0, int(percent.group(1)) / 100), label)
    return Progress(None, text)


DEMO_MARKER = "demo-org.json"


def demo_marker(data_dir: Path) -> Path:
    return Path(data_dir) / DEMO_MARKER


def demo_seeded(process: BackendProcess) -> bool:
    """The demo organisation exists when the marker written after seeding and the database both do."""
    db_path = process.database_path
    return demo_marker(process.data_dir).exists() and (db_path is None or db_path.exists())


async def seed_demo(process: BackendProcess, customers: int,
                    on_progress: Callable[[Progress], None] | None = None) -> str:
    """Run `seed-demo --customers N` as a child; returns the org id it prints and records the marker."""
    def line(text: str) -> None:
        if on_progress is not None:
            on_progress(parse_progress(text))

    result = await process.run_command(["seed-demo", "--customers", str(customers)], on_line=line)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-8:])
        raise BackendError(f"Creating the demo organisation failed (exit code {result.returncode}).\n{tail}")
    org_id = result.stdout.strip().splitlines()[-1].strip() if result.stdout.strip() else ""
    demo_marker(process.data_dir).write_text(json.dumps({"org_id": org_id, "customers": customers}))
    return org_id
