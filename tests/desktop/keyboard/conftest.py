"""Keyboard tests run the real main window against the shared live backend (fixtures of the detail tests)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from segstudio.views.main_window import MainWindow
from tests.desktop.detail.conftest import TZ, admin_api, connection, signed_in, templates  # noqa: F401

__all__ = ["admin_api", "connection", "signed_in", "templates"]


@pytest.fixture
def make_window(qtbot, signed_in, connection):  # noqa: F811
    def make(role: str = "org_admin") -> MainWindow:
        client, me, _ = signed_in(role)
        connection.attach(client)
        window = MainWindow(client, me, connection=connection, tz=TZ, server_label="test")
        qtbot.addWidget(window)
        window.resize(1180, 720)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        return window
    return make
