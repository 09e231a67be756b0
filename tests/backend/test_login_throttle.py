"""The sign-in limit (issue 13, item 5): an atomic count that concurrency cannot bypass, limits per username
and per client address, a known address slowed down rather than locked out, unknown usernames hashed too."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from backend.auth import passwords, service
from backend.auth.models import LoginThrottle
from tests.conftest import PASSWORD

URL = "/api/v1/auth/login"


@pytest.fixture
def verified(monkeypatch) -> list[str]:
    """Every password check the server made (real or the dummy one for unknown usernames)."""
    calls: list[str] = []
    lock = threading.Lock()
    real = passwords.verify_password

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            calls.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return calls


def make_user(db, make_org, username: str = "victim") -> None:
    org = make_org()
    with db.session() as session:
        service.create_user(session, org_id=org.id, username=username, password=PASSWORD, role="agent")


def from_address(app, host: str) -> TestClient:
    return TestClient(app, client=(host, 40000))


def test_fifty_concurrent_logins_check_no_more_passwords_than_the_limit(db, app, make_org, verified):
    make_user(db, make_org)
    verified.clear()  # make_org signed its users in
    attempts = [f"wrong-password-{i}" for i in range(49)] + [PASSWORD]
    with from_address(app, "198.51.100.7") as client:
        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(lambda pw: client.post(URL, json={"username": "victim", "password": pw})
                                     .status_code, attempts))
        assert len(verified) <= 5, f"{len(verified)} passwords checked against a limit of 5"
        assert statuses.count(401) + statuses.count(200) == len(verified)
        assert set(statuses) <= {200, 401, 429}
        if 200 not in statuses:  # the right password came after the limit: it is refused unchecked
            r = client.post(URL, json={"username": "victim", "password": PASSWORD})
            assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
            assert r.json()["error"]["message"].startswith("Too many failed sign-ins for this account.")


def test_one_address_is_limited_across_usernames(db, app, make_org, verified):
    make_user(db, make_org)
    verified.clear()
    with from_address(app, "203.0.113.9") as client:
        for i in range(20):
            assert client.post(URL, json={"username": f"guess{i}", "password": "x" * 12}).status_code == 401
        r = client.post(URL, json={"username": "victim", "password": PASSWORD})
        assert r.status_code == 429
        assert r.json()["error"]["message"].startswith("Too many failed sign-ins from this address.")
    assert len(verified) == 20, "refused attempts check no password"
    with from_address(app, "203.0.113.10") as other:
        assert other.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 200


def test_a_known_address_slows_down_instead_of_locking_the_owner_out(db, app, make_org):
    make_user(db, make_org)
    with from_address(app, "192.0.2.1") as home:
        assert home.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 200
    with from_address(app, "192.0.2.66") as attacker:
        for _ in range(5):
            assert attacker.post(URL, json={"username": "victim", "password": "not-it-at-all"}).status_code == 401
        assert attacker.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 429
    with from_address(app, "192.0.2.1") as home:
        # The owner at the usual address is not locked out by someone else's guesses.
        assert home.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 200
        # Their own mistakes there slow them down: a short, growing wait, never the whole window.
        for _ in range(5):
            assert home.post(URL, json={"username": "Victim", "password": "typo-typo-typo"}).status_code == 401
        r = home.post(URL, json={"username": "victim", "password": PASSWORD})
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        with db.session() as session:  # the second passes
            session.execute(update(LoginThrottle).where(LoginThrottle.key.startswith("k:")).values(not_before=0))
        assert home.post(URL, json={"username": "victim", "password": "typo-typo-typo"}).status_code == 401
        r = home.post(URL, json={"username": "victim", "password": PASSWORD})
        assert r.status_code == 429 and r.headers["Retry-After"] == "2"
        with db.session() as session:
            session.execute(update(LoginThrottle).where(LoginThrottle.key.startswith("k:")).values(not_before=0))
        assert home.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 200


def test_an_unknown_username_costs_a_password_hash_like_a_known_one(db, app, make_org, verified):
    make_user(db, make_org)
    verified.clear()
    with from_address(app, "192.0.2.200") as client:
        assert client.post(URL, json={"username": "nobody-here", "password": "whatever-it-is"}).status_code == 401
        assert client.post(URL, json={"username": "victim", "password": "whatever-it-is"}).status_code == 401
    assert verified == ["whatever-it-is", "whatever-it-is"]


def test_backoff_doubles_to_a_cap():
    from backend.auth.throttle import backoff_seconds

    assert [backoff_seconds(n, 5) for n in range(4, 14)] == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_an_address_over_its_limit_still_lets_its_known_users_in(db, app, make_org):
    make_user(db, make_org)
    with from_address(app, "192.0.2.77") as office:
        assert office.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 200
        for i in range(20):
            assert office.post(URL, json={"username": f"guess{i}", "password": "x" * 12}).status_code == 401
        assert office.post(URL, json={"username": "guess99", "password": "x" * 12}).status_code == 429
        assert office.post(URL, json={"username": "victim", "password": PASSWORD}).status_code == 200
