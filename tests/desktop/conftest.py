"""Desktop test fixtures: the qasync loop on pytest-qt's QApplication, a throwaway keyring and settings,
and a real bundled backend started through the app's own process manager on a fresh SQLite database.

Every wait is `qtbot.waitUntil` with a timeout, so a broken flow fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QSettings

from segstudio.services.backend_process import BackendProcess, backend_command, child_env
from segstudio.services.session import TokenStore
from segstudio.settings import AppSettings

PASSWORD = "Desk-pass-123"


@pytest.fixture(scope="session")
def qloop(qapp) -> Iterator[qasync.QEventLoop]:
    """asyncio runs on Qt's event loop, so waitUntil's event processing also drives coroutines."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop


@pytest.fixture(autouse=True)
def _use_qloop(qloop) -> Iterator[None]:
    yield


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path_factory) -> Iterator[None]:
    """QSettings() (window sizes, splitters) writes to a fresh temporary folder per test, never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))
    yield


@pytest.fixture
def run_async(qtbot):
    """run_async(coro) -> its result, driving the qasync loop until it finishes (10 s by default)."""
    def run(coro: Coroutine[Any, Any, Any], timeout: int = 10_000) -> Any:
        task = asyncio.ensure_future(coro)
        qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()
    return run


@pytest.fixture
def keyring_backend(tmp_path: Path) -> PlaintextKeyring:
    """A plaintext keyring in a temp folder, for tests only; the app uses the system keyring."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    return backend


@pytest.fixture
def token_store(keyring_backend: PlaintextKeyring) -> TokenStore:
    return TokenStore(backend=keyring_backend)


@pytest.fixture
def app_settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def cli(database_url: str, *args: str) -> str:
    """Run a backend CLI command the way the app runs its child (segstudio.backend_entry)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(backend_command("--log-level", "WARNING", *args), env=child_env(database_url),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@dataclass
class LiveServer:
    url: str
    process: BackendProcess
    data_dir: Path
    org_id: int
    users: dict[str, str]

    def token(self, username: str) -> str:
        r = httpx.post(f"{self.url}/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return r.json()["access_token"]


def start_blocking(process: BackendProcess, timeout: float = 60) -> str:
    """Start and wait for /health without an event loop (the qasync loop may already own this thread)."""
    process.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.running, process.log_tail()
        try:
            if httpx.get(f"{process.url}/health", timeout=2).status_code == 200:
                return process.url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"backend did not start:\n{process.log_tail()}")


def make_org(database_url: str, prefix: str, package: str = "ultimate") -> tuple[int, dict[str, str]]:
    admin = f"{prefix}_admin"
    org_id = int(cli(database_url, "create-org", "--name", f"{prefix.title()} Org", "--package", package,
                     "--timezone", "Asia/Jakarta", "--admin", admin, "--password", PASSWORD))
    users = {"org_admin": admin}
    for role, name in (("team_lead", f"{prefix}_lead"), ("agent", f"{prefix}_agent")):
        cli(database_url, "create-user", "--org", str(org_id), "--username", name, "--password", PASSWORD,
            "--role", role, "--display-name", name.replace("_", " ").title())
        users[role] = name
    return org_id, users


CUSTOMERS = [
    {"id": f"C{i:03d}", "full_name": f"Customer {i}", "source": "WhatsApp" if i % 2 else "Email",
     "email": f"c{i}@example.com"} for i in range(1, 13)
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The bundled backend on a fresh SQLite database, started by the app's BackendProcess, with one
    organisation (users desk_admin / desk_lead / desk_agent) and a dozen customers ingested."""
    data_dir = tmp_path_factory.mktemp("live-backend")
    process = BackendProcess(data_dir)
    org_id, users = make_org(process.database_url, "desk")
    url = start_blocking(process)
    server = LiveServer(url, process, data_dir, org_id, users)
    token = server.token(users["org_admin"])
    r = httpx.post(f"{url}/api/v1/ingest/customers", json={"records": CUSTOMERS},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code in (200, 404), r.text
    yield server
    process.stop()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) is not running either.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
