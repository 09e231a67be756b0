"""The profile screen's sections: served labels, metric definitions, records in short lines."""

from __future__ import annotations

from segstudio.core.profile import ProfileRow, profile_sections
from tests.core.test_explain import CATALOG


def test_sections_label_values_from_the_catalog_and_keep_unknown_keys():
    profile = {"id": "k1", "properties": {"source": "WhatsApp", "mystery": None},
               "custom_fields": {}, "metrics": {"metric.total_spend": 1250000},
               "associations": {"deals": [{"id": "d1", "stage": "Won", "size": 2.5, "owner": None}], "tickets": []}}
    sections = dict(profile_sections(profile, CATALOG))
    assert sections["Properties"] == [ProfileRow("mystery", "(empty)"), ProfileRow("Source", "WhatsApp")]
    assert sections["Metrics"] == [ProfileRow("Total spend", "1,250,000", "Sum of completed orders.")]
    assert sections["Latest deals"] == [ProfileRow("d1", "stage: Won · size: 2.5")]
    assert sections["Latest tickets (none)"] == []
