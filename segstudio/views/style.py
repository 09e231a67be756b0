"""The app's look: one stylesheet applied to the QApplication (the app and the screenshot script)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

STYLESHEET = """
QListWidget#navigation { background: #1f2a37; color: #e5e7eb; border: none; padding-top: 8px;
                         font-size: 14px; }
QListWidget#navigation::item { padding: 10px 16px; }
QListWidget#navigation::item:selected { background: #2563eb; color: white; }
QLabel#pageTitle { font-size: 20px; font-weight: 600; padding: 4px 0 8px 0; }
QLabel#subnavTitle { font-weight: 600; }
QFrame#networkBanner { background: #fef3c7; border-bottom: 1px solid #f59e0b; }
QLabel#limitMessage { background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5; border-radius: 4px;
                      padding: 8px; }
QLabel#packageMessage { background: #eff6ff; color: #1e3a8a; border: 1px solid #bfdbfe; border-radius: 4px;
                        padding: 10px; }
QLabel#emptyLabel { color: #4b5563; font-size: 14px; }
QPushButton#createSegment, QPushButton#emptyCreate { background: #2563eb; color: white; border: none;
                         border-radius: 4px; padding: 6px 14px; font-weight: 600; }
QPushButton#createSegment:hover, QPushButton#emptyCreate:hover { background: #1d4ed8; }
QWidget#segmentDetail { background: #f9fafb; border-left: 1px solid #e5e7eb; }
QLabel#detailName { font-size: 16px; }
QTableView#segmentTable { gridline-color: #e5e7eb; selection-background-color: #dbeafe;
                          selection-color: #111827; }
QHeaderView::section { background: #f3f4f6; padding: 6px; border: none; border-bottom: 1px solid #d1d5db;
                       font-weight: 600; }
QStatusBar QLabel { color: #374151; padding: 0 8px; border-left: 1px solid #d1d5db; }
""" + """
/* Keyboard focus, visible on every control (Fusion alone shows none on buttons, boxes and check boxes).
   Buttons get a base look so the focus ring (2 px) replaces the border (1 px) without moving the text. */
QPushButton { border: 1px solid #b8bcc4; border-radius: 4px; padding: 4px 10px; background: #ffffff; }
QPushButton:hover { background: #f3f4f6; }
QPushButton:pressed, QPushButton:checked { background: #e5e7eb; }
QPushButton:disabled { color: #9ca3af; background: #f9fafb; border-color: #e5e7eb; }
QPushButton:flat { border: 1px solid transparent; background: transparent; }
QPushButton:focus, QPushButton:flat:focus { border: 2px solid #2563eb; padding: 3px 9px; }
QPushButton#createSegment:focus, QPushButton#emptyCreate:focus { border: 2px solid #1e3a8a; padding: 4px 12px; }
QToolButton:focus { border: 2px solid #2563eb; border-radius: 4px; background: #eff6ff; }
QComboBox:focus, QAbstractSpinBox:focus, QDateEdit:focus { border: 2px solid #2563eb; border-radius: 3px; }
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus { border: 2px solid #2563eb; border-radius: 3px; }
QCheckBox:focus, QRadioButton:focus { background: #dbeafe; border-radius: 3px; }
QAbstractItemView:focus { border: 2px solid #2563eb; }
QListWidget#navigation:focus { border: none; border-right: 3px solid #60a5fa; }
QTabBar::tab:focus { color: #1d4ed8; text-decoration: underline; }
"""


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
