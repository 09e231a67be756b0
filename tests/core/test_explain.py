"""Per-node counts matched to rows by id, and the words of an explanation (Qt-free)."""

from __future__ import annotations

from segstudio.core.catalog import Catalog
from segstudio.core.explain import NodeCounts, explanation_lines, membership_note, value_text

CATALOG = Catalog.from_json([
    {"key": "source", "label": "Source", "group": "Custom fields", "type": "dropdown", "operators": ["is"]},
    {"key": "deal.stage", "label": "Deal stage", "group": "Deals", "type": "single_line_text", "operators": ["is"],
     "association": "deals", "match": ["any", "all"]},
    {"key": "metric.total_spend", "label": "Total spend", "group": "Metrics", "type": "currency",
     "operators": ["gt"], "description": "Sum of completed orders."},
])
RULES = {"id": "r", "combinator": "and", "rules": [
    {"id": "a", "field": "source", "operator": "is", "value": "WhatsApp"},
    {"id": "g", "combinator": "or", "rules": [
        {"id": "b", "field": "deal.stage", "operator": "is", "value": "Won"},
        {"id": "c", "field": "metric.total_spend", "operator": "gt", "value": 100}]}]}
COUNTS = {"id": "r", "matched": 3, "rules": [{"id": "a", "matched": 10},
                                             {"id": "g", "matched": 4, "rules": [{"id": "b", "matched": 0},
                                                                                 {"id": "c", "matched": 4}]}]}


def test_counts_are_found_by_node_id_and_flag_a_condition_that_matches_nobody():
    counts = NodeCounts.from_json(COUNTS)
    assert counts.badge("a").text == "10" and not counts.badge("a").zero
    zero = counts.badge("b")
    assert zero.zero and "no customer" in zero.tooltip
    assert counts.badge("new-row") is None
    counts.mark_stale()
    assert counts.badge("c").stale and counts.badge("r").matched == 3
    assert NodeCounts.from_json(None).badge("a") is None


def test_explanation_lines_mark_each_node_with_the_customers_value_records_and_definitions():
    explanation = {"customer_id": "k1", "matched": False, "tree": {"id": "r", "matched": False, "rules": [
        {"id": "a", "matched": False, "value": "Email"},
        {"id": "g", "matched": True, "rules": [
            {"id": "b", "matched": True, "value": ["Won", "Lead"], "records": [
                {"id": "d1", "value": "Won", "matched": True}, {"id": "d2", "value": "Lead", "matched": False}]},
            {"id": "c", "matched": False, "value": 12.5}]}]}}
    lines = explanation_lines(explanation, RULES, CATALOG)
    assert [(ln.node_id, ln.depth, ln.matched) for ln in lines] == [
        ("r", 0, False), ("a", 1, False), ("g", 1, True), ("b", 2, True), ("c", 2, False)]
    assert lines[0].text == "Matches all of these" and lines[2].text == "Matches any of these"
    assert lines[1].text == "Source: Email"
    assert lines[3].text == "Deal stage" and lines[3].detail.startswith("1 of 2 records satisfy it")
    assert "d1: Won ✓" in lines[3].detail and "d2: Lead" in lines[3].detail
    assert lines[4].text == "Total spend: 12.5" and lines[4].detail == "Sum of completed orders."


def test_the_membership_note_says_when_the_data_changed_since_the_last_evaluation():
    assert membership_note({"matched": True}) == ""
    assert "agrees" in membership_note({"matched": True, "in_segment": True})
    changed = membership_note({"matched": False, "in_segment": True})
    assert "in the segment as last evaluated" in changed and "data changed" in changed


def test_values_read_as_people_write_them():
    assert value_text(None) == "(empty)" and value_text([]) == "(empty)"
    assert value_text(1234567) == "1,234,567" and value_text(2.50) == "2.5" and value_text(True) == "yes"
    assert value_text(["a", "b"]) == "a, b"


def test_preview_rows_show_the_rules_values_under_the_fields_labels():
    from segstudio.core.explain import sample_with_rule_values

    sample = [{"id": "k1", "full_name": "Ayu", "email": "a@x", "values": {"source": "WhatsApp",
                                                                          "deal.stage": ["Won", "Lead"]}}]
    assert sample_with_rule_values(sample, CATALOG) == [
        {"full_name": "Ayu", "id": "k1", "Source": "WhatsApp", "Deal stage": "Won, Lead"}]
    plain = [{"id": "k2", "full_name": "Budi", "email": "b@x"}]
    assert sample_with_rule_values(plain, CATALOG) == plain
