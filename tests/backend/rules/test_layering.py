"""The rule engine is plain Python: importing it loads no web framework (the import-linter contract in
pyproject.toml holds the same statically; this checks what actually gets imported)."""

from __future__ import annotations

import subprocess
import sys

from backend.auth.org_settings import OrgSettings
from backend.rules import engine
from tests.backend.rules import factories as fx


def test_the_rule_engine_and_the_metrics_load_without_fastapi_or_starlette():
    code = ("import sys, backend.rules.compiler, backend.rules.reference, backend.rules.service, "
            "backend.rules.engine, backend.metrics.service\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette'))\n"
            "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_parser_takes_an_organisations_settings_rather_than_its_row(db):
    with db.session() as s:
        org = fx.make_org(s, max_groups=1)
        settings = OrgSettings.of(org)
        s.expunge_all()  # the row is gone; the parser, registry and compiler only need the settings
        tree = engine.parse_and_validate(s, settings, {"combinator": "and", "rules": [
            {"field": "source", "operator": "is", "value": "WhatsApp"}]})
        assert engine.count_matching(s, settings, tree.root) == 0
        assert tree.registry.org == settings
