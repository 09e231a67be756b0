"""Open-loop load test of a real server process: browsing users while another client ingests.

    .venv/bin/python bench/load.py --duration 180                 # SQLite and PostgreSQL, 3 minutes each
    .venv/bin/python bench/load.py --backend sqlite --duration 30  # a short trial run

For each database: seed the demo organisation (--customers) into a temporary SQLite file or
PostgreSQL schema, start `segstudio-server serve` on a loopback port (its own process, so its
memory is its own), create the representative segments of bench/preview.py and wait until they
are evaluated. Then two phases at the same request rate:

- idle: simulated users only, for --idle-duration seconds;
- load: the same users for --duration seconds while another client ingests --records customers
  in batches of --batch-size (each batch waits for the previous one, as an import would).

Users are open-loop: each of --users users fires its next request an exponential think time
(mean users / rate) after the previous one *started*, whether or not it has been answered, so a
slow server meets the same arrival rate instead of a politely slower one. A user lists segments,
opens one, pages through its members and previews a rule set. Everything is bounded: at most
rate × duration × 2 requests, at most 200 in flight (more are counted as dropped), and the
ingestion stops after 3 × duration.

Prints throughput, errors by status, p50/p95/p99 per request kind in each phase, the server's
peak resident memory and the load average, and checks the goals: no errors, preview p95 under
load within 3× its idle p95, server memory under 500 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import metrics  # noqa: E402
from backend.db import Database  # noqa: E402
from backend.demo.service import seed_demo  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from bench.databases import temporary_database  # noqa: E402
from bench.preview import SEGMENTS  # noqa: E402

SERVER = Path(sys.executable).parent / "segstudio-server"
MAX_IN_FLIGHT = 200
KINDS = ("list", "detail", "members", "preview")


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    dropped: int = 0
    sent: int = 0
    scheduled_seconds: float = 0.0

    @property
    def completed(self) -> int:
        return sum(len(v) for v in self.latencies.values())


@dataclass
class Ingest:
    records: int = 0
    batches: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and its worker processes (`--workers`), in MB."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(db: Database, customers: int) -> None:
    upgrade(db.engine)
    metrics.install()
    started = time.perf_counter()
    with db.session() as session:
        seed_demo(session, customers, 42, today=date(2026, 6, 1), force=True)
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    print(f"<!-- seeded {customers:,} customers in {time.perf_counter() - started:.0f} s -->", flush=True)


def start_server(db: Database, port: int, log: Path, workers: int) -> subprocess.Popen:
    env = {**os.environ, "SEGSTUDIO_DATABASE_URL": db.url}
    with open(log, "w") as out:
        proc = subprocess.Popen([str(SERVER), "--log-level", "WARNING", "serve", "--port", str(port),
                                 "--workers", str(workers)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit(f"the server did not start; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


async def prepare(client: httpx.AsyncClient) -> list[int]:
    """Sign in as the demo admin, create the representative segments, wait until they are evaluated."""
    token = (await client.post("/auth/login", json={"username": "admin", "password": "Admin-pass-1"})).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    ids = []
    for name, rules in SEGMENTS.items():
        r = await client.post("/segments", json={"name": f"Load {name}", "rules": rules})
        if r.status_code != 201:
            raise SystemExit(f"creating {name!r}: {r.status_code} {r.text}")
        ids.append(r.json()["id"])
    for _ in range(600):
        states = [(await client.get(f"/segments/{i}")).json()["readiness"] for i in ids]
        if all(s == "ready" for s in states):
            return ids
        await asyncio.sleep(0.5)
    raise SystemExit("segments were not evaluated within 5 minutes")


class Users:
    """Open-loop simulated users: requests start on their own schedule, not when the last one returns."""

    def __init__(self, client: httpx.AsyncClient, segment_ids: list[int], *, users: int, rate: float,
                 seed: int) -> None:
        self.client = client
        self.segment_ids = segment_ids
        self.users = users
        self.mean_think = users / rate
        self.random = random.Random(seed)
        self.in_flight: set[asyncio.Task] = set()

    def _steps(self):
        """One user's walk, repeated: list, open a segment, page its members, preview a rule set."""
        while True:
            yield "list", ("GET", "/segments?page=1&page_size=20", None)
            segment = self.random.choice(self.segment_ids)
            yield "detail", ("GET", f"/segments/{segment}", None)
            for page in range(1, self.random.randint(1, 3) + 1):
                yield "members", ("GET", f"/segments/{segment}/members?page={page}&page_size=20", None)
            rules = self.random.choice(list(SEGMENTS.values()))
            yield "preview", ("POST", "/segments/preview", {"rules": rules})

    async def _request(self, phase: Phase, kind: str, method: str, path: str, body: dict | None) -> None:
        started = time.perf_counter()
        try:
            r = await self.client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            phase.errors[f"{kind}: {type(exc).__name__}"] += 1
            return
        phase.latencies[kind].append((time.perf_counter() - started) * 1000)
        phase.statuses[r.status_code] += 1
        if r.status_code >= 400:
            phase.errors[f"{kind}: {r.status_code}"] += 1

    async def _user(self, phase: Phase, until: float, budget: list[int]) -> None:
        steps = self._steps()
        await asyncio.sleep(self.random.expovariate(1 / self.mean_think))
        while time.monotonic() < until and budget[0] > 0:
            kind, (method, path, body) = next(steps)
            budget[0] -= 1
            if len(self.in_flight) >= MAX_IN_FLIGHT:
                phase.dropped += 1
            else:
                phase.sent += 1
                task = asyncio.create_task(self._request(phase, kind, method, path, body))
                self.in_flight.add(task)
                task.add_done_callback(self.in_flight.discard)
            await asyncio.sleep(self.random.expovariate(1 / self.mean_think))

    async def run(self, phase: Phase, seconds: float, rate: float) -> None:
        started = time.monotonic()
        budget = [int(rate * seconds * 2)]
        await asyncio.gather(*(self._user(phase, started + seconds, budget) for _ in range(self.users)))
        phase.scheduled_seconds = time.monotonic() - started
        if self.in_flight:
            await asyncio.wait(set(self.in_flight), timeout=60)
        phase.seconds = time.monotonic() - started


def ingest_records(start: int, count: int) -> list[dict]:
    return [{"id": f"load{i:07d}", "full_name": f"Loaded Customer {i}", "email": f"load{i}@example.com",
             "phone": f"+62812{i:07d}", "source": "WhatsApp" if i % 3 else "Email",
             "address": {"province": "DKI Jakarta", "city": "Jakarta Selatan"},
             "created_at": "2026-01-01T08:00:00+07:00"} for i in range(start, start + count)]


async def ingest(client: httpx.AsyncClient, total: int, batch: int, give_up_after: float) -> Ingest:
    result = Ingest()
    started = time.monotonic()
    for offset in range(0, total, batch):
        if time.monotonic() - started > give_up_after:
            break
        body = {"records": ingest_records(offset, min(batch, total - offset))}
        try:
            r = await client.post("/ingest/customers", json=body)
            result.statuses[r.status_code] += 1
            if r.status_code == 200:
                result.records += len(body["records"])
        except httpx.HTTPError as exc:
            result.statuses[type(exc).__name__] += 1
        result.batches += 1
    result.seconds = time.monotonic() - started
    return result


async def sample_rss(pid: int, peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def measure(base: str, pid: int, args: argparse.Namespace) -> tuple[Phase, Phase, Ingest, float]:
    # Idle connections are dropped well before uvicorn's 5-second keep-alive timeout: reusing one the
    # server is closing at that moment is a client-side race (ReadError), not a server error.
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=50, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client, \
            httpx.AsyncClient(base_url=base, timeout=600) as loader:
        segment_ids = await prepare(client)
        loader.headers["Authorization"] = client.headers["Authorization"]
        peak = [0.0]
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_rss(pid, peak, stop))
        idle, load = Phase("idle"), Phase("load")
        await Users(client, segment_ids, users=args.users, rate=args.rate, seed=1).run(
            idle, args.idle_duration, args.rate)
        ingestion = asyncio.create_task(ingest(loader, args.records, args.batch_size, 3 * args.duration))
        await Users(client, segment_ids, users=args.users, rate=args.rate, seed=2).run(load, args.duration, args.rate)
        ingested = await ingestion
        stop.set()
        await sampler
        return idle, load, ingested, peak[0]


def report(backend: str, args: argparse.Namespace, idle: Phase, load: Phase, ingested: Ingest, peak_rss: float,
           loads: tuple[tuple[float, ...], tuple[float, ...]]) -> bool:
    print(f"\n**{backend}**, {args.workers} server process(es), {args.customers:,} demo customers, "
          f"{args.users} users at {args.rate:g} requests/s; "
          f"idle {idle.seconds:.0f} s, load {load.seconds:.0f} s; load average "
          f"{loads[0][0]:.1f} before, {loads[1][0]:.1f} after\n")
    print("| phase | kind | requests | p50 ms | p95 ms | p99 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for phase in (idle, load):
        for kind in KINDS:
            values = phase.latencies.get(kind, [])
            print(f"| {phase.name} | {kind} | {len(values)} | {percentile(values, 0.5):.0f} | "
                  f"{percentile(values, 0.95):.0f} | {percentile(values, 0.99):.0f} |")
    print()
    for phase in (idle, load):
        errors = ", ".join(f"{k} ×{n}" for k, n in sorted(phase.errors.items())) or "none"
        statuses = ", ".join(f"{k}: {n}" for k, n in sorted(phase.statuses.items()))
        print(f"- {phase.name}: {phase.sent} sent in {phase.scheduled_seconds:.0f} s "
              f"(offered {(phase.sent + phase.dropped) / max(phase.scheduled_seconds, 1e-9):.1f} requests/s "
              f"with the dropped ones), {phase.completed} answered "
              f"by {phase.seconds:.0f} s ({phase.completed / max(phase.seconds, 1e-9):.1f} requests/s); "
              f"statuses {statuses}; "
              f"errors {errors}; dropped (over {MAX_IN_FLIGHT} in flight) {phase.dropped}")
    ingest_statuses = ", ".join(f"{k}: {n}" for k, n in sorted(ingested.statuses.items(), key=str))
    print(f"- ingestion: {ingested.records:,} of {args.records:,} records in {ingested.batches} batches in "
          f"{ingested.seconds:.0f} s ({ingested.records / max(ingested.seconds, 1e-9):,.0f} records/s); "
          f"statuses {ingest_statuses}")
    print(f"- server peak RSS {peak_rss:.0f} MB")
    idle_p95 = percentile(idle.latencies.get("preview", []), 0.95)
    load_p95 = percentile(load.latencies.get("preview", []), 0.95)
    errors = sum(idle.errors.values()) + sum(load.errors.values()) + idle.dropped + load.dropped \
        + sum(n for k, n in ingested.statuses.items() if k != 200)
    goals = [("no errors", errors == 0, f"{errors} errors"),
             ("preview p95 under load ≤ 3× idle", load_p95 <= 3 * idle_p95,
              f"{load_p95:.0f} ms vs idle {idle_p95:.0f} ms ({load_p95 / idle_p95:.1f}×)"),
             ("server memory < 500 MB", peak_rss < 500, f"{peak_rss:.0f} MB"),
             ("all records ingested", ingested.records == args.records, f"{ingested.records:,}")]
    print()
    for name, ok, detail in goals:
        print(f"- goal {name}: {'met' if ok else 'NOT met'} ({detail})")
    sys.stdout.flush()
    return all(ok for _, ok, _ in goals)


def run(backend: str, args: argparse.Namespace) -> bool:
    with temporary_database(backend) as db:
        seed(db, args.customers)
        port = free_port()
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"segstudio-load-{backend}-{port}.log"
        proc = start_server(db, port, log, args.workers)
        try:
            before = os.getloadavg()
            idle, load, ingested, peak = asyncio.run(measure(f"http://127.0.0.1:{port}/api/v1", proc.pid, args))
            after = os.getloadavg()
        finally:
            stop_server(proc)
        return report(backend, args, idle, load, ingested, peak, (before, after))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    p.add_argument("--duration", type=float, default=60, help="seconds of load (the goal's run: 180)")
    p.add_argument("--idle-duration", type=float, default=30)
    p.add_argument("--rate", type=float, default=20, help="requests per second of all users together")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--customers", type=int, default=10_000, help="demo customers seeded before the run")
    p.add_argument("--records", type=int, default=100_000, help="customers ingested during the load phase")
    p.add_argument("--batch-size", type=int, default=5_000)
    p.add_argument("--workers", type=int, default=1, help="server processes (serve --workers; PostgreSQL only)")
    args = p.parse_args()
    ok = [run(backend, args) for backend in args.backend or ["sqlite", "postgresql"]]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
