"""One readable check per PRD acceptance criterion of the rule engine (Basic Attributes TF-2548/2549,
Use-Case SEG-S01..S06, section 13.2.6 metrics) and of the contract's "Rules" section."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from backend.customers.models import Customer
from backend.errors import ApiError
from backend.rules import engine
from tests.backend.rules import factories as fx

TODAY = date(2025, 6, 15)  # in Asia/Jakarta (UTC+7)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def cond(field: str, operator: str, value: Any = None, **extra: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value, **extra}


def rules(*conditions: Any, combinator: str = "and") -> dict[str, Any]:
    return {"combinator": combinator, "rules": list(conditions)}


@pytest.fixture
def world(db):
    """An org and a helper that answers "which customer ids does this tree match"."""
    session_cm = db.session()
    session = session_cm.__enter__()
    org = fx.make_org(session)

    class World:
        def __init__(self) -> None:
            self.session, self.org = session, org

        def customer(self, ext_id: str, **cols: Any) -> int:
            return fx.add_customer(session, org.id, ext_id, **cols)

        def record(self, entity: str, customer_pk: int, **cols: Any) -> int:
            World.n = getattr(World, "n", 0) + 1
            return fx.add_record(session, entity, org.id, customer_pk, f"{entity}-{World.n}", **cols)

        def custom_field(self, key: str, type_: str, options: list[str] | None = None) -> int:
            return fx.add_custom_field(session, org.id, key, type_, options)

        def ids(self, tree: dict[str, Any], today: date = TODAY) -> set[str]:
            fx.changed(session, org.id, None)
            parsed = engine.parse_and_validate(session, org, tree)
            pks = engine.matching_customer_pks(session, org, parsed, today=today).subquery()
            return set(session.scalars(select(Customer.ext_id).where(Customer.pk.in_(select(pks)))))

        def error(self, tree: Any) -> ApiError:
            with pytest.raises(ApiError) as exc:
                engine.parse_and_validate(session, org, tree)
            return exc.value

    yield World()
    session_cm.__exit__(None, None, None)


# ---------------------------------------------------------------- Basic Attributes: customer fields

def test_text_matching_is_case_insensitive(world):
    world.customer("a", full_name="Alice Wong")
    world.customer("b", full_name="BOB")
    assert world.ids(rules(cond("full_name", "is", "alice wong"))) == {"a"}
    assert world.ids(rules(cond("full_name", "contains", "WONG"))) == {"a"}
    assert world.ids(rules(cond("full_name", "starts_with", "bo"))) == {"b"}
    assert world.ids(rules(cond("full_name", "ends_with", "ONG"))) == {"a"}


def test_empty_values_are_matched_only_by_is_empty(world):
    world.customer("null", job_title=None)
    world.customer("blank", job_title="")
    world.customer("dev", job_title="Developer")
    assert world.ids(rules(cond("job_title", "is_empty"))) == {"null", "blank"}
    assert world.ids(rules(cond("job_title", "is_not_empty"))) == {"dev"}
    assert world.ids(rules(cond("job_title", "is_not", "Manager"))) == {"dev"}
    assert world.ids(rules(cond("job_title", "not_contains", "x"))) == {"dev"}


def test_dropdown_source_matches_the_selected_value(world):
    world.customer("wa", source="WhatsApp")
    world.customer("em", source="Email")
    assert world.ids(rules(cond("source", "is", "WhatsApp"))) == {"wa"}
    assert world.ids(rules(cond("source", "is_not", "WhatsApp"))) == {"em"}


def test_between_is_inclusive_and_needs_two_ordered_values(world):
    for i, d in enumerate(["2000-01-01", "2000-01-05", "2000-01-06"]):
        world.customer(f"c{i}", date_of_birth=date.fromisoformat(d))
    assert world.ids(rules(cond("date_of_birth", "between", ["2000-01-01", "2000-01-05"]))) == {"c0", "c1"}
    err = world.error(rules(cond("date_of_birth", "between", ["2000-01-05", "2000-01-01"])))
    assert err.status == 400 and err.fields[0].path == "rules.rules.0.value.1"
    assert world.error(rules(cond("date_of_birth", "between", ["2000-01-05"]))).status == 400


def test_dates_are_compared_by_calendar_day_in_the_org_timezone(world):
    # 17:30 UTC on the 14th is 00:30 on the 15th in Jakarta.
    world.customer("late", created_at=at("2025-06-14T17:30:00"))
    world.customer("early", created_at=at("2025-06-14T16:30:00"))
    assert world.ids(rules(cond("created_at", "on", "2025-06-15"))) == {"late"}
    assert world.ids(rules(cond("created_at", "before", "2025-06-15"))) == {"early"}
    assert world.ids(rules(cond("created_at", "not_on", "2025-06-15"))) == {"early"}


def test_relative_date_operators_count_days_from_today_at_evaluation_time(world):
    world.customer("d0", created_at=at("2025-06-15T03:00:00"))  # today
    world.customer("d7", created_at=at("2025-06-08T03:00:00"))  # today - 7
    world.customer("d8", created_at=at("2025-06-07T03:00:00"))  # today - 8
    world.customer("future", created_at=at("2025-06-18T03:00:00"))
    assert world.ids(rules(cond("created_at", "in_last_days", 7))) == {"d0", "d7"}
    assert world.ids(rules(cond("created_at", "more_than_days_ago", 7))) == {"d8"}
    assert world.ids(rules(cond("created_at", "in_next_days", 3))) == {"d0", "future"}
    # The same rule a day later: recalculated, not stored.
    assert world.ids(rules(cond("created_at", "in_last_days", 7)), today=date(2025, 6, 16)) == {"d0"}


def test_usernames_match_when_any_username_does_and_negatives_when_none_does(world):
    world.customer("two", usernames=["ig_alice", "tt_alice"])
    world.customer("one", usernames=["bob"])
    world.customer("none")
    assert world.ids(rules(cond("usernames", "is", "TT_ALICE"))) == {"two"}
    assert world.ids(rules(cond("usernames", "is_not", "tt_alice"))) == {"one"}
    assert world.ids(rules(cond("usernames", "is_empty"))) == {"none"}


def test_and_or_switch_between_requiring_all_and_any_condition(world):
    world.customer("both", source="WhatsApp", province="Jakarta")
    world.customer("one", source="WhatsApp", province="Bali")
    both = [cond("source", "is", "WhatsApp"), cond("province", "is", "Jakarta")]
    assert world.ids(rules(*both)) == {"both"}
    assert world.ids(rules(*both, combinator="or")) == {"both", "one"}


# ---------------------------------------------------------------- custom fields by user

def test_multiple_selection_contains_any_or_all_in_any_order(world):
    f = world.custom_field("hobbies", "multiple_selection", ["Golf", "Chess", "Tea"])
    world.customer("gc", custom={f: ("multiple_selection", ["Golf", "Chess"])})
    world.customer("t", custom={f: ("multiple_selection", ["Tea"])})
    world.customer("none")
    assert world.ids(rules(cond("custom.hobbies", "contains_any", ["Chess", "Tea"]))) == {"gc", "t"}
    assert world.ids(rules(cond("custom.hobbies", "contains_all", ["Chess", "Golf"]))) == {"gc"}
    assert world.ids(rules(cond("custom.hobbies", "contains_all", ["Golf", "Chess"]))) == {"gc"}
    assert world.ids(rules(cond("custom.hobbies", "is_empty"))) == {"none"}


def test_numbers_compare_numerically_and_text_is_rejected(world):
    f = world.custom_field("visits", "number")
    world.customer("nine", custom={f: ("number", 9)})
    world.customer("ten", custom={f: ("number", 10)})
    assert world.ids(rules(cond("custom.visits", "gt", 9))) == {"ten"}
    err = world.error(rules(cond("custom.visits", "gt", "9")))
    assert err.status == 400 and err.fields[0].path == "rules.rules.0.value"
    assert err.fields[0].message == "Enter a number."


def test_url_matching_ignores_the_protocol_unless_the_value_includes_it(world):
    f = world.custom_field("site", "url")
    world.customer("s", custom={f: ("url", "https://shop.example.com")})
    world.customer("p", custom={f: ("url", "http://plain.example.com")})
    assert world.ids(rules(cond("custom.site", "starts_with", "shop.example"))) == {"s"}
    assert world.ids(rules(cond("custom.site", "is", "plain.example.com"))) == {"p"}
    assert world.ids(rules(cond("custom.site", "starts_with", "https://"))) == {"s"}
    assert world.ids(rules(cond("custom.site", "starts_with", "http://shop"))) == set()


def test_file_upload_matches_on_at_least_one_file(world):
    f = world.custom_field("receipts", "file_upload")
    world.customer("files", custom={f: ("file_upload", ["a.pdf", "b.pdf"])})
    world.customer("nofile")
    assert world.ids(rules(cond("custom.receipts", "is_not_empty"))) == {"files"}
    assert world.ids(rules(cond("custom.receipts", "is_empty"))) == {"nofile"}


def test_a_partial_signature_counts_as_not_signed(world):
    f = world.custom_field("consent", "signature")
    world.customer("signed", custom={f: ("signature", {"url": "s.png", "complete": True})})
    world.customer("partial", custom={f: ("signature", {"url": "p.png", "complete": False})})
    world.customer("none")
    assert world.ids(rules(cond("custom.consent", "is_not_empty"))) == {"signed"}
    assert world.ids(rules(cond("custom.consent", "is_empty"))) == {"partial", "none"}


def test_gps_matches_by_presence_or_text(world):
    f = world.custom_field("store", "gps")
    world.customer("gps", custom={f: ("gps", "-6.2088,106.8456")})
    world.customer("none")
    assert world.ids(rules(cond("custom.store", "is_not_empty"))) == {"gps"}
    assert world.ids(rules(cond("custom.store", "starts_with", "-6.20"))) == {"gps"}


# ---------------------------------------------------------------- consent and loyalty

def test_marketing_opt_in_true_false_and_empty(world):
    world.customer("in", marketing_opt_in=True)
    world.customer("out", marketing_opt_in=False)
    world.customer("unknown", marketing_opt_in=None)
    assert world.ids(rules(cond("marketing_opt_in", "is", True))) == {"in"}
    assert world.ids(rules(cond("marketing_opt_in", "is", False))) == {"out"}
    assert world.ids(rules(cond("marketing_opt_in", "is_not", True))) == {"out"}
    assert world.ids(rules(cond("marketing_opt_in", "is_empty"))) == {"unknown"}


def test_loyalty_balances_compare_as_numbers(world):
    world.customer("rich", loyalty_available_balance=1500.0)
    world.customer("poor", loyalty_available_balance=20.0)
    assert world.ids(rules(cond("loyalty_available_balance", "between", [100, 2000]))) == {"rich"}


# ---------------------------------------------------------------- associations (SEG-S02..S06)

def test_association_conditions_use_any_by_default_and_all_on_request(world):
    mixed = world.customer("mixed")
    won = world.customer("won")
    world.customer("nodeals")
    world.record("deals", mixed, stage="Won")
    world.record("deals", mixed, stage="Lost")
    world.record("deals", won, stage="Won")
    assert world.ids(rules(cond("deal.stage", "is", "won"))) == {"mixed", "won"}
    assert world.ids(rules(cond("deal.stage", "is", "won", match="all"))) == {"won"}
    # No associated records: neither any nor all, not even for negatives or is_empty.
    assert "nodeals" not in world.ids(rules(cond("deal.stage", "is_not", "x")))
    assert "nodeals" not in world.ids(rules(cond("deal.stage", "is_empty", match="all")))
    # "Has none" is a count.
    assert world.ids(rules(cond("deal.count", "eq", 0))) == {"nodeals"}
    assert world.ids(rules(cond("deal.count", "gt", 1))) == {"mixed"}


def test_conversation_timestamps_are_first_association_and_latest_activity(world):
    c = world.customer("c")
    world.record("conversations", c, associated_at=at("2025-06-01T03:00:00"),
                 last_activity_at=at("2025-06-02T03:00:00"))
    world.record("conversations", c, associated_at=at("2025-06-10T03:00:00"),
                 last_activity_at=at("2025-06-12T03:00:00"))
    assert world.ids(rules(cond("conversation.associated_at", "on", "2025-06-01"))) == {"c"}
    assert world.ids(rules(cond("conversation.associated_at", "on", "2025-06-10"))) == set()
    assert world.ids(rules(cond("conversation.last_activity_at", "on", "2025-06-12", match="all"))) == {"c"}


def test_conversation_tags_match_when_any_tag_of_a_conversation_does(world):
    c = world.customer("c")
    world.record("conversations", c, tags=["vip", "promo"])
    world.record("conversations", c, tags=["billing"])
    assert world.ids(rules(cond("conversation.tags", "is", "PROMO"))) == {"c"}
    assert world.ids(rules(cond("conversation.tags", "is_not", "promo"))) == {"c"}  # the second conversation
    assert world.ids(rules(cond("conversation.tags", "is_not", "promo", match="all"))) == set()


def test_campaign_reply_at_is_the_latest_reply(world):
    c = world.customer("c")
    world.record("campaigns", c, replied_at=at("2025-06-01T03:00:00"))
    world.record("campaigns", c, replied_at=at("2025-06-05T03:00:00"))
    assert world.ids(rules(cond("campaign.replied_at", "on", "2025-06-05"))) == {"c"}
    assert world.ids(rules(cond("campaign.replied_at", "on", "2025-06-01"))) == set()


def test_company_is_a_single_association(world):
    big = fx.add_company(world.session, world.org.id, "co1", industry="Retail", employees=500)
    world.customer("staff", company_pk=big)
    world.customer("solo")
    assert world.ids(rules(cond("company.industry", "is", "retail"))) == {"staff"}
    assert world.ids(rules(cond("company.employees", "gt", 100, match="all"))) == {"staff"}
    assert world.ids(rules(cond("company.industry", "is_not", "Tech"))) == {"staff"}


def test_ticket_all_requires_every_ticket(world):
    done = world.customer("done")
    half = world.customer("half")
    world.record("tickets", done, stage="Resolved")
    world.record("tickets", half, stage="Resolved")
    world.record("tickets", half, stage="Open")
    assert world.ids(rules(cond("ticket.stage", "is", "Resolved", match="all"))) == {"done"}


# ---------------------------------------------------------------- aggregate metrics (13.2.6)

def test_over_no_records_counts_are_zero_and_averages_rates_and_days_since_are_empty(world):
    world.customer("quiet")
    assert world.ids(rules(cond("metric.total_conversations", "eq", 0))) == {"quiet"}
    assert world.ids(rules(cond("metric.avg_csat", "is_empty"))) == {"quiet"}
    assert world.ids(rules(cond("metric.conversation_reply_rate", "is_empty"))) == {"quiet"}
    assert world.ids(rules(cond("metric.days_since_last_conversation", "is_empty"))) == {"quiet"}
    assert world.ids(rules(cond("metric.avg_csat", "lt", 3))) == set()


def test_a_rate_is_the_ratio_of_sums_not_the_mean_of_ratios(world):
    c = world.customer("c")
    world.record("conversations", c, messages_received=1, messages_replied=1)  # 100 %
    world.record("conversations", c, messages_received=9, messages_replied=0)  # 0 %
    # Mean of ratios would be 50 %; ratio of sums is 1 / 10 = 10 %.
    assert world.ids(rules(cond("metric.conversation_reply_rate", "eq", 10))) == {"c"}


def test_days_since_counts_calendar_days_in_the_org_timezone(world):
    c = world.customer("c")
    # 2025-06-14T17:30Z is 00:30 on the 15th in Jakarta: 0 days ago, though a UTC day earlier.
    world.record("conversations", c, last_activity_at=at("2025-06-14T17:30:00"))
    assert world.ids(rules(cond("metric.days_since_last_conversation", "lt", 1))) == {"c"}
    assert world.ids(rules(cond("metric.days_since_last_conversation", "gt", 9)), today=date(2025, 6, 25)) \
        == {"c"}


def test_metrics_follow_ingestion_immediately(world):
    c = world.customer("c")
    assert world.ids(rules(cond("metric.total_tickets_created", "gt", 0))) == set()
    world.record("tickets", c, stage="Open")
    fx.changed(world.session, world.org.id, {c})
    assert world.ids(rules(cond("metric.total_tickets_created", "gt", 0))) == {"c"}


def test_purchase_frequency_counts_completed_orders_of_the_last_90_days(world):
    c = world.customer("c")
    world.record("orders", c, kind="order", status="completed", created_at=at("2025-06-01T03:00:00"))
    world.record("orders", c, kind="order", status="completed", created_at=at("2025-01-01T03:00:00"))
    world.record("orders", c, kind="order", status="cancelled", created_at=at("2025-06-02T03:00:00"))
    assert world.ids(rules(cond("metric.purchase_frequency_90d", "eq", 1))) == {"c"}


# ---------------------------------------------------------------- validation and limits

def test_limits_count_the_root_as_a_group(world):
    four = [cond("source", "is", "x")] * 4
    err = world.error(rules(*four))
    assert err.status == 400 and err.fields[0].path == "rules.rules"
    three_groups = [rules(cond("source", "is", "x"))] * 3
    assert world.error(rules(*three_groups)).fields[0].path == "rules.rules"
    nested = rules(rules(rules(cond("source", "is", "x"))))
    assert world.error(nested).fields[0].path == "rules.rules.0.rules.0"
    ok = rules(cond("source", "is", "x"), rules(*[cond("source", "is", "y")] * 3), rules(cond("city", "is", "z")))
    assert engine.parse_and_validate(world.session, world.org, ok)


def test_errors_point_into_the_tree(world):
    tree = rules(cond("source", "is", "x"), rules(cond("nope", "is", "x"), cond("deal.size", "contains", "1"),
                                                  cond("created_at", "on", "15/06/2025")))
    err = world.error(tree)
    assert [f.path for f in err.fields] == ["rules.rules.1.rules.0.field", "rules.rules.1.rules.1.operator",
                                           "rules.rules.1.rules.2.value"]


def test_missing_and_extra_values_are_rejected(world):
    assert world.error(rules(cond("source", "is"))).fields[0].path == "rules.rules.0.value"
    assert world.error(rules(cond("source", "is_empty", "x"))).fields[0].path == "rules.rules.0.value"
    assert engine.parse_and_validate(world.session, world.org, rules(cond("source", "is_empty", None)))


def test_use_case_fields_need_ultimate_and_starter_has_no_segmentation(db):
    with db.session() as s:
        plus = fx.make_org(s, package="plus")
        err = pytest.raises(ApiError, engine.parse_and_validate, s, plus, rules(cond("deal.stage", "is", "x")))
        assert err.value.status == 403 and "Deal stage" in err.value.message
        starter = fx.make_org(s, package="starter")
        err = pytest.raises(ApiError, engine.parse_and_validate, s, starter, rules(cond("source", "is", "x")))
        assert err.value.status == 403
        assert err.value.message == "Segmentation is not included in the Starter package."


def test_summary_reads_like_the_rule(world):
    tree = engine.parse_and_validate(world.session, world.org, rules(
        cond("source", "is", "WhatsApp"),
        rules(cond("deal.stage", "is", "Won"), cond("metric.days_since_last_conversation", "gt", 90),
              combinator="or")))
    assert engine.summarize(world.session, world.org, tree) == (
        "Source is WhatsApp AND (Deal stage is Won OR Days since last conversation is greater than 90)")
