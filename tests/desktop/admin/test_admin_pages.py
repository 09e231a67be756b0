"""Each administration page against the live bundled backend: roles and their levels, users, organisation
settings with inline errors, API tokens shown once, and alerts with the navigation badge."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMessageBox

from segstudio.client.models import Me
from segstudio.core.admin_format import local_time
from segstudio.core.admin_roles import CUSTOMERS_VIEW, SEGMENT_ADD
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin import ALERTS, HEADING, ROLES, SETTINGS, TOKENS, USERS
from segstudio.views.admin.roles import RolesPage
from segstudio.views.admin.settings import SettingsPage
from segstudio.views.admin.tokens import ONCE_WARNING, TokensPage
from segstudio.views.admin.users import UsersPage
from segstudio.views.main_window import CUSTOMERS, SEGMENTS, MainWindow
from tests.desktop.admin.conftest import TZ
from tests.desktop.conftest import PASSWORD

pytestmark = pytest.mark.qt


@pytest.fixture
def open_page(qtbot, run_async, admin_api, connection):
    def make(page_class):
        page = page_class(admin_api, connection, TZ)
        qtbot.addWidget(page)
        page.resize(1100, 700)
        page.show()
        run_async(page.activate())
        assert page.loaded
        return page
    return make


def click(box: QMessageBox, text: str) -> None:
    if text == "Cancel":
        box.button(QMessageBox.StandardButton.Cancel).click()
        return
    next(b for b in box.buttons() if b.text() == text).click()


def cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def login(admin_org, username: str, password: str) -> int:
    return httpx.post(f"{admin_org.server.url}/api/v1/auth/login",
                      json={"username": username, "password": password}).status_code


# --- roles ----------------------------------------------------------------------------------------------

def test_a_level_picked_in_the_combo_is_saved_and_applies_to_the_role_users(qtbot, open_page, admin_org):
    page = open_page(RolesPage)
    assert [r.key for r in page.matrix.roles] == ["org_admin", "team_lead", "agent"]
    lead = page.role_by_key("team_lead")
    combo = page.combo(lead.id, SEGMENT_ADD)
    assert combo.currentData() == "all" and not page.save_button.isEnabled()
    assert [combo.itemData(i) for i in range(combo.count())] == ["all", "owned", "disabled"]
    customers = page.combo(lead.id, CUSTOMERS_VIEW)
    assert [customers.itemData(i) for i in range(customers.count())] == ["all", "owned"], \
        "View customers cannot be disabled"

    combo.setCurrentIndex(combo.findData("disabled"))
    assert page.matrix.changes() == {lead.id: {SEGMENT_ADD: "disabled"}}
    assert page.save_button.isEnabled() and combo.property("dirty") == "true"
    assert admin_org.api("GET", "/me", role="team_lead").json()["permissions"][SEGMENT_ADD] == "all", \
        "nothing is sent before Save"
    page.save_button.click()
    qtbot.waitUntil(lambda: not page.matrix.dirty and not page.busy, timeout=10_000)
    assert page.notice.text().startswith("Saved Team Lead.")
    assert page.combo(lead.id, SEGMENT_ADD).property("dirty") == "false"
    assert admin_org.api("GET", "/me", role="team_lead").json()["permissions"][SEGMENT_ADD] == "disabled"
    admin_org.api("PUT", f"/admin/roles/{lead.id}", json={"permissions": {SEGMENT_ADD: "all"}})


def test_discard_puts_the_combos_back(qtbot, open_page):
    page = open_page(RolesPage)
    agent = page.role_by_key("agent")
    combo = page.combo(agent.id, CUSTOMERS_VIEW)
    combo.setCurrentIndex(combo.findData("all"))
    assert page.discard_button.isEnabled()
    page.discard_button.click()
    assert not page.matrix.dirty and page.combo(agent.id, CUSTOMERS_VIEW).currentData() == "owned"


def test_a_new_role_copies_an_existing_one_and_is_deleted_only_when_unused(qtbot, run_async, open_page, admin_org):
    page = open_page(RolesPage)
    lead = page.role_by_key("team_lead")
    page.select_role(lead.id)
    dialog = page.new_role()
    assert dialog.copy_from.currentData() == lead.id
    dialog.name.setText("team lead")
    dialog.action_button.click()
    assert dialog.errors["name"].text() == "A role named 'team lead' already exists."
    dialog.name.setText("Campaign Manager")
    dialog.action_button.click()
    qtbot.waitUntil(lambda: page.role_by_key("campaign_manager") is not None and not page.busy, timeout=10_000)
    custom = page.role_by_key("campaign_manager")
    assert dict(custom.levels) == dict(lead.levels) and page.selected_role().id == custom.id
    assert page.dialog is None

    user = admin_org.api("POST", "/admin/users", json={"username": f"cm_{admin_org.org_id}", "role_id": custom.id,
                                                        "password": PASSWORD}).json()
    run_async(page.reload())
    page.select_role(custom.id)
    click(page.delete_selected(), "Delete")
    qtbot.waitUntil(lambda: page.notice.isVisible() and not page.busy, timeout=10_000)
    assert page.notice.text() == "1 user(s) have the role Campaign Manager. Give them another role first."
    assert page.notice.property("error") == "true"
    assert page.role_by_key("campaign_manager") is not None

    admin_org.api("PUT", f"/admin/users/{user['id']}", json={"role_id": lead.id})
    run_async(page.reload())
    click(page.delete_selected(), "Cancel")
    qtbot.wait(200)
    assert page.role_by_key("campaign_manager") is not None, "Cancel deletes nothing"
    click(page.delete_selected(), "Delete")
    qtbot.waitUntil(lambda: page.role_by_key("campaign_manager") is None, timeout=10_000)
    assert page.notice.text() == "Role “Campaign Manager” deleted."


def test_the_org_admin_role_cannot_be_deleted(open_page):
    page = open_page(RolesPage)
    page.select_role(page.role_by_key("org_admin").id)
    assert not page.delete_button.isEnabled()
    assert page.delete_selected() is None


def test_the_roles_table_is_one_tab_stop_and_enter_opens_the_cell_level_box(qtbot, open_page):
    """Arrows move between cells; Enter opens that cell's level box (the boxes are no Tab stops of their own,
    which had Tab go table → box → table forever)."""
    page = open_page(RolesPage)
    lead = page.role_by_key("team_lead")
    combo = page.combo(lead.id, SEGMENT_ADD)
    assert not combo.focusPolicy() & Qt.FocusPolicy.TabFocus and not page.table.tabKeyNavigation()
    cell = next(page.table.model().index(r, c) for r in range(page.table.model().rowCount())
                for c in range(page.table.model().columnCount())
                if page.table.indexWidget(page.table.model().index(r, c)) is combo)
    page.table.setCurrentIndex(cell)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert combo.hasFocus() or combo.view().isVisible()
    combo.hidePopup()


# --- users ----------------------------------------------------------------------------------------------

def test_create_a_user_with_inline_errors_then_change_role_deactivate_and_reset(qtbot, open_page, admin_org):
    page = open_page(UsersPage)
    assert set(admin_org.users.values()) <= {u.username for u in page.model.items}
    dialog = page.new_user()
    dialog.username.setText(admin_org.users["agent"])
    dialog.password.setText("short")
    dialog.action_button.click()
    assert dialog.errors["password"].text() == "Use at least 12 characters."
    assert dialog.errors["password"].isVisible() and not page.busy, "checked before any request"
    dialog.password.setText("Fresh-pass-12")
    dialog.action_button.click()
    qtbot.waitUntil(lambda: dialog.errors["username"].isVisible(), timeout=10_000)
    assert dialog.errors["password"].text() == "" and dialog.isVisible()

    name = f"new_{admin_org.org_id}"
    dialog.username.setText(name)
    dialog.display_name.setText("New Person")
    dialog.role.setCurrentIndex(dialog.role.findText("Team Lead"))
    dialog.action_button.click()
    qtbot.waitUntil(lambda: page.selected_user() is not None and page.selected_user().username == name,
                    timeout=10_000)
    row = next(i for i, u in enumerate(page.model.items) if u.username == name)
    assert cells(page.model, row)[:4] == [name, "New Person", "Team Lead", "Active"]
    assert login(admin_org, name, "Fresh-pass-12") == 200

    page.role_combo.setCurrentIndex(page.role_combo.findText("Agent"))
    page.change_role_button.click()
    qtbot.waitUntil(lambda: page.selected_user().role == "agent", timeout=10_000)
    assert page.notice.text() == f"{name} is now Agent."

    click(page.toggle_active(), "Deactivate")
    qtbot.waitUntil(lambda: not page.selected_user().active, timeout=10_000)
    row = next(i for i, u in enumerate(page.model.items) if u.username == name)
    assert cells(page.model, row)[3] == "Deactivated" and page.active_button.text() == "Reactivate"
    assert login(admin_org, name, "Fresh-pass-12") == 401
    click(page.toggle_active(), "Reactivate")
    qtbot.waitUntil(lambda: page.selected_user().active, timeout=10_000)

    reset = page.reset_password()
    reset.password.setText("weak")
    reset.action_button.click()
    assert reset.errors["password"].text() == "Use at least 12 characters."
    reset.password.setText("qwerty123456")  # long enough, but the server's list of common passwords has it
    reset.action_button.click()
    qtbot.waitUntil(lambda: reset.errors["password"].text().startswith("This password is too common"),
                    timeout=10_000)
    reset.password.setText("Brand-new-pass-3")
    reset.action_button.click()
    qtbot.waitUntil(lambda: page.dialog is None and not page.busy, timeout=10_000)
    assert login(admin_org, name, "Fresh-pass-12") == 401
    assert login(admin_org, name, "Brand-new-pass-3") == 200


def test_the_last_org_admin_message_shows_beside_the_action(qtbot, open_page, admin_org):
    page = open_page(UsersPage)
    assert page.select_user(admin_org.users["org_admin"])
    click(page.toggle_active(), "Deactivate")
    qtbot.waitUntil(lambda: page.action_error.isVisible(), timeout=10_000)
    assert page.action_error.text() == ("An organisation needs at least one active Org Admin. "
                                        "Make another user Org Admin first.")
    assert not page.notice.isVisible()
    assert page.selected_user().active


# --- settings -------------------------------------------------------------------------------------------

def test_settings_are_validated_inline_locally_and_by_the_server(qtbot, open_page, admin_org):
    page = open_page(SettingsPage)
    assert page.package_label.text() == "Ultimate" and page.name_label.text().endswith("Org")
    assert page.timezone.currentText() == "Asia/Jakarta" and page.refresh_time.text() == "08:00"
    assert page.timezone.isEditable() and page.timezone.findText("Asia/Makassar") >= 0
    assert not page.save_button.isEnabled()

    page.refresh_time.setText("8am")
    page.limits["max_depth"].setValue(0)
    assert page.save_button.isEnabled()
    assert page.save() is None, "nothing is sent while a field is wrong"
    assert page.errors["refresh_time"].text() == "Enter a time as HH:MM (24-hour), e.g. 08:00."
    assert page.errors["max_depth"].text() == "Enter a number of at least 1."
    assert page.errors["refresh_time"].isVisible()

    page.refresh_time.setText("06:30")
    assert not page.errors["refresh_time"].isVisible(), "typing clears the message"
    page.limits["max_depth"].setValue(1)
    page.limits["max_groups"].setValue(25)
    page.save_button.click()
    qtbot.waitUntil(lambda: page.errors["max_groups"].isVisible(), timeout=10_000)
    assert page.errors["max_groups"].text() == "Enter a number of at most 20."
    assert not page.errors["refresh_time"].isVisible()
    assert admin_org.api("GET", "/admin/settings").json()["refresh_time"] == "08:00", "nothing half-applied"

    page.limits["max_groups"].setValue(3)
    assert page.limits["recipient_list_limit"].value() == 20 and page.limits["recipient_list_days"].value() == 30
    page.limits["recipient_list_limit"].setValue(50)
    page.timezone.setCurrentText("Asia/Makassar")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.notice.text() == "Settings saved.", timeout=10_000)
    stored = admin_org.api("GET", "/admin/settings").json()
    assert (stored["timezone"], stored["refresh_time"], stored["max_groups"]) == ("Asia/Makassar", "06:30", 3)
    assert stored["recipient_list_limit"] == 50
    assert not page.save_button.isEnabled() and not any(e.isVisible() for e in page.errors.values())
    admin_org.api("PUT", "/admin/settings", json={"timezone": "Asia/Jakarta", "refresh_time": "08:00",
                                                  "max_groups": 2, "recipient_list_limit": 20})


# --- API tokens -----------------------------------------------------------------------------------------

def test_a_token_is_shown_once_with_copy_listed_and_revoked_after_confirmation(qtbot, run_async, open_page,
                                                                               admin_org):
    page = open_page(TokensPage)
    page.create_button.click()
    assert page.name_error.isVisible() and page.secret_dialog is None
    page.name.setText("CRM sync")
    page.create_button.click()
    qtbot.waitUntil(lambda: page.secret_dialog is not None and page.secret_dialog.isVisible(), timeout=10_000)
    dialog = page.secret_dialog
    secret = dialog.secret.text()
    assert secret.startswith("ssa_") and dialog.secret.isReadOnly()
    assert dialog.warning.text() == ONCE_WARNING and "will not be shown again" in ONCE_WARNING
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == secret
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.busy, timeout=10_000)
    assert cells(page.model, 0)[:2] == ["CRM sync", admin_org.users["org_admin"]]
    assert cells(page.model, 0)[3] == "Never"
    dialog.accept()
    qtbot.waitUntil(lambda: page.secret_dialog is None, timeout=3000)
    shown = [page.model.index(r, c).data() for r in range(page.model.rowCount())
             for c in range(page.model.columnCount())]
    shown += [edit.text() for edit in page.findChildren(QLineEdit)]
    assert not any(secret in str(text) for text in shown), "the secret is gone once the dialog closes"

    assert httpx.get(f"{admin_org.server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
                     ).status_code == 200
    run_async(page.reload())
    assert cells(page.model, 0)[3] != "Never"

    page.table.selectRow(0)
    click(page.revoke_selected(), "Cancel")
    qtbot.wait(200)
    assert page.model.item(0).revoked_at is None
    click(page.revoke_selected(), "Revoke")
    qtbot.waitUntil(lambda: page.model.item(0).revoked_at is not None, timeout=10_000)
    assert cells(page.model, 0)[4] == local_time(page.model.item(0).revoked_at, TZ)
    assert not page.revoke_button.isEnabled()
    assert httpx.get(f"{admin_org.server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
                     ).status_code == 401


# --- alerts, in the main window ---------------------------------------------------------------------------

def test_alerts_list_with_local_times_mark_read_and_the_badge_follows(qtbot, run_async, sign_in, admin_org):
    failed = admin_org.record_alert("evaluation_failed", "Evaluation of segment 5 failed; its previous membership "
                                                         "is kept. boom", segment_id=5)
    admin_org.record_alert("evaluation_skipped", "The daily evaluation used its 600-second budget; 2 segment(s) "
                                                 "were skipped until the next run.")
    client = sign_in("org_admin")
    me = run_async(client.me())
    window = MainWindow(client, me, connection=ConnectionStatus(), tz=TZ, server_label=client.base_url)
    qtbot.addWidget(window)
    window.show()
    keys = window.page_keys()
    assert keys[:2] == [CUSTOMERS, SEGMENTS] and keys[-5:] == [ROLES, USERS, SETTINGS, ALERTS, TOKENS]
    heading = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert HEADING in heading
    qtbot.waitUntil(lambda: window.alerts_badge() == "2", timeout=10_000)

    window.show_page(ALERTS)
    page = window.admin.alerts
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and not page.busy, timeout=10_000)
    row = next(i for i, a in enumerate(page.model.items) if a.id == failed)
    alert = page.model.item(row)
    assert cells(page.model, row) == [local_time(alert.created_at, TZ), "Evaluation failed", "Segment #5 (deleted)",
                                      alert.message, "Unread"]
    assert isinstance(page.model.index(row, 0).data(Qt.ItemDataRole.FontRole), QFont), "unread rows are bold"

    page.table.selectRow(row)
    page.mark_button.click()
    qtbot.waitUntil(lambda: window.alerts_badge() == "1", timeout=10_000)
    row = next(i for i, a in enumerate(page.model.items) if a.id == failed)
    assert cells(page.model, row)[4].startswith("Read ")
    page.unread_only.setChecked(True)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.busy, timeout=10_000)
    page.mark_all_button.click()
    qtbot.waitUntil(lambda: window.alerts_badge() == "" and page.model.rowCount() == 0, timeout=10_000)
    assert page.empty.isVisible()
    window.close()


def test_the_administration_section_is_for_org_admins_only(qtbot, run_async, sign_in):
    client = sign_in("team_lead")
    me: Me = run_async(client.me())
    window = MainWindow(client, me, connection=ConnectionStatus(), tz=TZ, server_label=client.base_url)
    qtbot.addWidget(window)
    assert window.page_keys()[:2] == [CUSTOMERS, SEGMENTS] and window.admin is None
    assert not {ROLES, USERS, SETTINGS, ALERTS, TOKENS} & set(window.page_keys())
    assert HEADING not in [window.navigation.item(i).text() for i in range(window.navigation.count())]
    window.close()
