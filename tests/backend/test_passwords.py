"""The password policy (issue 13, item 7): at least 12 characters, not only whitespace, not a common password;
the demo credentials people are shown satisfy it; the command line keeps the contract's bootstrap promise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend import cli
from backend.auth.passwords import password_problem
from backend.demo.service import DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("password", "problem"), [
    ("Lead-pass-1", "Use at least 12 characters."),
    (" " * 12, "Enter a password that is not only spaces."),
    ("\t \n" * 5, "Enter a password that is not only spaces."),
    ("qwerty123456", "This password is too common; choose one that is harder to guess."),
    ("Password1234", "This password is too common; choose one that is harder to guess."),
    ("!!qwerty123456!!", "This password is too common; choose one that is harder to guess."),
    ("Lead-pass-12\x00", "Text may not contain the NUL character (U+0000)."),
])
def test_refused_passwords_say_why(password, problem):
    assert password_problem(password) == problem


@pytest.mark.parametrize("password", ["Lead-pass-12", "correct horse battery", "longenoughpassword", "  spaced out  "])
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password) is None


def test_the_administration_api_holds_the_policy(client, make_org):
    org = make_org()
    roles = client.get("/api/v1/admin/roles", headers=org.headers()).json()
    lead = next(r["id"] for r in roles if r["key"] == "team_lead")
    for password in ("Lead-pass-1", " " * 14, "qwerty123456"):
        r = client.post("/api/v1/admin/users", headers=org.headers(),
                        json={"username": "newlead", "role_id": lead, "password": password})
        assert r.status_code == 400, r.text
        assert [f["path"] for f in r.json()["error"]["fields"]] == ["password"]
    users = client.get("/api/v1/admin/users", headers=org.headers()).json()
    me = next(u["id"] for u in users if u["username"] == "o1_agent")
    r = client.post(f"/api/v1/admin/users/{me}/reset-password", headers=org.headers(), json={"password": "short-pw-1"})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "password"


def test_the_command_line_keeps_the_contracts_bootstrap_promise(db, monkeypatch, capsys):
    """Contract: "Any password of 10 or more characters mixing letters, digits and a symbol is accepted"."""
    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", db.url)
    base = ["--log-level", "WARNING", "create-org", "--name", "Boot", "--package", "ultimate", "--timezone",
            "Asia/Jakarta"]
    assert cli.main([*base, "--admin", "boot1", "--password", "Conf-pass-1"]) == 0
    org_id = capsys.readouterr().out.strip()
    for password in ("tenletters", "qwerty123456!"):  # no digit and symbol; common
        assert cli.main(["--log-level", "WARNING", "create-user", "--org", org_id, "--username", "boot2",
                         "--password", password, "--role", "agent"]) != 0


def test_the_demo_credentials_people_are_shown_satisfy_the_policy():
    shown = {u.username: u.password for u in DEMO_USERS if u.username in ("admin", "lead", "agent")}
    for user in DEMO_USERS:
        assert password_problem(user.password) is None, user.username
    hint = (ROOT / "segstudio" / "views" / "sign_in.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for username, password in shown.items():
        assert f"<b>{username}</b> / <b>{password}</b>" in hint
        assert f"`{username}` / `{password}`" in readme
    for text in (hint, readme):
        for password in re.findall(r"\b[A-Z][a-z]+-pass-\d+\b", text):
            assert password_problem(password) is None, password
