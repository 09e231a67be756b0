"""Issue 13, "several processes on one PostgreSQL": real `segstudio-server serve` processes.

Two servers share one schema; the test holds the customers table locked so each server's worker
is caught mid-evaluation (lease taken, evaluation row open, heartbeat running), kills the one that
claimed the day with SIGKILL, releases the lock, and watches the other finish the whole day.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text, update

from backend.auth.models import Organisation
from backend.evaluation.models import (
    QUEUED,
    RUNNING,
    EvaluationJob,
    EvaluationState,
    ScheduledRun,
    SegmentEvaluation,
)
from tests.backend.segments.conftest import people

SERVER = Path(sys.executable).parent / "segstudio-server"
FAST_LEASES = {"SEGSTUDIO_EVALUATION_LEASE_SECONDS": "2", "SEGSTUDIO_EVALUATION_HEARTBEAT_SECONDS": "0.5",
               "SEGSTUDIO_EVALUATION_POLL_SECONDS": "0.2", "SEGSTUDIO_SCHEDULER_TICK_SECONDS": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def servers(db, tmp_path) -> Iterator[Callable[..., tuple[subprocess.Popen, int]]]:
    started: list[subprocess.Popen] = []
    logs = []

    def start(*extra: str) -> tuple[subprocess.Popen, int]:
        port = free_port()
        env = {**os.environ, **FAST_LEASES, "SEGSTUDIO_DATABASE_URL": db.url}
        log = open(tmp_path / f"server-{port}.log", "w")  # noqa: SIM115 - closed after the process
        logs.append(log)
        proc = subprocess.Popen([str(SERVER), "--log-level", "WARNING", "serve", "--port", str(port), *extra],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(proc)
        return proc, port

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
    for log in logs:
        log.close()


def pid_of(worker: str | None) -> int | None:
    return int(worker.split(":")[1]) if worker else None


def test_two_servers_one_killed_mid_run_the_other_finishes_the_day(db, make_org, ingest, make_segment, run_jobs,
                                                                    servers, tmp_path):
    if db.is_sqlite:
        pytest.skip("several server processes share a PostgreSQL database")
    org = make_org(timezone="UTC")
    ingest(org, people(*[(f"k{i}", "WhatsApp" if i % 2 else "Email") for i in range(40)]))
    segments = [make_segment(org, f"s{i}")["id"] for i in range(12)]
    run_jobs()
    with db.session() as session:  # the day is due as soon as a server looks
        session.execute(update(Organisation).where(Organisation.id == org.id).values(refresh_time="00:00"))

    lock = db.engine.connect()
    lock.begin()
    lock.execute(text("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE"))  # evaluations wait here
    try:
        (a, port_a), (b, port_b) = servers(), servers()
        wait_for(lambda: healthy(port_a) and healthy(port_b), 90, "both servers to answer")

        def holders() -> set[int]:
            with db.session() as session:
                owners = session.scalars(select(EvaluationState.lease_owner)
                                         .where(EvaluationState.lease_owner.is_not(None))).all()
            return {pid_of(o) for o in owners}

        wait_for(lambda: holders() == {a.pid, b.pid}, 60, "each server to be mid-evaluation")
        with db.session() as session:
            claimer = pid_of(session.scalars(select(ScheduledRun.worker)).one())
        victim, survivor = (a, b) if claimer == a.pid else (b, a)
        assert claimer in (a.pid, b.pid)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(10)
    finally:
        lock.rollback()
        lock.close()

    def finished() -> ScheduledRun | None:
        with db.session() as session:
            return session.scalar(select(ScheduledRun).where(ScheduledRun.finished_at.is_not(None)))

    run = wait_for(finished, 90, "the surviving server to finish the day")
    assert (run.evaluated, run.failed, run.skipped) == (len(segments), 0, 0)
    assert survivor.poll() is None
    with db.session() as session:
        rows = session.execute(select(SegmentEvaluation.segment_id, SegmentEvaluation.status,
                                      SegmentEvaluation.worker)
                               .where(SegmentEvaluation.reason == "schedule")).all()
        left = session.scalars(select(EvaluationJob.id).where(EvaluationJob.status.in_((QUEUED, RUNNING)))).all()
        readiness = set(session.scalars(select(EvaluationState.readiness)))
    succeeded = [(sid, pid_of(w)) for sid, status, w in rows if status == "succeeded"]
    assert sorted(sid for sid, _ in succeeded) == segments  # every segment exactly once
    assert {pid for _, pid in succeeded} == {survivor.pid}
    assert [(status, pid_of(w)) for _, status, w in rows if status != "succeeded"] == [("abandoned", victim.pid)]
    assert left == [] and readiness == {"ready"}


def _spawned_children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"spawn_main" in cmdline:
            children.append(int(entry.name))
    return children


def test_serve_workers_runs_that_many_processes(db, servers):
    if db.is_sqlite:
        pytest.skip("--workers > 1 needs PostgreSQL")
    proc, port = servers("--workers", "2")
    wait_for(lambda: healthy(port), 90, "the server to answer")
    assert len(wait_for(lambda: len(_spawned_children(proc.pid)) == 2 and _spawned_children(proc.pid), 60,
                        "two worker processes")) == 2


def test_serve_workers_refuses_sqlite(tmp_path, monkeypatch, capsys):
    from backend import cli

    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'one.sqlite3'}")
    with pytest.raises(SystemExit, match="needs PostgreSQL"):
        cli.main(["serve", "--workers", "2"])
