"""The Administration section of the side navigation: its heading, five pages, and the unread-alerts badge.

The main window shows the section only to an Org Admin (`Access.is_org_admin`) and removes it again when a
re-read of /me says the user is no longer one. `NavigationDelegate` paints the heading row and the badge.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from segstudio.client import ApiClient
from segstudio.client.admin import AdminApi
from segstudio.core.admin_format import badge
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin.alerts import AlertsPage
from segstudio.views.admin.common import AdminPage
from segstudio.views.admin.roles import RolesPage
from segstudio.views.admin.settings import SettingsPage
from segstudio.views.admin.tokens import TokensPage
from segstudio.views.admin.users import UsersPage

HEADING = "Administration"
ROLES, USERS, SETTINGS, ALERTS, TOKENS = "admin.roles", "admin.users", "admin.settings", "admin.alerts", "admin.tokens"
LABELS = {ROLES: "Roles", USERS: "Users", SETTINGS: "Settings", ALERTS: "Alerts", TOKENS: "API tokens"}
BadgeRole = Qt.ItemDataRole.UserRole + 10
HeadingRole = Qt.ItemDataRole.UserRole + 11


class AdminSection(QObject):
    """Owns the five pages. `badgeChanged(str)` carries the Alerts entry's badge text ("" for none);
    `mutated()` fires after any page changed something on the server."""

    badgeChanged = Signal(str)
    mutated = Signal()

    def __init__(self, client: ApiClient, connection: ConnectionStatus, tz: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.api = AdminApi(client)
        self.roles = RolesPage(self.api, connection, tz)
        self.users = UsersPage(self.api, connection, tz)
        self.settings = SettingsPage(self.api, connection, tz)
        self.alerts = AlertsPage(self.api, connection, tz)
        self.tokens = TokensPage(self.api, connection, tz)
        self.pages: dict[str, AdminPage] = {ROLES: self.roles, USERS: self.users, SETTINGS: self.settings,
                                            ALERTS: self.alerts, TOKENS: self.tokens}
        for key, page in self.pages.items():
            page.setObjectName(key.replace(".", "_"))
            page.mutated.connect(self.mutated)
        self.alerts.unreadChanged.connect(lambda n: self.badgeChanged.emit(badge(n)))

    def refresh_badge(self) -> None:
        self.alerts.refresh_badge()

    def cleanup(self) -> None:
        for page in self.pages.values():
            page.cleanup()


class NavigationDelegate(QStyledItemDelegate):
    """Paints a section heading (an item with HeadingRole) as small caps text, and a count pill on items
    with BadgeRole text; everything else is the stylesheet's usual item."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        if index.data(HeadingRole):
            return QSize(size.width(), 34)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        rect: QRect = option.rect  # type: ignore[attr-defined]
        if index.data(HeadingRole):
            painter.save()
            font = QFont(option.font)  # type: ignore[attr-defined]
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
            font.setBold(True)
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
            painter.setFont(font)
            painter.setPen(QColor("#9ca3af"))
            painter.drawText(rect.adjusted(16, 10, -8, 0), int(Qt.AlignmentFlag.AlignLeft
                                                             | Qt.AlignmentFlag.AlignVCenter),
                             str(index.data(Qt.ItemDataRole.DisplayRole)).upper())
            painter.restore()
            return
        super().paint(painter, option, index)
        text = index.data(BadgeRole)
        if not text:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)  # type: ignore[attr-defined]
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        width = max(22, painter.fontMetrics().horizontalAdvance(str(text)) + 12)
        pill = QRect(rect.right() - width - 10, rect.center().y() - 10, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#dc2626"))
        painter.drawRoundedRect(pill, 10, 10)
        painter.setPen(QColor("white"))
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), str(text))
        painter.restore()


def admin_page_widgets(section: AdminSection) -> list[tuple[str, str, QWidget]]:
    return [(key, LABELS[key], page) for key, page in section.pages.items()]
