"""What the layout test measures: a window larger than its screen, and a visible label, button, line edit or
combo box whose text does not fit the room it has (clipped, cut or elided). Pure measurement, no app logic."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QToolButton,
    QWidget,
)

SLACK = 1  # px: rounding in text metrics


def _mnemonic_free(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _text_width(widget: QWidget, text: str, rich: bool) -> int:
    if rich:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(widget.font())
        doc.setHtml(text)
        return int(doc.idealWidth() + 0.999)
    fm = QFontMetrics(widget.font())
    return max(fm.horizontalAdvance(line) for line in text.split("\n"))


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '-'})"


def _label(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    rect = label.contentsRect()
    room = rect.width() - 2 * max(label.margin(), 0) - max(label.indent(), 0)
    rich = label.textFormat() == label.textFormat().RichText or (
        label.textFormat() == label.textFormat().AutoText and "<" in text and ">" in text)
    if label.wordWrap():
        needed = label.heightForWidth(label.width())  # the whole label's height, margins and padding included
        if needed > label.height() + SLACK:
            return f"{_name(label)} “{text[:60]}” needs {needed}px height, has {label.height()}"
        return None
    needed = _text_width(label, text, rich)
    if needed > room + SLACK:
        return f"{_name(label)} “{text[:60]}” needs {needed}px, has {room}"
    return None


def _button(button: QAbstractButton) -> str | None:
    text = _mnemonic_free(button.text())
    if not text:
        return None
    style = button.style()
    needed = QFontMetrics(button.font()).horizontalAdvance(text)
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if isinstance(button, (QCheckBox, QRadioButton)):
        needed += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
    elif isinstance(button, (QToolButton, QPushButton)):
        # The style's own size for the text, but not the minimum width some styles give every button (80).
        needed = min(button.sizeHint().width(), needed + 16 + (
            style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator) if button.menu() is not None else 0))
    if needed > button.width() + SLACK:
        return f"{_name(button)} “{text}” needs {needed}px, has {button.width()}"
    return None


def _line_edit(edit: QLineEdit) -> str | None:
    text = edit.text() if edit.text() else edit.placeholderText()
    if not text or edit.echoMode() != QLineEdit.EchoMode.Normal:
        return None
    margins = edit.textMargins()
    room = edit.width() - 8 - margins.left() - margins.right()
    if edit.isClearButtonEnabled() and edit.text():
        room -= 20
    needed = QFontMetrics(edit.font()).horizontalAdvance(text)
    if needed > room + SLACK:
        return f"{_name(edit)} “{text[:60]}” needs {needed}px, has {room}"
    return None


def _combo(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text or combo.isEditable():
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    needed = QFontMetrics(combo.font()).horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        needed += combo.iconSize().width() + 4
    if needed > field.width() + SLACK:
        return f"{_name(combo)} “{text[:60]}” needs {needed}px, has {field.width()}"
    return None


def _inside_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def clipped_texts(root: QWidget) -> list[str]:
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not root.window() or _inside_item_view(widget):
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        problem = None
        if isinstance(widget, QLabel):
            problem = _label(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button(widget)
        elif isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QComboBox):
            problem = _line_edit(widget)
        elif isinstance(widget, QComboBox):
            problem = _combo(widget)
        if problem:
            problems.append(problem)
    return problems


def oversize(window: QWidget, screen: QSize) -> list[str]:
    size = window.frameGeometry().size() if window.isWindow() else window.size()
    problems = []
    if size.width() > screen.width() or size.height() > screen.height():
        problems.append(f"the window is {size.width()}×{size.height()} on a {screen.width()}×{screen.height()} "
                        "screen")
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    if hint.width() > screen.width() or hint.height() > screen.height():
        problems.append(f"the window needs at least {hint.width()}×{hint.height()}")
    return problems
