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
