"""Tab in the sign-in dialog: user → password → Sign in → Server settings → Cancel, so the habit "user, Tab,
password, Tab, Enter" signs in instead of opening Server settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from segstudio.views.sign_in import SignInDialog

pytestmark = pytest.mark.qt


@pytest.mark.parametrize("username", ["", "ana"])
def test_tab_walks_the_sign_in_dialog_in_reading_order(qtbot, username):
    dialog = SignInDialog("http://test", embedded=True, username=username)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    dialog.username.setFocus()
    expected = [dialog.username, dialog.password, dialog.sign_in_button, dialog.settings_button, cancel,
                dialog.username]
    seen = []
    for _ in expected:
        seen.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert seen == expected
    dialog.username.setFocus()
    seen = []
    for _ in expected:
        seen.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert seen == list(reversed(expected))


def test_user_tab_password_tab_enter_signs_in(qtbot):
    dialog = SignInDialog("http://test", embedded=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    dialog.username.setFocus()
    qtbot.keyClicks(dialog.username, "ana")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "secret")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    with qtbot.waitSignal(dialog.submitted, timeout=2000) as signal, qtbot.assertNotEmitted(dialog.settingsRequested):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert signal.args == ["ana", "secret"]
