"""The PyInstaller build: it starts its own bundled backend, seeds the demo organisation, signs in,
shows the main window and exits cleanly, leaving no backend process behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.desktop.conftest import pid_alive

pytestmark = [pytest.mark.slow, pytest.mark.qt]

ROOT = Path(__file__).resolve().parents[2]
EXECUTABLE = ROOT / "dist" / "segstudio" / "segstudio"


def newest_source_mtime() -> float:
    paths = [ROOT / "build.spec", *ROOT.glob("segstudio/**/*.py"), *ROOT.glob("backend/**/*.py")]
    return max(p.stat().st_mtime for p in paths)


@pytest.fixture(scope="module")
def frozen_app() -> Path:
    """Reuse dist/segstudio when it is newer than the sources, else build it (scripts/build.sh)."""
    if os.environ.get("SEGSTUDIO_REBUILD") == "1" or not EXECUTABLE.exists() \
            or EXECUTABLE.stat().st_mtime < newest_source_mtime():
        started = time.monotonic()
        result = subprocess.run([str(ROOT / "scripts" / "build.sh")], cwd=ROOT, capture_output=True, text=True,
                                timeout=1200)
        assert result.returncode == 0, result.stderr[-3000:]
        print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return EXECUTABLE


def backend_children(parent_pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(parent_pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_the_built_app_starts_its_backend_signs_in_and_exits_without_orphans(frozen_app, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("SEGSTUDIO_DATABASE_URL", None)
    data_dir = tmp_path / "data"
    app = subprocess.Popen([str(frozen_app), "--data-dir", str(data_dir), "--demo-customers", "150",
                            "--smoke-test", "--username", "admin", "--password", "Admin-pass-1"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen_children: set[int] = set()
    deadline = time.monotonic() + 240
    while app.poll() is None and time.monotonic() < deadline:
        seen_children.update(backend_children(app.pid))
        time.sleep(0.2)
    if app.poll() is None:
        app.kill()
    stdout, stderr = app.communicate(timeout=30)
    assert app.returncode == 0, f"stdout:\n{stdout}\nstderr:\n{stderr[-3000:]}"
    assert "SEGSTUDIO SMOKE TEST OK: signed in as admin to Demo Organisation" in stdout
    assert (data_dir / "segstudio.sqlite3").exists(), "the backend used the data directory given"
    assert "Uvicorn running" in (data_dir / "logs" / "backend.log").read_text()
    assert seen_children, "the app ran its backend as a child process"
    time.sleep(0.5)
    assert [pid for pid in seen_children if pid_alive(pid)] == [], "a backend process outlived the app"
