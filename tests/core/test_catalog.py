"""The desktop reads what the server's catalog says about ANY/ALL, never guesses over it."""

from __future__ import annotations

from segstudio.core.catalog import FieldSpec

BASE = {"label": "x", "group": "Deals", "type": "single_line_text", "operators": ["is"]}


def test_a_field_listing_match_modes_offers_any_all():
    spec = FieldSpec.from_json({**BASE, "key": "deal.stage", "association": "deals", "match": ["any", "all"]})
    assert spec.match_applies


def test_a_per_customer_association_timestamp_with_match_null_offers_no_any_all():
    spec = FieldSpec.from_json({**BASE, "key": "conversation.last_activity_at", "type": "date",
                                "association": "conversations", "match": None})
    assert not spec.match_applies


def test_without_a_match_key_association_fields_other_than_metrics_qualify():
    assert FieldSpec.from_json({**BASE, "key": "deal.stage", "association": "deals"}).match_applies
    assert not FieldSpec.from_json({**BASE, "key": "metric.total_deals", "association": "deals"}).match_applies


def test_a_saved_tree_widens_lowered_limits_to_its_own_shape():
    from segstudio.core.catalog import Limits

    cond = {"field": "source", "operator": "is", "value": "x"}
    saved = {"combinator": "and", "rules": [cond, cond, cond, cond,
                                            {"combinator": "or", "rules": [cond]}]}
    assert Limits.shape_of(saved) == Limits(max_groups=1, max_conditions=4, max_depth=1)
    lowered = Limits(max_groups=2, max_conditions=2, max_depth=1)
    assert lowered.widen(Limits.shape_of(saved)) == Limits(max_groups=2, max_conditions=4, max_depth=1)


def test_operator_words_and_value_editors_come_from_the_served_table():
    from segstudio.core.catalog import Catalog, ValueKind

    fields = [{**BASE, "key": "size", "type": "number", "operators": ["gt", "between", "is_empty", "top_of"]},
              {**BASE, "key": "joined", "type": "date", "operators": ["between", "in_last_days"]}]
    operators = [{"key": "gt", "label": "is greater than", "value_shape": "one"},
                 {"key": "between", "label": "is between", "value_shape": "two"},
                 {"key": "is_empty", "label": "is empty", "value_shape": "none"},
                 {"key": "in_last_days", "label": "is in the last N days", "value_shape": "days"},
                 # An operator this app has never heard of: its words and editor still come from the server.
                 {"key": "top_of", "label": "is among", "value_shape": "list"}]
    catalog = Catalog.from_json(fields, operators)
    size, joined = catalog.get("size"), catalog.get("joined")
    assert [size.operator_label(op) for op in size.operators] == [
        "is greater than", "is between", "is empty", "is among"]
    assert [size.value_kind(op) for op in size.operators] == [
        ValueKind.NUMBER, ValueKind.NUMBER_RANGE, ValueKind.NONE, ValueKind.MULTI]
    assert [joined.value_kind(op) for op in joined.operators] == [ValueKind.DATE_RANGE, ValueKind.DAYS]


def test_the_desktop_has_no_operator_words_of_its_own():
    from segstudio.core.catalog import Catalog

    bare = Catalog.from_json([{**BASE, "key": "size", "type": "number", "operators": ["neq"]}])
    assert bare.get("size").operator_label("neq") == "neq", "without the served table only the key is known"
