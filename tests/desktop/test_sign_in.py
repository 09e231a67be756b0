"""Issue 14 item 14: after a sign-out the dialog remembers the username, yet "user, Tab, password, Enter"
still signs in: the cursor starts in the username box with the name selected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from segstudio.views.sign_in import SignInDialog

pytestmark = pytest.mark.qt


@pytest.mark.parametrize("remembered", ["", "desk_admin"])
def test_user_tab_password_enter_signs_in(qtbot, remembered):
    dialog = SignInDialog("http://server.test", embedded=False, username=remembered)
    qtbot.addWidget(dialog)
    settings = []
    submitted = []
    dialog.settingsRequested.connect(lambda: settings.append(True))
    dialog.submitted.connect(lambda u, p: submitted.append((u, p)))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    assert QApplication.focusWidget() is dialog.username
    qtbot.keyClicks(QApplication.focusWidget(), "lead")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClicks(QApplication.focusWidget(), "Secret-1")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert submitted == [("lead", "Secret-1")] and settings == []
