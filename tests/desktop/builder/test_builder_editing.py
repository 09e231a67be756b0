"""Editing conditions: type-aware editors, limits, inline validation, the field picker, the info step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from segstudio.core.catalog import ValueKind
from segstudio.views.builder import BuilderView
from segstudio.widgets.builder.editors import (
    BooleanEditor,
    ChoiceEditor,
    DateEditor,
    DaysEditor,
    MultiEditor,
    NoValueEditor,
    NumberEditor,
    RangeEditor,
    TextEditor,
)
from tests.core.cases import OPERATORS_JSON


def first_condition(view: BuilderView) -> str:
    return view.document.tree.conditions()[0].id


def choose(view: BuilderView, node_id: str, field: str, operator: str | None = None) -> None:
    row = view.row(node_id)
    row.field_button.picked.emit(field)
    if operator is not None:
        row = view.row(node_id)
        row.operator.setCurrentIndex(row.operator.findData(operator))
        row.operator.activated.emit(row.operator.currentIndex())


def test_step_one_counts_characters_and_blocks_the_61st(qtbot, make_view) -> None:
    view = make_view()
    info = view.info
    assert view.steps.currentWidget() is info
    assert not info.continue_button.isEnabled()
    qtbot.keyClicks(info.name, "WhatsApp Jakarta")
    assert info.name_counter.text() == "16/60"
    assert info.continue_button.isEnabled()
    info.name.setText("x" * 60)
    assert info.name_counter.text() == "60/60" and info.continue_button.isEnabled()
    qtbot.keyClicks(info.name, "y")
    assert info.name_counter.text() == "61/60"
    assert info.name_error.text() == "Use at most 60 characters"
    assert not info.continue_button.isEnabled()
    info.name.setText("Fine")
    info.description.setPlainText("d" * 251)
    assert info.description_error.text() == "Use at most 250 characters"
    assert not info.continue_button.isEnabled()
    info.description.setPlainText("")
    qtbot.mouseClick(info.continue_button, Qt.MouseButton.LeftButton)
    assert view.steps.currentWidget() is view.rules_page
    assert view.title.text() == "Fine"


def test_cancel_saves_nothing(qtbot, make_view, backend) -> None:
    view = make_view()
    qtbot.keyClicks(view.info.name, "Half typed")
    view.info.cancel_button.click()
    qtbot.waitUntil(lambda: view.discard_box is not None, timeout=3000)
    with qtbot.waitSignal(view.cancelled):
        next(b for b in view.discard_box.buttons() if b.text() == "Discard changes").click()
    assert backend.saves == []


def test_each_field_and_operator_gets_its_editor(make_view) -> None:
    view = make_view()
    view.info.name.setText("Editors")
    view.go_to_rules()
    cid = first_condition(view)
    cases = [
        ("full_name", "contains", TextEditor),
        ("source", "is", ChoiceEditor),
        ("address.province", "is", ChoiceEditor),
        ("loyalty.available_balance", "gt", NumberEditor),
        ("loyalty.available_balance", "between", RangeEditor),
        ("date_of_birth", "before", DateEditor),
        ("date_of_birth", "between", RangeEditor),
        ("date_of_birth", "in_last_days", DaysEditor),
        ("custom.interests", "contains_any", MultiEditor),
        ("marketing_opt_in", "is", BooleanEditor),
        ("full_name", "is_empty", NoValueEditor),
        ("custom.contract", "is_not_empty", NoValueEditor),
    ]
    for field, operator, editor_type in cases:
        choose(view, cid, field, operator)
        row = view.row(cid)
        assert isinstance(row.editor, editor_type), (field, operator, row.editor)
        ops = [row.operator.itemData(i) for i in range(row.operator.count())]
        assert ops == list(view.document.catalog.get(field).operators)
        served = {o["key"]: o["label"] for o in OPERATORS_JSON}
        assert [row.operator.itemText(i) for i in range(row.operator.count())] == [served[op] for op in ops], \
            "the operator box shows the served labels"
    date_range = view.row(cid)
    choose(view, cid, "date_of_birth", "between")
    assert view.row(cid).editor.kind is ValueKind.DATE_RANGE
    del date_range


def test_any_all_is_offered_only_for_associated_records(make_view) -> None:
    view = make_view()
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "deal.stage")
    row = view.row(cid)
    assert row.match.isVisibleTo(row)
    assert [row.match.itemText(i) for i in range(2)] == ["any deals", "all deals"]
    row.match.setCurrentIndex(1)
    row.match.activated.emit(1)
    assert view.document.tree.find(cid).match == "all"
    choose(view, cid, "metric.days_since_last_conversation")
    assert not view.row(cid).match.isVisibleTo(view.row(cid))
    assert view.document.tree.find(cid).match is None


def test_letters_in_a_number_field_say_enter_a_number(qtbot, make_view) -> None:
    view = make_view()
    view.info.name.setText("Numbers")
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "loyalty.available_balance", "gt")
    line = view.row(cid).editor.line
    qtbot.keyClicks(line, "12abc")
    row = view.row(cid)
    assert row.error.text() == "Enter a number"
    assert line.property("invalid") is True
    assert line.text() == "12abc"  # what the user typed stays, so they can fix it
    assert not view.save_button.isEnabled()
    assert "Enter a number" in view.save_button.toolTip()
    line.clear()
    qtbot.keyClicks(line, "1,500")
    assert view.document.tree.find(cid).value == 1500
    assert row.error.text() == ""
    assert view.save_button.isEnabled()


def test_an_unordered_between_is_flagged(qtbot, make_view) -> None:
    view = make_view()
    view.info.name.setText("Range")
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "loyalty.available_balance", "between")
    editor = view.row(cid).editor
    qtbot.keyClicks(editor.low.line, "500")
    qtbot.keyClicks(editor.high.line, "100")
    assert view.document.tree.find(cid).value == (500, 100)
    assert view.row(cid).error.text() == "The first number must not be greater than the second"
    assert not view.save_button.isEnabled()
    editor.high.line.clear()
    qtbot.keyClicks(editor.high.line, "900")
    assert view.row(cid).error.text() == ""


def test_add_buttons_disable_at_the_org_limits_with_a_reason(nested_view: BuilderView) -> None:
    view = nested_view
    root = view.row(view.document.tree.root.id)
    # The root already holds two groups: no third.
    assert not root.add_group.isEnabled()
    assert root.add_group.toolTip() == "The top level already has 2 groups, the most your organisation allows."
    group_id = view.document.tree.node_at((1,)).id
    view.row(group_id).add_condition.click()
    group = view.row(group_id)
    assert not group.add_condition.isEnabled()
    assert group.add_condition.toolTip() == "This group already has 3 conditions, the most your organisation allows."
    # max_depth 1: a group inside a group is never possible, so the button is not offered there.
    assert not group.add_group.isVisibleTo(group)
    root.add_condition.click()
    root.add_condition.click()
    root = view.row(view.document.tree.root.id)
    assert not root.add_condition.isEnabled()
    assert "3 conditions" in root.add_condition.toolTip()


def test_a_new_condition_gets_the_keyboard(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    before = set(view.document.tree.ids())
    view.row(view.document.tree.node_at((2,)).id).add_condition.click()
    (new_id,) = set(view.document.tree.ids()) - before
    assert view.tree_view.current_node_id() == new_id


def test_field_picker_groups_searches_and_locks(qtbot, make_view) -> None:
    view = make_view()
    view.go_to_rules()
    cid = first_condition(view)
    button = view.row(cid).field_button
    button.setFocus()
    qtbot.keyClick(button, "d")  # typing on the button opens the picker with the text
    popup = button.popup
    assert popup.isVisible()
    qtbot.keyClicks(popup.search, "ea")
    assert popup.search.text() == "dea"
    assert popup.visible_keys() == ["deal.stage", "deal.size"]
    groups = [popup.tree.topLevelItem(i).text(0) for i in range(popup.tree.topLevelItemCount())]
    assert groups == ["Customer info", "Custom fields", "Consent", "Loyalty", "Deals", "Metrics", "Tickets"]
    locked = next(i for i in popup.field_items() if i.data(0, Qt.ItemDataRole.UserRole + 1) == "ticket.priority")
    assert not locked.flags() & Qt.ItemFlag.ItemIsEnabled
    assert locked.toolTip(0) == "Ticket priority needs the Ultimate package. Ask your administrator to upgrade."
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert view.document.tree.find(cid).field == "deal.stage"
    assert not popup.isVisible()


def test_text_suggestions_are_debounced(qtbot, make_view, backend) -> None:
    view = make_view()
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "full_name", "is")
    line = view.row(cid).editor.line
    line.setFocus()
    qtbot.keyClicks(line, "Bud")
    assert backend.suggestion_calls == []
    qtbot.waitUntil(lambda: backend.suggestion_calls == [("full_name", "Bud")], timeout=3000)
    completer = line.completer()
    qtbot.waitUntil(lambda: completer.model().rowCount() == 1, timeout=3000)
    assert completer.model().index(0, 0).data() == "Budi Santoso"


def test_changing_the_field_resets_the_value_sensibly(nested_view: BuilderView) -> None:
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    choose(view, source, "loyalty.available_balance")
    cond = view.document.tree.find(source)
    assert (cond.operator, cond.value) == ("eq", None)
    assert isinstance(view.row(source).editor, NumberEditor)
    assert view.row(source).editor.line.text() == ""


def test_a_segment_saved_before_a_limit_was_lowered_opens_valid_and_saveable(make_view) -> None:
    from segstudio.core.catalog import Limits
    from tests.desktop.builder.fake_backend import FakeBackend

    cond = {"field": "source", "operator": "is", "value": "WhatsApp"}
    four = {"combinator": "or", "rules": [cond, {**cond, "value": "Email"}, {**cond, "value": "Instagram"},
                                          {**cond, "operator": "is_not_empty", "value": None}]}
    view = make_view({"id": 9, "name": "Four sources", "description": "", "rules": four},
                     fake=FakeBackend(limits=Limits(max_groups=2, max_conditions=3, max_depth=1)))
    assert view.save_button.isEnabled(), view.save_button.toolTip()
    root = view.row(view.document.tree.root.id)
    assert not root.add_condition.isEnabled()  # it may keep its four, not grow a fifth
