"""Render the app's screens offscreen to docs/screenshots/*.png, against a real bundled backend seeded with a
small demo organisation (a throwaway data directory; your own data is not touched).

Usage: .venv/bin/python scripts/screenshots.py [--customers 300] [--out docs/screenshots] [--only NAME ...]
       [--sizes 1280x760 1024x700]

Each screen is rendered at every size: NAME.png at the first size, NAME-WxH.png at the others (issue 14:
every screen must work on a 1024×700 screen, so the README shows that size too).

One async function per screen, registered with @screen("file-name"); it gets the shared `Shots` context
(signed-in client, main window, backend) and returns the widget to capture.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from segstudio.client import ApiClient, ApiError  # noqa: E402
from segstudio.client.models import Me  # noqa: E402
from segstudio.services.backend_process import BackendProcess, seed_demo  # noqa: E402
from segstudio.services.network import ConnectionStatus  # noqa: E402
from segstudio.views.main_window import CUSTOMERS, SEGMENTS, MainWindow  # noqa: E402
from segstudio.views.style import apply as apply_style  # noqa: E402

SIZES = ("1280x760", "1024x700")
DEMO_USER, DEMO_PASSWORD = "admin", "Admin-pass-1"


@dataclass
class Shots:
    client: ApiClient
    me: Me
    window: MainWindow
    backend: BackendProcess
    connection: ConnectionStatus
    out: Path
    size: tuple[int, int] = (1280, 760)
    extra: dict[str, object] = field(default_factory=dict)


Screen = Callable[[Shots], Awaitable[QWidget]]
SCREENS: dict[str, Screen] = {}


def screen(name: str) -> Callable[[Screen], Screen]:
    def register(fn: Screen) -> Screen:
        SCREENS[name] = fn
        return fn
    return register


async def wait_until(predicate: Callable[[], object], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.05)


# --- screens --------------------------------------------------------------------------------------------

@screen("sign-in")
async def sign_in_screen(ctx: Shots) -> QWidget:
    from segstudio.views.sign_in import SignInDialog

    dialog = SignInDialog(ctx.client.base_url + " (on this computer)", embedded=True, username=DEMO_USER)
    dialog.show()
    await asyncio.sleep(0.2)
    ctx.extra["close"] = dialog
    return dialog


@screen("segment-list")
async def segment_list_screen(ctx: Shots) -> QWidget:
    ctx.window.show_page(SEGMENTS)
    view = ctx.window.segments
    assert view is not None and ctx.window.segment_list is not None
    view.detail.hide()
    await wait_until(lambda: ctx.window.segment_list.loaded and not ctx.window.segment_list.loading,
                     what="the segment list")
    return ctx.window


@screen("builder")
async def builder_screen(ctx: Shots) -> QWidget:
    """The builder with a nested tree and the live preview's results (scripts/screenshots_builder.py)."""
    from scripts.screenshots_builder import builder_screen as render

    view = await render(ctx)
    view.resize(*ctx.size)
    await asyncio.sleep(0.5)
    return view


@screen("segment-detail")
async def segment_detail_screen(ctx: Shots) -> QWidget:
    ctx.window.show_page(SEGMENTS)
    view = ctx.window.segments
    assert view is not None
    await wait_until(lambda: view.model.rowCount() > 0, what="segment rows")
    with contextlib.suppress(ApiError):
        await ctx.window.catalog.get()  # field labels for the rules summary
    view.table.selectRow(0)
    view.view_details()
    await asyncio.sleep(0.2)
    return ctx.window


@screen("customers")
async def customers_screen(ctx: Shots) -> QWidget:
    ctx.window.show_page(CUSTOMERS)
    customers = ctx.window.customers
    await wait_until(lambda: customers.segment_list.count() > 0 and customers.model.rowCount() > 0,
                     what="recent segments and customers")
    customers.table.selectRow(0)
    await wait_until(lambda: customers.result_segments.count() > 0 or "no segment" in customers.result_message.text(),
                     what="the customer's segments")
    await asyncio.sleep(0.2)
    return ctx.window


async def open_detail(ctx: Shots) -> QWidget:
    """The full detail page of the largest segment, loaded."""
    segments = (await ctx.client.list_segments(page_size=50)).items
    biggest = max(segments, key=lambda s: s.member_count or 0)
    detail = ctx.window.segment_pages.open(biggest)
    await wait_until(lambda: detail.overview.model.rowCount() > 0, what="members")
    await wait_until(lambda: not detail.performance.growth.is_empty, what="growth")
    return detail


@screen("segment-overview")
async def segment_overview_screen(ctx: Shots) -> QWidget:
    detail = await open_detail(ctx)
    detail.tabs.setCurrentWidget(detail.overview)
    await asyncio.sleep(0.3)
    return ctx.window


@screen("segment-performance")
async def segment_performance_screen(ctx: Shots) -> QWidget:
    detail = await open_detail(ctx)
    detail.tabs.setCurrentWidget(detail.performance)
    await asyncio.sleep(0.5)
    return ctx.window


@screen("send-campaign")
async def send_campaign_screen(ctx: Shots) -> QWidget:
    from backend.campaigns.service import ensure_demo_templates
    from backend.db import Database

    # The contract says the demo organisation has templates; seed-demo does not add them yet.
    db = Database(ctx.backend.database_url)
    with db.session() as session:
        ensure_demo_templates(session, ctx.me.organisation.id)
    db.dispose()
    detail = await open_detail(ctx)
    panel = detail.open_campaign()
    assert panel is not None
    panel.choose_channel("email")
    await wait_until(lambda: panel.continue_button.isEnabled() and panel.template.count() > 0, what="estimate")
    panel.continue_button.click()
    index = panel.template.findText("Welcome email")
    panel.template.setCurrentIndex(max(0, index))
    await wait_until(lambda: bool(panel.options), what="customer properties")
    await asyncio.sleep(0.3)
    return ctx.window


@screen("compare-segments")
async def compare_screen(ctx: Shots) -> QWidget:
    ctx.window.segment_pages.close_detail()
    ctx.window.resize(*ctx.size)
    ctx.window.show_page("compare")
    view = ctx.window.segment_pages.compare
    assert view is not None
    await wait_until(lambda: view.picker.count() >= 3, what="segments to compare")
    segments = sorted((await ctx.client.list_segments(page_size=50)).items, key=lambda s: -(s.member_count or 0))
    view.select([s.id for s in segments[:3]])
    task = view.compare()
    assert task is not None
    await wait_until(task.done, what="comparison")
    await asyncio.sleep(0.5)
    return ctx.window


@screen("admin-roles")
async def admin_roles_screen(ctx: Shots) -> QWidget:
    """Roles with one unsaved edit, so the dirty cell and the enabled Save show."""
    from segstudio.core.admin_roles import SEGMENT_ARCHIVED
    from segstudio.views.admin import ROLES

    ctx.window.show_page(ROLES)
    assert ctx.window.admin is not None
    page = ctx.window.admin.roles
    await wait_until(lambda: page.loaded and not page.busy, what="roles")
    lead = page.role_by_key("team_lead")
    if lead is not None:
        page.select_role(lead.id)
        combo = page.combo(lead.id, SEGMENT_ARCHIVED)
        combo.setCurrentIndex(combo.findData("all"))
    await asyncio.sleep(0.2)
    return ctx.window


@screen("admin-settings")
async def admin_settings_screen(ctx: Shots) -> QWidget:
    from segstudio.views.admin import SETTINGS

    if ctx.window.admin is not None:
        ctx.window.admin.roles.discard()
    ctx.window.show_page(SETTINGS)
    assert ctx.window.admin is not None
    page = ctx.window.admin.settings
    await wait_until(lambda: page.loaded and not page.busy, what="settings")
    page.refresh_time.setText("7:5")  # shows a field's inline message
    page.save()
    await asyncio.sleep(0.2)
    return ctx.window


# --- setup ----------------------------------------------------------------------------------------------

MAX_SEGMENTS = 6


async def ensure_segments(client: ApiClient) -> None:
    """Give the list something to show: a few one-condition segments over values the demo data has."""
    page = await client.list_segments(page_size=1)
    if page.total:
        return
    candidates: list[tuple[str, str, object]] = []  # (field key, label, value)
    try:
        fields = [f for f in await client.fields() if f.available and f.suggestions and "is" in f.operators
                  and f.association is None]
        # Fields a marketer segments by first; free-text identifiers make dull examples.
        preferred = ["source", "address.province", "sex", "status", "loyalty.current_tier", "address.city"]
        fields.sort(key=lambda f: preferred.index(f.key) if f.key in preferred else len(preferred))
        fields = [f for f in fields if f.type not in ("single_line_text", "text") or f.key in preferred]
        for f in fields[:6]:
            candidates += [(f.key, f.label, v) for v in (await client.suggestions(f.key, "", 5))[:2]]
    except ApiError:
        # No catalog on this server yet: fall back to customer fields every demo organisation has.
        candidates = [("source", "Source", "WhatsApp"), ("address.province", "Province", "DKI Jakarta"),
                      ("sex", "Sex", "female"), ("loyalty.current_tier", "Current tier", "Gold"),
                      ("source", "Source", "Email"), ("status", "Status", "Customer")]
    made = 0
    for key, label, value in candidates:
        if made >= MAX_SEGMENTS:
            return
        rules = {"combinator": "and", "rules": [{"field": key, "operator": "is", "value": value}]}
        try:
            await client.create_segment(f"{label}: {value}", rules, description=f"Customers whose {label.lower()} "
                                                                                  f"is {value}.")
        except ApiError as exc:
            print(f"skipping {key}={value}: {exc.message}", file=sys.stderr)
            continue
        made += 1


async def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="segstudio-shots-") as tmp:
        backend = BackendProcess(Path(tmp))
        client: ApiClient | None = None
        window: MainWindow | None = None
        try:
            print(f"seeding {args.customers} demo customers…", file=sys.stderr)
            await seed_demo(backend, args.customers)
            await backend.start_and_wait()
            client = ApiClient(backend.url)
            await client.login(DEMO_USER, DEMO_PASSWORD)
            me = await client.me()
            await ensure_segments(client)
            connection = ConnectionStatus()
            connection.attach(client)
            window = MainWindow(client, me, connection=connection, tz="Asia/Jakarta",
                                server_label=f"{backend.url} (on this computer)")
            window.show()
            ctx = Shots(client, me, window, backend, connection, out)
            # Let the first evaluations finish so rows show sizes rather than "pending".
            await wait_until(lambda: window.segment_list is not None and window.segment_list.loaded, what="list")
            deadline = time.monotonic() + args.settle
            while window.segment_list.needs_polling and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                window.segment_list.reload(quiet=True)
            for n, size_text in enumerate(args.sizes):
                width, height = (int(v) for v in size_text.split("x"))
                ctx.size = (width, height)
                window.resize(width, height)
                suffix = "" if n == 0 else f"-{size_text}"
                for name, fn in SCREENS.items():
                    if args.only and name not in args.only:
                        continue
                    window.resize(width, height)
                    widget = await fn(ctx)
                    QApplication.processEvents()
                    path = out / f"{name}{suffix}.png"
                    widget.grab().save(str(path))
                    print(f"wrote {path}", file=sys.stderr)
                    closing = ctx.extra.pop("close", None)
                    if isinstance(closing, QWidget):
                        closing.close()
        finally:
            if window is not None:
                window.close()
                await asyncio.sleep(0.2)  # let the tasks the window cancelled unwind
                # Charts (pyqtgraph) must go while Qt is alive; collected at interpreter exit they crash it.
                window.deleteLater()
                window = None
                await asyncio.sleep(0.1)
                gc.collect()
            if client is not None:
                await client.aclose()
            backend.stop()
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--customers", type=int, default=300)
    p.add_argument("--out", default="docs/screenshots")
    p.add_argument("--only", nargs="*", default=None)
    p.add_argument("--sizes", nargs="+", default=list(SIZES), help="window sizes, WxH; the first has no suffix")
    p.add_argument("--settle", type=float, default=20.0, help="seconds to wait for segments to evaluate")
    args = p.parse_args()
    QApplication.setOrganizationName("segstudio-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(run(args))


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Every PNG is written by now. Since the detail page exists, the interpreter's final garbage collection
    # aborts in PySide6 (bool_dealloc); leave without it so the exit status stays the script's own.
    os._exit(code)
