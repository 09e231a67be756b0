"""Editors a daily user types into (issue 14, items 2, 6, 10, 13 and "expected"): dates typed in ISO or the
locale's short form, numbers grouped the locale's way, days typed straight away, a logical Tab order, fields
told apart, dropdown values listed on opening, and no preview of a half-typed value."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication

from segstudio.core.catalog import Catalog
from segstudio.core.value_text import NumberFormat, format_number
from segstudio.views.builder import BuilderView
from tests.core.cases import CATALOG_JSON
from tests.desktop.builder.fake_backend import FakeBackend
from tests.desktop.builder.test_builder_editing import choose, first_condition


def rules_view(make_view) -> tuple[BuilderView, str]:
    view = make_view()
    view.info.name.setText("Daily use")
    view.go_to_rules()
    return view, first_condition(view)


def focused() -> Any:
    return QApplication.focusWidget()


def type_into_value(qtbot, view: BuilderView, cid: str, text: str, part: str = "value") -> None:
    view.row(cid).focus_part(part)
    qtbot.keyClicks(focused(), text)


def locale_numbers() -> NumberFormat:
    locale = QLocale()
    return NumberFormat(locale.groupSeparator(), locale.decimalPoint())


# --- item 2: dates ------------------------------------------------------------------------------------------

def test_a_date_can_be_typed_as_iso_or_compact_and_shows_no_placeholder_text(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "date_of_birth", "before")
    type_into_value(qtbot, view, cid, "19900101")
    assert view.document.tree.find(cid).value == "1990-01-01"
    box = focused()
    assert "Pick a date" not in box.text()
    box.selectAll()
    qtbot.keyClicks(box, "1990-01-31")
    assert view.document.tree.find(cid).value == "1990-01-31"
    assert view.row(cid).error.text() == ""


def test_a_set_date_is_replaced_after_ctrl_a_and_the_locale_short_form_is_read(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "date_of_birth", "after")
    view.document.set_value(cid, "2000-05-05")
    view.row(cid).focus_part("value")
    box = focused()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert box.selectedText() == box.text() != ""
    short = QDate(1990, 1, 31).toString(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
    qtbot.keyClicks(box, short)
    assert view.document.tree.find(cid).value == "1990-01-31"


def test_the_calendar_opens_at_today_or_at_the_current_value(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "date_of_birth", "on")
    editor = view.row(cid).editor
    editor.open_calendar()
    calendar = editor.calendar
    assert calendar.isVisible()
    assert calendar.selectedDate() == QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (QDate.currentDate().year(), QDate.currentDate().month())
    calendar.window().hide()
    view.document.set_value(cid, "1987-06-15")
    editor = view.row(cid).editor
    editor.open_calendar()
    assert editor.calendar.selectedDate() == QDate(1987, 6, 15)
    assert (editor.calendar.yearShown(), editor.calendar.monthShown()) == (1987, 6)
    editor.calendar.window().hide()
    qtbot.keyClick(editor.line, Qt.Key.Key_F4)  # the keyboard opens it too
    assert editor.calendar.isVisible()
    editor.calendar.clicked.emit(QDate(1987, 6, 20))
    assert view.document.tree.find(cid).value == "1987-06-20"
    assert not editor.calendar.window().isVisible()


# --- item 6: numbers and days -------------------------------------------------------------------------------

def test_a_number_keeps_its_grouping_after_editing_and_after_the_rows_are_rebuilt(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "loyalty.available_balance", "gt")
    grouped = format_number(1_000_000, locale_numbers())
    type_into_value(qtbot, view, cid, "1000000")
    assert view.document.tree.find(cid).value == 1_000_000
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert view.row(cid).editor.line.text() == grouped
    view.row(view.document.tree.root.id).add_condition.click()  # rebuilds every row from the document
    assert view.row(cid).editor.line.text() == grouped
    view.document.undo()
    view.document.redo()
    assert view.row(cid).editor.line.text() == grouped


def test_n_days_takes_typed_digits_straight_away(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "date_of_birth", "in_last_days")
    type_into_value(qtbot, view, cid, "30")
    assert view.document.tree.find(cid).value == 30
    qtbot.keyClicks(focused(), "5")
    assert view.document.tree.find(cid).value == 305


def test_between_boxes_are_wide_enough_for_five_million(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    view.resize(1024 - 170, 660)
    choose(view, cid, "loyalty.available_balance", "between")
    view.document.set_value(cid, (5_000_000, 6_000_000))
    QApplication.processEvents()
    for line in (view.row(cid).editor.low.line, view.row(cid).editor.high.line):
        room = line.contentsRect().width() - line.textMargins().left() - line.textMargins().right() - 8
        assert line.fontMetrics().horizontalAdvance(line.text()) <= room, line.text()


# --- item 10: Tab order in association rows -----------------------------------------------------------------

def test_tab_reaches_the_value_before_the_match_box(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "deal.stage", "is")
    qtbot.wait(10)  # a new editor is shown on the next turn of the event loop, as in the app
    row = view.row(cid)
    row.operator.setFocus()
    qtbot.keyClick(row.operator, Qt.Key.Key_Tab)
    assert focused() is row.editor.part_widget("value")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is row.match
    # The same after a change of editor (between has two boxes).
    choose(view, cid, "deal.size", "between")
    qtbot.wait(10)
    row = view.row(cid)
    row.operator.setFocus()
    qtbot.keyClick(row.operator, Qt.Key.Key_Tab)
    assert focused() is row.editor.part_widget("value.0")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is row.editor.part_widget("value.1")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is row.match


# --- item 13: fields with the same label --------------------------------------------------------------------

TWINS = [
    {**next(f for f in CATALOG_JSON if f["key"] == "metric.reply_rate"), "category": "Communication — Chat & Call"},
    {**next(f for f in CATALOG_JSON if f["key"] == "metric.reply_rate"), "key": "metric.campaign_reply_rate",
     "category": "Marketing — Broadcast & Ads"},
    {"key": "metric.marketing_opt_in_status", "label": "Marketing opt-in status", "group": "Metrics",
     "type": "boolean", "operators": ["is", "is_not", "is_empty", "is_not_empty"], "options": None,
     "association": None, "package": "ultimate", "suggestions": False, "available": True,
     "category": "Marketing — Broadcast & Ads"},
]


class TwinsBackend(FakeBackend):
    async def catalog(self) -> Catalog:
        return Catalog.from_json([f for f in CATALOG_JSON if f["key"] != "metric.reply_rate"] + TWINS)


def test_fields_with_the_same_label_are_told_apart(qtbot, make_view) -> None:
    view = make_view(fake=TwinsBackend())
    view.info.name.setText("Twins")
    view.go_to_rules()
    cid = first_condition(view)
    button = view.row(cid).field_button
    button.open_popup("reply rate")
    popup = button.popup
    texts = [i.text(0) for i in popup.field_items() if not i.isHidden()]
    assert len(texts) == 2 and len(set(texts)) == 2, texts
    assert any("Chat" in t for t in texts) and any("Broadcast" in t for t in texts)
    popup.hide()
    shown = set()
    for key in ("metric.reply_rate", "metric.campaign_reply_rate", "marketing_opt_in",
                "metric.marketing_opt_in_status"):
        choose(view, cid, key)
        shown.add(view.row(cid).field_button.text())
    assert len(shown) == 4, shown
    choose(view, cid, "metric.reply_rate")
    button = view.row(cid).field_button
    assert button.text() == "Reply rate · Communication — Chat && Call ▾"  # shown as one "&", not a shortcut


def test_a_search_without_hits_says_so(qtbot, make_view) -> None:
    view, cid = rules_view(make_view)
    button = view.row(cid).field_button
    button.open_popup("whats")
    popup = button.popup
    assert popup.visible_keys() == []
    assert popup.no_match.isVisible()
    assert "whats" in popup.no_match.text()
    popup.search.setText("deal")
    assert not popup.no_match.isVisible()


# --- expected: dropdown values, partial keystrokes, consent labels -----------------------------------------

def test_dropdown_values_are_listed_when_the_box_opens(qtbot, make_view, backend) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "address.province", "is")
    combo = view.row(cid).editor.combo
    combo.setFocus()
    combo.showPopup()
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=3000)
    assert [combo.itemText(i) for i in range(3)] == ["Bandung", "Jakarta", "Surabaya"]
    assert combo.view().isVisible()
    assert combo.currentText() == ""  # listing the values picks none of them
    combo.hidePopup()


def test_a_half_typed_value_does_not_fire_a_preview(qtbot, make_view, backend) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "address.province", "is")
    combo = view.row(cid).editor.combo
    combo.setFocus()
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=3000)
    qtbot.keyClicks(combo.lineEdit(), "Jak")
    assert view.document.tree.find(cid).value == "Jak"  # the document (and undo) still see every key
    qtbot.wait(1200)
    assert not any("Jak" in json.dumps(p) for p in backend.previews), backend.previews
    qtbot.keyClicks(combo.lineEdit(), "arta")
    qtbot.waitUntil(lambda: any('"Jakarta"' in json.dumps(p) for p in backend.previews), timeout=3000)
    qtbot.waitUntil(lambda: "3 matched" in view.preview_panel.counts.text(), timeout=3000)


def test_a_half_typed_text_value_is_not_previewed_with_is(qtbot, make_view, backend) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "full_name", "is")
    line = view.row(cid).editor.line
    line.setFocus()
    qtbot.keyClicks(line, "Bud")
    qtbot.wait(1200)
    assert not any("Bud" in json.dumps(p) for p in backend.previews), backend.previews
    qtbot.keyClicks(line, "i Santoso")
    qtbot.waitUntil(lambda: any('"Budi Santoso"' in json.dumps(p) for p in backend.previews), timeout=3000)


def test_a_typed_value_is_previewed_once_the_user_presses_enter(qtbot, make_view, backend) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "address.province", "is")
    combo = view.row(cid).editor.combo
    combo.setFocus()
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=3000)
    qtbot.keyClicks(combo.lineEdit(), "Band")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any('"Band"' in json.dumps(p) for p in backend.previews), timeout=3000)


def test_consent_values_read_opted_in_and_out(qtbot, make_view) -> None:
    class ConsentBackend(FakeBackend):
        async def catalog(self) -> Catalog:
            return Catalog.from_json([
                {**f, "value_labels": {"true": "Opted in", "false": "Opted out", "null": "Unknown"}}
                if f["key"] == "marketing_opt_in" else f for f in CATALOG_JSON])

    view = make_view(fake=ConsentBackend())
    view.info.name.setText("Consent")
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "marketing_opt_in", "is")
    combo = view.row(cid).editor.combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Opted in", "Opted out"]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert view.document.tree.find(cid).value is False


def test_no_numbers_from_an_earlier_tree_stay_when_nothing_is_complete(qtbot, make_view, backend) -> None:
    view, cid = rules_view(make_view)
    choose(view, cid, "address.province", "is")
    view.document.set_value(cid, "Nowhere")
    qtbot.waitUntil(lambda: "0 matched" in view.preview_panel.counts.text(), timeout=3000)
    view.document.set_value(cid, None)
    qtbot.wait(50)
    assert view.preview_panel.counts.text() == ""
    assert not view.preview_panel.summary.isVisible()
