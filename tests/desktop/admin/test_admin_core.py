"""The administration logic without Qt: the level matrix, settings and user validation, server paths →
inputs, and how times and badges read."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest

from segstudio.core.admin_format import alert_kind, badge, local_time, segment_label, unread
from segstudio.core.admin_forms import (
    SettingsDraft,
    password_problem,
    split_field_errors,
    validate_new_user,
    validate_role_name,
    validate_settings,
    validate_token_name,
)
from segstudio.core.admin_roles import (
    CUSTOMERS_VIEW,
    SEGMENT_ADD,
    SEGMENT_MANAGE,
    LevelMatrix,
    RoleRow,
    delete_blocker,
)

TIMEZONES = zoneinfo.available_timezones()
LEAD = RoleRow(id=2, key="team_lead", name="Team Lead", is_default=True, user_count=1,
               levels={SEGMENT_ADD: "all", SEGMENT_MANAGE: "owned", CUSTOMERS_VIEW: "all"})
AGENT = RoleRow(id=3, key="agent", name="Agent", is_default=True, user_count=0,
                levels={SEGMENT_ADD: "disabled", SEGMENT_MANAGE: "disabled", CUSTOMERS_VIEW: "owned"})
ADMIN = RoleRow(id=1, key="org_admin", name="Org Admin", is_default=True, user_count=1,
                levels={SEGMENT_ADD: "all"})


def test_an_edit_is_dirty_until_set_back_and_save_sends_only_changed_keys():
    matrix = LevelMatrix([LEAD, AGENT])
    assert not matrix.dirty
    assert matrix.set_level(2, SEGMENT_ADD, "disabled") is True
    assert matrix.level(2, SEGMENT_ADD) == "disabled" and matrix.saved_level(2, SEGMENT_ADD) == "all"
    assert matrix.is_dirty(2, SEGMENT_ADD) and matrix.dirty
    matrix.set_level(3, CUSTOMERS_VIEW, "all")
    assert matrix.changes() == {2: {SEGMENT_ADD: "disabled"}, 3: {CUSTOMERS_VIEW: "all"}}
    matrix.set_level(3, CUSTOMERS_VIEW, "owned")
    assert matrix.changes() == {2: {SEGMENT_ADD: "disabled"}}, "setting the saved level back is no change"
    matrix.discard()
    assert not matrix.dirty and matrix.level(2, SEGMENT_ADD) == "all"


def test_a_level_the_key_does_not_take_is_refused():
    matrix = LevelMatrix([LEAD])
    with pytest.raises(ValueError, match="customers_customers_view takes one of all, owned"):
        matrix.set_level(2, CUSTOMERS_VIEW, "disabled")
    with pytest.raises(ValueError, match="unknown permission key"):
        matrix.set_level(2, "customers_fly", "all")
    assert not matrix.dirty


def test_the_servers_answer_ends_the_edit_and_a_400_marks_the_named_cell():
    matrix = LevelMatrix([LEAD, AGENT])
    matrix.set_level(2, SEGMENT_ADD, "disabled")
    matrix.set_level(3, SEGMENT_ADD, "owned")
    other = matrix.rejected(3, {"permissions.customers_segment_add": "Choose one of all, owned, disabled.",
                                "name": "Taken."})
    assert matrix.errors == {(3, SEGMENT_ADD): "Choose one of all, owned, disabled."}
    assert other == ["Taken."]
    matrix.saved(RoleRow(id=2, key="team_lead", name="Team Lead", levels={**LEAD.levels, SEGMENT_ADD: "disabled"}))
    assert matrix.changes() == {3: {SEGMENT_ADD: "owned"}}
    assert matrix.saved_level(2, SEGMENT_ADD) == "disabled"


def test_reloading_keeps_unsaved_edits_of_roles_that_still_exist():
    matrix = LevelMatrix([LEAD, AGENT])
    matrix.set_level(3, SEGMENT_ADD, "all")
    matrix.set_level(2, SEGMENT_ADD, "owned")
    matrix.load([AGENT])
    assert matrix.changes() == {3: {SEGMENT_ADD: "all"}}


def test_delete_is_refused_for_org_admin_and_for_a_role_in_use():
    assert delete_blocker(ADMIN) == "The Org Admin role cannot be deleted."
    assert "1 user(s) have the role Team Lead" in (delete_blocker(LEAD) or "")
    assert delete_blocker(AGENT) is None


def test_server_paths_go_to_the_input_they_name_and_the_rest_is_kept():
    by_input, other = split_field_errors(
        {"username": "Taken.", "password": "Too short.", "records.0.x": "?"}, ["username", "password", "role_id"])
    assert by_input == {"username": "Taken.", "password": "Too short."}
    assert other == ["?"]
    by_input, _ = split_field_errors({"permissions.customers_segment_add": "No."},
                                     ["permissions", "permissions.customers_segment_add"])
    assert by_input == {"permissions.customers_segment_add": "No."}, "the most specific input wins"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("refresh_time", "8am", "Enter a time as HH:MM (24-hour), e.g. 08:00."),
    ("refresh_time", "24:00", "Enter a time as HH:MM (24-hour), e.g. 08:00."),
    ("max_groups", 0, "Enter a number of at least 1."),
    ("max_depth", -2, "Enter a number of at least 1."),
    ("evaluation_budget_seconds", "ten", "Enter a whole number."),
    ("recipient_list_limit", 0, "Enter a number of at least 1."),
    ("timezone", "Mars/Olympus", "Unknown timezone 'Mars/Olympus'; use an IANA name such as Asia/Jakarta."),
])
def test_settings_validation_names_the_field(name, value, message):
    values = {"timezone": "Asia/Jakarta", "refresh_time": "08:00", "max_groups": 2, "max_conditions_per_group": 3,
              "max_depth": 1, "evaluation_budget_seconds": 600, "recipient_list_limit": 20, "recipient_list_days": 30}
    assert validate_settings(values, TIMEZONES) == {}
    assert validate_settings({**values, name: value}, TIMEZONES) == {name: message}


def test_the_settings_draft_sends_only_what_changed_and_takes_the_servers_field_errors():
    draft = SettingsDraft()
    draft.load({"name": "Org", "package": "plus", "timezone": "Asia/Jakarta", "refresh_time": "08:00",
                "max_groups": 2, "max_conditions_per_group": 3, "max_depth": 1, "evaluation_budget_seconds": 600})
    assert not draft.dirty
    draft.set("refresh_time", " 06:30 ")
    draft.set("max_groups", 25)
    assert draft.changes() == {"refresh_time": "06:30", "max_groups": 25}
    assert draft.validate(TIMEZONES)
    draft.rejected({"max_groups": "Enter a number of at most 20."}, "Check the highlighted fields.")
    assert draft.errors == {"max_groups": "Enter a number of at most 20."} and draft.general == []
    draft.set("max_groups", 0)
    assert "max_groups" not in draft.errors, "typing clears the field's message"
    assert not draft.validate(TIMEZONES) and set(draft.errors) == {"max_groups"}
    draft.discard()
    assert not draft.dirty and draft.errors == {}


def test_user_role_and_token_forms_say_what_is_missing():
    assert password_problem("short1!") == "Use at least 12 characters."
    assert password_problem("Lead-pass-1") == "Use at least 12 characters."
    assert password_problem(" " * 12) == "Enter a password that is not only spaces."
    assert password_problem("Desk-pass-123") is None
    assert validate_new_user(" ", "Desk-pass-123", None) == {"username": "Enter a username.",
                                                             "role_id": "Choose a role."}
    assert validate_role_name("team lead ", ["Team Lead"]) == "A role named 'team lead' already exists."
    assert validate_role_name("Campaign Manager", ["Team Lead"]) is None
    assert validate_token_name("  ") is not None and validate_token_name("CRM sync") is None


def test_times_read_in_the_device_timezone_and_badges_cap():
    moment = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    assert local_time(moment, "Asia/Jakarta") == "02 Mar 2026 03:30 WIB"
    assert local_time(None, "Asia/Jakarta", empty="Never") == "Never"
    assert alert_kind("evaluation_failed") == "Evaluation failed"
    assert unread([None, moment, None]) == 2
    assert [badge(0), badge(3), badge(120)] == ["", "3", "99+"]


def test_an_alert_names_its_segment_and_says_when_it_was_deleted():
    assert segment_label(7, "Churn risk") == "Churn risk"
    assert segment_label(7, None) == "Segment #7 (deleted)"
    assert segment_label(None, None) == "—"
