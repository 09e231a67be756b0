"""`segstudio-server import-csv --org ID FILE`: same validation as the API, all or nothing."""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from backend import cli
from backend.customers import service as customers
from backend.customers.models import Customer, CustomerUsername, CustomValue, Deal
from backend.ingest.csv_import import CsvImportError, import_csv

GOOD = """id,full_name,email,usernames,date_of_birth,address.province,address.city,loyalty.current_tier,\
loyalty.available_balance,loyalty.is_member,has_chatroom,created_at,custom.score,custom.hobbies,custom.consent
k1,Kartika Sari,k@example.com,kartika; ks ,1990-04-01,Jakarta,South Jakarta,Gold,12.5,true,no,2024-05-01T09:30:00,7,\
golf;chess,https://sig.example.com/k.png
k2,"Joko, Jr.",,joko,,Bali,,,,,,,3,,"{""url"": ""https://s.example.com/j.png"", ""complete"": false}"
"""


@pytest.fixture(autouse=True)
def _restore_logging():
    """cli.main points the root logger at this test's stderr; later tests must not log to a closed stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def org_with_fields(db, make_org):
    org = make_org()
    with db.session() as s:
        customers.create_custom_field(s, org.id, key="score", label="Score", type_="number")
        customers.create_custom_field(s, org.id, key="hobbies", label="Hobbies", type_="multiple_selection",
                                      options=["golf", "chess"])
        customers.create_custom_field(s, org.id, key="consent", label="Consent", type_="signature")
    return org


def run_cli(monkeypatch, db, tmp_path, org_id: int, text: str, *extra: str) -> int:
    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", db.url)
    path = tmp_path / "customers.csv"
    path.write_text(text, encoding="utf-8")
    return cli.main(["--log-level", "WARNING", "import-csv", "--org", str(org_id), *extra, str(path)])


def customer_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def test_a_good_file_is_imported_and_reimporting_it_updates(monkeypatch, db, tmp_path, capsys, org_with_fields):
    org = org_with_fields
    assert run_cli(monkeypatch, db, tmp_path, org.id, GOOD) == 0
    assert capsys.readouterr().out.strip() == "inserted 2, updated 0"
    with db.session() as s:
        k1 = s.scalar(select(Customer).where(Customer.ext_id == "k1"))
        k2 = s.scalar(select(Customer).where(Customer.ext_id == "k2"))
        assert (k1.full_name, k1.province, k1.city, k1.loyalty_current_tier) == ("Kartika Sari", "Jakarta",
                                                                                  "South Jakarta", "Gold")
        assert (k1.loyalty_available_balance, k1.loyalty_is_member, k1.has_chatroom) == (12.5, True, False)
        assert k1.date_of_birth == date(1990, 4, 1)
        assert k1.created_at == datetime(2024, 5, 1, 2, 30, tzinfo=UTC)
        assert k1.usernames == ["kartika", "ks"]
        assert sorted(s.scalars(select(CustomerUsername.value).where(CustomerUsername.customer_pk == k1.pk))) \
            == ["kartika", "ks"]
        assert k1.custom == {"score": 7, "hobbies": ["golf", "chess"],
                             "consent": {"url": "https://sig.example.com/k.png", "complete": True}}
        assert s.scalar(select(func.count()).select_from(CustomValue).where(CustomValue.customer_pk == k1.pk)) == 4
        # An empty cell is "not given": k2 has no email, no city and no hobbies stored.
        assert (k2.full_name, k2.email, k2.city, k2.province) == ("Joko, Jr.", None, None, "Bali")
        assert k2.custom == {"score": 3, "consent": {"url": "https://s.example.com/j.png", "complete": False}}
    assert run_cli(monkeypatch, db, tmp_path, org.id, GOOD) == 0
    assert capsys.readouterr().out.strip() == "inserted 0, updated 2"


def test_a_bad_file_prints_each_problem_by_line_and_writes_nothing(monkeypatch, db, tmp_path, capsys,
                                                                   org_with_fields):
    text = ("id,email,sex,custom.score,custom.hobbies\n"
            "ok1,fine@example.com,female,1,golf\n"
            f"bad1,{'x' * 256}@example.com,female,2,\n"
            "bad2,b@example.com,Male,seven,surfing\n"
            "ok1,dup@example.com,,,\n")
    assert run_cli(monkeypatch, db, tmp_path, org_with_fields.id, text) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [
        "line 3: email: Enter at most 255 characters.",
        "line 4: sex: Choose one of male, female.",
        "line 4: custom.score: Enter a number.",
        "line 4: custom.hobbies.0: Choose from the options of hobbies: chess, golf.",
        "line 5: id: The id 'ok1' is already used by record 0 of this batch.",
    ]
    assert customer_count(db) == 0


def test_unknown_columns_are_reported_on_line_1(monkeypatch, db, tmp_path, capsys, org_with_fields):
    text = "id,nickname,custom.undefined,address.street\nk1,Bud,1,Main St\n"
    assert run_cli(monkeypatch, db, tmp_path, org_with_fields.id, text) == 2
    assert capsys.readouterr().err.splitlines() == [
        "line 1: nickname: Unknown column for customers.",
        "line 1: custom.undefined: No custom field with the key 'undefined' is defined.",
        "line 1: address.street: Unknown column for customers.",
    ]
    assert customer_count(db) == 0


def test_a_quoted_multi_line_cell_keeps_later_line_numbers_right(monkeypatch, db, tmp_path, capsys, make_org):
    org = make_org()
    text = 'id,full_name,job_title\nk1,"Two\nlines",Chef\nk2,Ok,' + "y" * 300 + "\n"
    assert run_cli(monkeypatch, db, tmp_path, org.id, text) == 2
    assert capsys.readouterr().err.strip() == "line 4: job_title: Enter at most 255 characters."


def test_an_unknown_organisation_or_file_exits_2(monkeypatch, db, tmp_path, capsys):
    assert run_cli(monkeypatch, db, tmp_path, 999_999, "id\nk1\n") == 2
    assert "no organisation" in capsys.readouterr().err
    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", db.url)
    assert cli.main(["--log-level", "WARNING", "import-csv", "--org", "1", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_other_entities_import_through_the_same_function(db, make_org):
    org = make_org()
    with db.session() as s:
        import_csv(s, org.id, io.StringIO("id,full_name\nc1,Ana\n"))
        result = import_csv(s, org.id, io.StringIO("id,customer_id,size,rotten,outcome\nd1,c1,1500,false,won\n"),
                            "deals")
    assert (result.inserted, result.updated) == (1, 0)
    with db.session() as s:
        deal = s.scalar(select(Deal))
        assert (deal.size, deal.rotten, deal.outcome) == (1500, False, "won")
    with pytest.raises(CsvImportError) as info, db.session() as s:
        import_csv(s, org.id, io.StringIO("id,customer_id\nd2,ghost\n"), "deals")
    assert info.value.lines == ["line 2: customer_id: No customer with the id 'ghost' exists in this organisation."]


def test_a_file_larger_than_one_api_batch_is_one_transaction(db, make_org):
    org = make_org()
    rows = "".join(f"c{i},Name {i}\n" for i in range(10_050))
    with db.session() as s:
        result = import_csv(s, org.id, io.StringIO("id,full_name\n" + rows))
    assert (result.inserted, customer_count(db)) == (10_050, 10_050)
