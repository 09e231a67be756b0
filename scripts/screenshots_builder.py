"""Screenshots of the segment builder: a nested tree with the live preview showing results.

`render_builder(out_dir)` starts the bundled backend on a throwaway demo database, signs in and renders
`builder.png` (and `builder-info.png`, step 1). `builder_screen(ctx)` is the same screen for
`scripts/screenshots.py`'s registry: `SCREENS["builder"] = builder_screen`.
`--fake` renders against the in-process fake backend of the tests, for layout work without a server.

Usage: .venv/bin/python scripts/screenshots_builder.py [--out docs/screenshots] [--fake]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from segstudio.core.catalog import Catalog  # noqa: E402
from segstudio.views.builder import BuilderView  # noqa: E402

SIZE = (1280, 760)
DEMO_USER, DEMO_PASSWORD = "admin", "Admin-pass-1"


def nested_rules(catalog: Catalog, values: dict[str, list[str]]) -> dict[str, Any]:
    """A tree over fields this catalog really has: root condition, an OR group, an AND group."""

    def pick(*keys: str) -> str | None:
        return next((k for k in keys if (f := catalog.get(k)) is not None and f.available), None)

    source = pick("source") or catalog.fields[0].key
    province = pick("address.province", "province")
    number = next((f.key for f in catalog.fields if f.available and f.family.value == "number"
                   and "gt" in f.operators), None)
    date_field = next((f.key for f in catalog.fields if f.available and "in_last_days" in f.operators), None)
    rules: list[dict[str, Any]] = [
        {"field": source, "operator": "is", "value": (values.get(source) or ["WhatsApp"])[0]}]
    group_a: list[dict[str, Any]] = []
    if province:
        group_a.append({"field": province, "operator": "is", "value": (values.get(province) or ["Jakarta"])[0]})
    if date_field:
        group_a.append({"field": date_field, "operator": "more_than_days_ago", "value": 30})
    if group_a:
        rules.append({"combinator": "or", "rules": group_a})
    if number:
        rules.append({"combinator": "and", "rules": [{"field": number, "operator": "is_not_empty", "value": None}]})
    return {"combinator": "and", "rules": rules}


async def _settle(view: BuilderView, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        panel = view.preview_panel
        if view.tree_view is not None and "matched" in panel.counts.text() and not panel.busy.isVisible():
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.3)


async def show_builder(backend: Any, rules_for: Any) -> BuilderView:
    catalog = await backend.catalog()
    values = {}
    for key in ("source", "province", "address.province"):
        if catalog.get(key) is not None:
            try:
                values[key] = await backend.suggestions(key, "")
            except Exception:  # noqa: BLE001 - a screenshot without suggestions is still a screenshot
                values[key] = []
    segment = {"id": None, "name": "WhatsApp leads in Jakarta", "description": "Recent or Jakarta-based "
               "WhatsApp customers with loyalty points", "rules": rules_for(catalog, values)}
    view = BuilderView(backend=backend, segment=segment)
    view.resize(*SIZE)
    view.show()
    while view.tree_view is None:
        await asyncio.sleep(0.05)
    view.go_to_rules()
    await _settle(view)
    return view


async def builder_screen(ctx: Any) -> QWidget:
    """For scripts/screenshots.py: the builder over the signed-in client of the shared context."""
    from segstudio.views.builder.client_backend import ClientBackend

    view = await show_builder(ClientBackend(ctx.client, None, ctx.me), nested_rules)
    ctx.extra["close"] = view
    return view


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}", file=sys.stderr)


async def _render(out: Path, fake: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if fake:
        from tests.core.cases import NESTED_JSON
        from tests.desktop.builder.fake_backend import FakeBackend

        view = await show_builder(FakeBackend(), lambda catalog, values: NESTED_JSON)
        _save(view, out / "builder.png")
        view.close()
        return
    from segstudio.client import ApiClient
    from segstudio.services.backend_process import BackendProcess, seed_demo
    from segstudio.views.builder.client_backend import ClientBackend

    with tempfile.TemporaryDirectory(prefix="segstudio-builder-shots-") as tmp:
        process = BackendProcess(Path(tmp))
        client = None
        try:
            await seed_demo(process, 300)
            await process.start_and_wait()
            client = ApiClient(process.url)
            await client.login(DEMO_USER, DEMO_PASSWORD)
            me = await client.me()
            backend = ClientBackend(client, None, me)
            view = await show_builder(backend, nested_rules)
            _save(view, out / "builder.png")
            view.steps.setCurrentWidget(view.info)
            _save(view, out / "builder-info.png")
            view.cleanup()
            view.close()
        finally:
            if client is not None:
                await client.aclose()
            process.stop()


def render_builder(out_dir: str | Path, *, fake: bool = False) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(_render(Path(out_dir), fake))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default="docs/screenshots")
    p.add_argument("--fake", action="store_true", help="use the tests' fake backend instead of a real server")
    args = p.parse_args()
    render_builder(args.out, fake=args.fake)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
