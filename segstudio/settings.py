"""Persistent app settings (QSettings): which server to use and how big the first demo organisation is."""

from __future__ import annotations

from PySide6.QtCore import QSettings

DEFAULT_DEMO_CUSTOMERS = 5_000


class AppSettings:
    """No server URL means the bundled local server (embedded mode)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    @property
    def server_url(self) -> str | None:
        value = str(self.store.value("server/url", "") or "").strip()
        return value.rstrip("/") or None

    @server_url.setter
    def server_url(self, value: str | None) -> None:
        self.store.setValue("server/url", (value or "").strip().rstrip("/"))
        self.store.sync()

    @property
    def demo_customers(self) -> int:
        try:
            return max(1, int(self.store.value("demo/customers", DEFAULT_DEMO_CUSTOMERS)))
        except (TypeError, ValueError):
            return DEFAULT_DEMO_CUSTOMERS

    @demo_customers.setter
    def demo_customers(self, value: int) -> None:
        self.store.setValue("demo/customers", int(value))
        self.store.sync()

    @property
    def last_username(self) -> str:
        return str(self.store.value("auth/last_username", "") or "")

    @last_username.setter
    def last_username(self, value: str) -> None:
        self.store.setValue("auth/last_username", value)
        self.store.sync()
