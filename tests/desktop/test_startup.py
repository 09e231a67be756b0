"""Start-up: the bundled backend as a child (stopped on exit, never orphaned), sign-in with inline errors,
the token reused from the keyring while valid, and sign-out forgetting it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from segstudio.app import LaunchOptions, SegmentStudioApp
from segstudio.services.backend_process import BackendProcess, parse_progress
from segstudio.services.session import KEYRING_SERVICE
from tests.desktop.conftest import PASSWORD, make_org, pid_alive

pytestmark = pytest.mark.qt


def start(app: SegmentStudioApp) -> asyncio.Task[int]:
    return asyncio.ensure_future(app.run())


def sign_in(qtbot, app: SegmentStudioApp, username: str, password: str) -> None:
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible(), timeout=60_000)
    dialog = app.sign_in_dialog
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.sign_in_button.click()


def test_embedded_start_runs_the_bundled_backend_signs_in_and_stops_it_on_exit(qtbot, tmp_path, token_store,
                                                                               app_settings):
    data_dir = tmp_path / "data"
    process = BackendProcess(data_dir)
    make_org(process.database_url, "emb")
    app = SegmentStudioApp(LaunchOptions(data_dir=data_dir, seed_demo=False), app_settings, token_store)
    task = start(app)

    sign_in(qtbot, app, "emb_admin", "wrong-password-1!")
    dialog = app.sign_in_dialog
    assert dialog.hint.isVisible(), "embedded mode shows the demo credentials"
    assert "admin" in dialog.hint.text() and "Agent-pass-1" in dialog.hint.text()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == "Wrong username or password."
    assert dialog.isVisible(), "a wrong password keeps the dialog open"

    # How soon the window comes is measured by bench/startup.py, not asserted here.
    dialog.password.setText(PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.window is not None and app.window.isVisible(), timeout=10_000)
    window = app.window
    backend_pid = app.backend.process.pid
    assert app.backend.url.startswith("http://127.0.0.1:")
    assert window.server_status.text().startswith(f"Server: {app.backend.url}")
    assert window.org_status.text() == "Organisation: Emb Org"
    assert window.package_status.text() == "Package: Ultimate"
    assert "emb_admin" in window.user_status.text() or "Org Admin" in window.user_status.text()
    assert token_store.load(app.backend.url), "the token is kept in the keyring"
    assert app_settings.last_username == "emb_admin"

    window.close()
    qtbot.waitUntil(task.done, timeout=15_000)
    assert task.result() == 0
    qtbot.waitUntil(lambda: not pid_alive(backend_pid), timeout=10_000)


def test_a_configured_server_is_used_and_a_valid_token_is_reused(qtbot, live_server, token_store, app_settings):
    app_settings.server_url = live_server.url
    token_store.save(live_server.url, live_server.token("desk_lead"))
    app = SegmentStudioApp(LaunchOptions(), app_settings, token_store)
    task = start(app)
    qtbot.waitUntil(lambda: app.window is not None and app.window.isVisible(), timeout=10_000)
    assert app.backend is None, "no bundled backend when a server is configured"
    assert app.sign_in_dialog is None
    assert app.window.me.user.username == "desk_lead"
    app.window.close()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == 0


def test_sign_out_forgets_the_token_and_returns_to_sign_in(qtbot, live_server, token_store, keyring_backend,
                                                           app_settings):
    stored = live_server.token("desk_admin")
    token_store.save(live_server.url, stored)
    app = SegmentStudioApp(LaunchOptions(server_url=live_server.url), app_settings, token_store)
    task = start(app)
    qtbot.waitUntil(lambda: app.window is not None and app.window.isVisible(), timeout=10_000)
    app.window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible(), timeout=10_000)
    assert keyring_backend.get_password(KEYRING_SERVICE, live_server.url) is None
    assert not app.sign_in_dialog.hint.isVisible(), "no demo hint for a configured server"
    r = httpx.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {stored}"})
    assert r.status_code == 401, "signing out also revokes the token on the server"
    app.sign_in_dialog.reject()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == 0


def test_a_stored_token_the_server_rejects_is_forgotten_and_sign_in_is_shown(qtbot, live_server, token_store,
                                                                             app_settings):
    token_store.save(live_server.url, "sst_revoked-or-expired")
    app = SegmentStudioApp(LaunchOptions(server_url=live_server.url), app_settings, token_store)
    task = start(app)
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible(), timeout=10_000)
    assert token_store.load(live_server.url) is None
    sign_in(qtbot, app, "desk_agent", PASSWORD)
    qtbot.waitUntil(lambda: app.window is not None and app.window.isVisible(), timeout=10_000)
    assert token_store.load(live_server.url) not in (None, "sst_revoked-or-expired")
    app.window.close()
    qtbot.waitUntil(task.done, timeout=10_000)


def test_the_backend_child_dies_with_a_crashed_app(tmp_path: Path):
    """SIGKILL the parent (no cleanup can run): the child notices and exits, leaving no orphan."""
    script = (
        "import asyncio, sys, time\n"
        "from pathlib import Path\n"
        "from segstudio.services.backend_process import BackendProcess\n"
        "p = BackendProcess(Path(sys.argv[1]))\n"
        "asyncio.run(p.start_and_wait(60))\n"
        "print(p.process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "crash")], stdout=subprocess.PIPE,
                              text=True)
    try:
        child_pid = int(parent.stdout.readline())
        assert pid_alive(child_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while pid_alive(child_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not pid_alive(child_pid), "the backend outlived the app"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.parametrize(("line", "fraction", "text"), [
    ("customers:  45%|####5     | 2250/5000 [00:01<00:02, 1500.00it/s]", 0.45, "customers"),
    ("conversations: 1,000/4,000", 0.25, "conversations"),
    ('{"message": "seeding deals", "done": 3, "total": 4}', 0.75, "seeding deals"),
    ('{"time": "x", "level": "INFO", "message": "database migrated"}', None, "database migrated"),
    ("Creating campaign templates", None, "Creating campaign templates"),
])
def test_seed_progress_lines_are_read(line, fraction, text):
    progress = parse_progress(line)
    assert progress.fraction == (pytest.approx(fraction) if fraction is not None else None)
    assert progress.text == text
