"""One readable check per item of issue 16's first part (contract "v2 additions → Rule language"): NOT groups,
`none` on association conditions, and the list / comparison / anniversary operators. The `world` fixture is
test_acceptance's, shared through this folder's conftest."""

from __future__ import annotations

from datetime import date

import pytest

from tests.backend.rules.test_acceptance import cond, rules

API = "/api/v1"


@pytest.fixture
def org(make_org):
    return make_org("ultimate")


def negated(*conditions, combinator: str = "and") -> dict:
    return {"combinator": combinator, "not": True, "rules": list(conditions)}


# ---------------------------------------------------------------- NOT groups

def test_a_not_group_matches_exactly_the_customers_the_group_does_not(world):
    world.customer("jkt-wa", province="Jakarta", source="WhatsApp")
    world.customer("jkt-mail", province="Jakarta", source="Email")
    world.customer("bali", province="Bali", source="WhatsApp")
    world.customer("nowhere")
    inner = [cond("province", "is", "Jakarta"), cond("source", "is", "WhatsApp")]
    assert world.ids(rules(*inner)) == {"jkt-wa"}
    assert world.ids(rules(negated(*inner))) == {"jkt-mail", "bali", "nowhere"}


def test_a_segment_made_only_of_negations_works(world):
    world.customer("vip", loyalty_current_tier="Gold")
    world.customer("lead", status="Lead")
    world.customer("plain", status="Customer")
    tree = {"combinator": "and", "not": True, "rules": [
        cond("loyalty_current_tier", "is", "Gold"), negated(cond("status", "is_not", "Lead"))]}
    # NOT (Gold AND NOT (Status is not Lead)): everyone but a Gold customer whose status is empty or Lead.
    assert world.ids(tree) == {"lead", "plain"}
    assert world.ids(rules(negated(cond("province", "is_not_empty")))) == {"vip", "lead", "plain"}


def test_not_is_a_boolean_and_false_means_an_ordinary_group(world):
    world.customer("a", province="Jakarta")
    assert world.ids(rules({"combinator": "and", "not": False, "rules": [cond("province", "is", "Jakarta")]})) \
        == {"a"}
    error = world.error(rules({"combinator": "and", "not": "yes", "rules": [cond("province", "is", "x")]}))
    assert [(f.path, f.message) for f in error.fields] == [("rules.rules.0.not", "Expected true or false.")]


# ---------------------------------------------------------------- none on association conditions

def test_none_matches_customers_with_no_such_record_including_those_without_records(world):
    won = world.customer("won")
    mixed = world.customer("mixed")
    lost = world.customer("lost")
    world.customer("no-deals")
    world.record("deals", won, stage="Won")
    world.record("deals", mixed, stage="Won")
    world.record("deals", mixed, stage="Lead")
    world.record("deals", lost, stage="Lost")
    assert world.ids(rules(cond("deal.stage", "is", "Won", match="none"))) == {"lost", "no-deals"}
    assert world.ids(rules(cond("deal.stage", "is", "Won", match="any"))) == {"won", "mixed"}


def test_none_on_the_company_is_its_negation(world):
    from tests.backend.rules import factories as fx
    retail = fx.add_company(world.session, world.org.id, "co1", industry="Retail")
    world.customer("shop", company_pk=retail)
    world.customer("alone")
    assert world.ids(rules(cond("company.industry", "is", "Retail", match="none"))) == {"alone"}


# ---------------------------------------------------------------- lists and comparisons

def test_is_any_of_and_is_none_of_on_text_and_dropdowns(world):
    world.customer("jkt", province="Jakarta", full_name="Ana")
    world.customer("bali", province="bali", full_name="Budi")
    world.customer("bdg", province="Bandung", full_name="")
    world.customer("empty")
    assert world.ids(rules(cond("province", "is_any_of", ["Jakarta", "Bali"]))) == {"jkt", "bali"}
    # Like every negative operator, is none of leaves out empty values.
    assert world.ids(rules(cond("province", "is_none_of", ["Jakarta", "Bali"]))) == {"bdg"}
    assert world.ids(rules(cond("full_name", "is_any_of", ["ana", "nobody"]))) == {"jkt"}


def test_is_any_of_on_association_records_and_usernames(world):
    a = world.customer("a", usernames=["ana_ig"])
    b = world.customer("b")
    world.record("deals", a, stage="Won")
    world.record("deals", b, stage="Lead")
    assert world.ids(rules(cond("deal.stage", "is_any_of", ["won", "Lost"]))) == {"a"}
    assert world.ids(rules(cond("deal.stage", "is_none_of", ["won"], match="all"))) == {"b"}
    assert world.ids(rules(cond("usernames", "is_any_of", ["ANA_IG"]))) == {"a"}


def test_gte_and_lte_include_the_boundary(world):
    world.customer("low", loyalty_available_balance=5)
    world.customer("mid", loyalty_available_balance=10)
    world.customer("high", loyalty_available_balance=15)
    world.customer("none")
    assert world.ids(rules(cond("loyalty_available_balance", "gte", 10))) == {"mid", "high"}
    assert world.ids(rules(cond("loyalty_available_balance", "lte", 10))) == {"low", "mid"}


def test_contains_none_on_multiple_selection_leaves_out_empty_selections(world):
    field = world.custom_field("interests", "multiple_selection", ["golf", "tennis", "chess"])
    world.customer("golfer", custom={field: ("multiple_selection", ["golf", "chess"])})
    world.customer("chess", custom={field: ("multiple_selection", ["chess"])})
    world.customer("unset")
    tree = rules(cond("custom.interests", "contains_none", ["golf", "tennis"]))
    assert world.ids(tree) == {"chess"}


def test_birthday_in_the_next_7_days(world):
    world.customer("in3", date_of_birth=date(1990, 6, 18))
    world.customer("today", date_of_birth=date(2001, 6, 15))
    world.customer("edge", date_of_birth=date(1985, 6, 22))
    world.customer("past", date_of_birth=date(1990, 6, 14))
    world.customer("later", date_of_birth=date(1990, 6, 23))
    world.customer("unknown")
    tree = rules(cond("date_of_birth", "anniversary_in_next_days", 7))
    assert world.ids(tree, today=date(2025, 6, 15)) == {"in3", "today", "edge"}


def test_anniversaries_cross_the_year_end(world):
    world.customer("new-year", date_of_birth=date(1990, 1, 2))
    world.customer("old-year", date_of_birth=date(1990, 12, 30))
    world.customer("march", date_of_birth=date(1990, 3, 1))
    tree = rules(cond("date_of_birth", "anniversary_in_next_days", 7))
    assert world.ids(tree, today=date(2025, 12, 28)) == {"new-year", "old-year"}


def test_29_february_counts_as_28_february_in_other_years(world):
    world.customer("leapling", date_of_birth=date(2000, 2, 29))
    world.customer("feb28", date_of_birth=date(1999, 2, 28))
    world.customer("mar1", date_of_birth=date(1999, 3, 1))
    on_28th = rules(cond("date_of_birth", "anniversary_in_next_days", 0))
    assert world.ids(on_28th, today=date(2025, 2, 28)) == {"leapling", "feb28"}
    # In a leap year the 29th is the leapling's own day, not the 28th.
    assert world.ids(on_28th, today=date(2028, 2, 28)) == {"feb28"}
    assert world.ids(on_28th, today=date(2028, 2, 29)) == {"leapling"}


def test_anniversaries_are_offered_on_calendar_days_only(client, org):
    fields = {f["key"]: f for f in client.get(f"{API}/fields", headers=org.headers()).json()}
    assert "anniversary_in_next_days" in fields["date_of_birth"]["operators"]
    assert "anniversary_in_next_days" not in fields["created_at"]["operators"]
    assert fields["deal.stage"]["match"] == ["any", "all", "none"]
    assert {"gte", "lte"} <= set(fields["loyalty_available_balance"]["operators"])
    assert {"is_any_of", "is_none_of"} <= set(fields["province"]["operators"])


# ---------------------------------------------------------------- bad input

def test_list_operators_refuse_an_empty_list_and_more_than_100_values_at_the_node(client, org):
    for value, message in [([], "Choose at least one value."),
                           ([f"v{i}" for i in range(101)], "Choose at most 100 values.")]:
        tree = {"combinator": "and", "rules": [
            {"combinator": "or", "rules": [cond("source", "is", "x"), cond("province", "is_any_of", value)]}]}
        r = client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": tree})
        assert r.status_code == 400, r.text
        assert r.json()["error"]["fields"] == [{"path": "rules.rules.0.rules.1.value", "message": message}]
    ok = {"combinator": "and", "rules": [cond("province", "is_any_of", [f"v{i}" for i in range(100)])]}
    assert client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": ok}).status_code == 200


def test_an_unknown_match_names_the_three_choices(world):
    error = world.error(rules(cond("deal.stage", "is", "Won", match="some")))
    assert [(f.path, f.message) for f in error.fields] == [
        ("rules.rules.0.match", "Choose \"any\", \"all\" or \"none\".")]
