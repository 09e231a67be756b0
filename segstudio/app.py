"""The app's start-up and session loop: local server or configured server, sign-in, main window, shutdown.

One coroutine drives it on the qasync loop; dialogs are opened with `open()` and awaited through futures
(never `exec()` inside a coroutine, which would nest event loops under qasync).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimeZone

from segstudio.client import ApiClient, ApiError, ClientError
from segstudio.client.models import Me
from segstudio.services.backend_process import BackendError, BackendProcess, demo_seeded, seed_demo
from segstudio.services.network import ConnectionStatus
from segstudio.services.session import Session, TokenStore
from segstudio.settings import AppSettings
from segstudio.views.main_window import MainWindow
from segstudio.views.settings_dialog import SettingsDialog
from segstudio.views.sign_in import SignInDialog
from segstudio.views.startup import StartupDialog

log = logging.getLogger(__name__)

SMOKE_OK = "SEGSTUDIO SMOKE TEST OK"


def device_timezone() -> str:
    """The device's IANA zone name, used only when the organisation has none; UTC when the system does not say."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return "UTC"
    return name


@dataclass
class LaunchOptions:
    server_url: str | None = None
    data_dir: Path | None = None
    demo_customers: int | None = None
    seed_demo: bool = True
    smoke_test: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 120.0


class SegmentStudioApp:
    """Owns the backend child (embedded mode), the client, the session and the current main window."""

    def __init__(self, options: LaunchOptions, settings: AppSettings, tokens: TokenStore | None = None) -> None:
        self.options = options
        self.settings = settings
        self.tokens = tokens or TokenStore()
        self.backend: BackendProcess | None = None
        self.client: ApiClient | None = None
        self.session: Session | None = None
        self.connection = ConnectionStatus()
        self.window: MainWindow | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.startup_dialog: StartupDialog | None = None
        self.embedded = False
        self._next: asyncio.Future[str] | None = None

    # --- connecting -----------------------------------------------------------------------------------

    def data_dir(self) -> Path:
        if self.options.data_dir is not None:
            return self.options.data_dir
        from backend.config import default_data_dir

        return default_data_dir()

    async def start_backend(self) -> str:
        """Seed the demo organisation on first run, start `serve`, wait for /health; returns its URL."""
        dialog = self.startup_dialog = StartupDialog()
        dialog.setObjectName("startupDialog")
        quit_requested: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        dialog.quitRequested.connect(lambda: quit_requested.done() or quit_requested.set_result(None))
        if not self.options.smoke_test:
            dialog.show()
        process = self.backend = BackendProcess(self.data_dir())
        try:
            if self.options.seed_demo and not demo_seeded(process):
                customers = self.options.demo_customers or self.settings.demo_customers
                dialog.set_step("Creating the demo organisation…",
                                f"{customers:,} demo customers, on the first start only.")
                org_id = await seed_demo(process, customers, dialog.set_progress)
                log.info("demo organisation created", extra={"org_id": org_id})
            dialog.set_step("Starting the local server…")
            url = await process.start_and_wait(timeout=self.options.timeout)
        except BackendError as exc:
            message, _, details = str(exc).partition("\n")
            if not self.options.smoke_test:
                dialog.show_error(message, details)
                await quit_requested
            dialog.hide()
            raise
        dialog.hide()
        dialog.deleteLater()
        self.startup_dialog = None
        return url

    async def connect(self) -> None:
        url = self.options.server_url or self.settings.server_url
        self.embedded = url is None
        if url is None:
            url = await self.start_backend()
        self.client = ApiClient(url)
        self.connection = ConnectionStatus()
        self.connection.attach(self.client)
        self.session = Session(self.client, self.tokens, remember=not self.options.smoke_test)

    async def disconnect(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None
        self.session = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None

    # --- signing in -----------------------------------------------------------------------------------

    def server_label(self) -> str:
        assert self.client is not None
        return f"{self.client.base_url} (on this computer)" if self.embedded else self.client.base_url

    async def authenticate(self) -> Me | None:
        """Stored token if the server still accepts it, else the sign-in dialog; None when cancelled."""
        assert self.session is not None
        if self.options.smoke_test:
            return await self.session.sign_in(self.options.username or "", self.options.password or "")
        try:
            me = await self.session.resume()
        except ClientError as exc:
            log.info("could not check the stored sign-in", extra={"error": exc.message})
            me = None
        if me is not None:
            return me
        return await self.sign_in()

    async def sign_in(self) -> Me | None:
        assert self.session is not None
        loop = asyncio.get_running_loop()
        result: asyncio.Future[Me | None] = loop.create_future()
        dialog = self.sign_in_dialog = SignInDialog(self.server_label(), embedded=self.embedded,
                                                    username=self.settings.last_username)
        dialog.setObjectName("signInDialog")
        session = self.session
        pending: set[asyncio.Task[None]] = set()

        async def attempt(username: str, password: str) -> None:
            try:
                me = await session.sign_in(username, password)
            except ApiError as exc:
                dialog.show_error("Wrong username or password." if exc.status == 401 else exc.message)
                return
            except ClientError as exc:
                dialog.show_error(exc.message)
                return
            self.settings.last_username = username
            if not result.done():
                result.set_result(me)
            dialog.accept()

        def submitted(username: str, password: str) -> None:
            task = asyncio.ensure_future(attempt(username, password))
            pending.add(task)
            task.add_done_callback(pending.discard)

        dialog.submitted.connect(submitted)
        dialog.rejected.connect(lambda: result.done() or result.set_result(None))
        dialog.settingsRequested.connect(lambda: self._open_settings(dialog, result))
        dialog.open()
        try:
            return await result
        finally:
            self.sign_in_dialog = None
            dialog.deleteLater()

    def _open_settings(self, parent: SignInDialog | MainWindow, sign_in: asyncio.Future[Me | None] | None) -> None:
        before = self.settings.server_url
        dialog = SettingsDialog(self.settings, parent)
        dialog.setObjectName("settingsDialog")

        def finished(code: int) -> None:
            dialog.deleteLater()
            if not code or self.settings.server_url == before or self.options.server_url:
                return
            # A different server: sign in there instead (the loop in run() reconnects).
            if sign_in is not None and not sign_in.done():
                self._request("reconnect")
                sign_in.set_result(None)
            elif isinstance(parent, MainWindow):
                self._request("reconnect")
                parent.close()

        dialog.finished.connect(finished)
        dialog.open()

    def _request(self, what: str) -> None:
        if self._next is not None and not self._next.done():
            self._next.set_result(what)

    # --- the loop -------------------------------------------------------------------------------------

    def show_main_window(self, me: Me) -> MainWindow:
        assert self.client is not None
        # Every time shows in the organisation's timezone, labelled (issue 14): one clock for the team.
        window = self.window = MainWindow(self.client, me, connection=self.connection,
                                          tz=me.organisation.timezone or device_timezone(),
                                          server_label=self.server_label())
        window.setObjectName("mainWindow")
        window.signOutRequested.connect(lambda: self._sign_out(window))
        window.settingsRequested.connect(lambda: self._open_settings(window, None))
        window.closed.connect(lambda: self._request("quit"))
        window.show()
        return window

    def _sign_out(self, window: MainWindow) -> None:
        async def sign_out() -> None:
            assert self.session is not None
            await self.session.sign_out()
            self._request("signed_out")
            window.close()

        asyncio.ensure_future(sign_out())

    async def run(self) -> int:
        try:
            return await self._run()
        except BackendError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except ClientError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
        finally:
            if self.window is not None:
                self.window.close()
            # Let tasks cancelled by closing windows unwind before the client closes under them.
            for _ in range(3):
                await asyncio.sleep(0)
            await self.disconnect()

    async def _run(self) -> int:
        loop = asyncio.get_running_loop()
        await self.connect()
        self._backend_up_at = time.monotonic()
        while True:
            self._next = loop.create_future()
            me = await self.authenticate()
            if me is None:
                if self._next.done() and self._next.result() == "reconnect":
                    await self.disconnect()
                    await self.connect()
                    continue
                return 0
            window = self.show_main_window(me)
            if self.options.smoke_test:
                return await self._smoke(window, me)
            what = await self._next
            self.window = None
            window.deleteLater()
            if what == "quit":
                return 0
            if what == "reconnect":
                await self.disconnect()
                await self.connect()

    async def _smoke(self, window: MainWindow, me: Me) -> int:
        """--smoke-test: signed in with the given credentials and the main window is up."""
        for _ in range(200):
            if window.isVisible():
                break
            await asyncio.sleep(0.05)
        first_window_ms = (time.monotonic() - self._backend_up_at) * 1000
        print(f"{SMOKE_OK}: signed in as {me.user.username} to {me.organisation.name} at {self.server_label()}; "
              f"first window {first_window_ms:.0f} ms after the backend was up", flush=True)
        window.close()
        return 0
