"""The builder's backend adapter against the real bundled server (the shell's `live_server` fixture)."""

from __future__ import annotations

import httpx
import pytest

from segstudio.client import ApiClient
from segstudio.core.backend import BackendError
from segstudio.core.rule_tree import RuleTree
from segstudio.views.builder.client_backend import ClientBackend
from tests.desktop.conftest import PASSWORD


def test_catalog_preview_save_and_400_paths_on_a_real_server(live_server, run_async) -> None:
    token = live_server.token(live_server.users["org_admin"])
    probe = httpx.get(f"{live_server.url}/api/v1/fields", headers={"Authorization": f"Bearer {token}"})
    if probe.status_code == 404:
        pytest.skip("this server build does not serve GET /fields yet")
    client = ApiClient(live_server.url)
    run_async(client.login(live_server.users["org_admin"], PASSWORD))
    backend = ClientBackend(client)
    try:
        catalog = run_async(backend.catalog())
        limits = run_async(backend.limits())
        assert catalog.get("source") is not None and limits.max_conditions >= 1
        rules = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}
        result = run_async(backend.preview(rules))
        assert result.total_customers == 12 and result.matched == 6
        number = next(f for f in catalog.fields if f.available and f.family.value == "number")
        bad = {"combinator": "and", "rules": [rules["rules"][0], {"combinator": "or", "rules": [
            {"field": number.key, "operator": "gt", "value": "abc"}]}]}
        with pytest.raises(BackendError) as info:
            run_async(backend.save(None, "Bad numbers", None, bad))
        assert info.value.status == 400
        tree = RuleTree.from_json(bad, limits)
        from segstudio.core.validation import map_server_errors

        mapped = map_server_errors(tree, info.value.fields)
        assert tree.node_at((1, 0)).id in mapped.by_node
        saved = run_async(backend.save(None, "WhatsApp (builder live test)", "from the test", rules))
        assert saved.name == "WhatsApp (builder live test)"
    finally:
        run_async(client.aclose())
