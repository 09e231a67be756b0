"""Organisation settings: timezone, daily refresh time, rule limits and the evaluation time budget; the
package is shown read-only. `SettingsDraft` (segstudio.core.admin_forms) validates and tracks what
changed; the server's 400 paths land beside the same inputs."""

from __future__ import annotations

import asyncio
import zoneinfo
from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiError
from segstudio.client.admin import AdminApi, OrgSettings
from segstudio.core.admin_forms import LIMIT_FIELDS, SETTINGS_LABELS, SettingsDraft
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin.common import AdminPage, ErrorLabel, field_block

PACKAGE_NAMES = {"starter": "Starter", "plus": "Plus", "ultimate": "Ultimate", "360": "360"}
HINTS = {
    "timezone": "Dates in rules (“in the last 7 days”) and the daily refresh use this zone.",
    "refresh_time": "Every active segment is evaluated once a day at this time (24-hour, HH:MM).",
    "max_groups": "Criteria groups a segment's root may hold.",
    "max_conditions_per_group": "Conditions in one group, the root included.",
    "max_depth": "How deep groups may nest (1 = groups do not nest).",
    "evaluation_budget_seconds": "When the daily run takes longer, the remaining segments are skipped "
                                 "and an alert is raised.",
    "recipient_list_limit": "Campaign recipient lists the organisation keeps; a new one expires the oldest.",
    "recipient_list_days": "Days a recipient list stays readable by the campaign service.",
}
# Spin box tops a little above the server's ceilings, so the server's message shows rather than a silent clamp.
SPIN_MAX = {"evaluation_budget_seconds": 86_400, "recipient_list_limit": 999, "recipient_list_days": 999}
SUFFIX = {"evaluation_budget_seconds": " s", "recipient_list_days": " days"}


@cache
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class SettingsPage(AdminPage):
    title_text = "Organisation settings"

    def __init__(self, api: AdminApi, connection: ConnectionStatus, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(api, connection, tz, parent)
        self.draft = SettingsDraft()
        self.name_label = QLabel("—")
        self.name_label.setObjectName("orgName")
        self.name_label.setProperty("role", "readOnly")
        self.package_label = QLabel("—")
        self.package_label.setObjectName("orgPackage")
        self.package_label.setProperty("role", "readOnly")
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(timezones()))
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(sorted(timezones()), self.timezone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.timezone.setCompleter(completer)
        self.refresh_time = QLineEdit()
        self.refresh_time.setPlaceholderText("HH:MM")
        self.refresh_time.setMaxLength(5)
        self.refresh_time.setFixedWidth(90)
        self.limits: dict[str, QSpinBox] = {}
        for name in LIMIT_FIELDS:
            spin = QSpinBox()
            # 0 is reachable on purpose: the draft says why it is refused instead of the box silently clamping.
            spin.setRange(0, SPIN_MAX.get(name, 99))
            spin.setFixedWidth(110)
            spin.setSuffix(SUFFIX.get(name, ""))
            self.limits[name] = spin
        self.inputs: dict[str, QWidget] = {"timezone": self.timezone, "refresh_time": self.refresh_time,
                                           **self.limits}
        self.errors: dict[str, ErrorLabel] = {}

        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        form.addRow("Organisation", self.name_label)
        form.addRow("Package", field_block(self.package_label, ErrorLabel("package"),
                                           hint="Read-only here; the server administrator changes it with "
                                                "segstudio-server set-package."))
        for name, widget in self.inputs.items():
            widget.setObjectName(name)
            error = self.errors[name] = ErrorLabel(name)
            form.addRow(SETTINGS_LABELS[name], field_block(widget, error, HINTS[name]))
        self.general = ErrorLabel("settingsGeneral")
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.setObjectName("discardSettings")
        self.save_button = QPushButton("Save settings")
        self.save_button.setObjectName("saveSettings")
        self.save_button.setProperty("primary", True)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(self.general)
        column.addLayout(bar)
        holder.setMaximumWidth(820)
        self.layout_.addWidget(holder)
        self.layout_.addStretch(1)

        self.timezone.currentTextChanged.connect(lambda text: self._edited("timezone", text))
        self.refresh_time.textChanged.connect(lambda text: self._edited("refresh_time", text))
        for name, spin in self.limits.items():
            spin.valueChanged.connect(lambda value, name=name: self._edited(name, value))
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self._sync()

    # --- state → widgets ------------------------------------------------------------------------------

    def _populate(self, settings: OrgSettings) -> None:
        self.draft.load(settings.model_dump())
        self.name_label.setText(settings.name)
        self.package_label.setText(PACKAGE_NAMES.get(settings.package, settings.package))
        self._show_values()
        self._sync()

    def _show_values(self) -> None:
        values = self.draft.values
        for widget in self.inputs.values():
            widget.blockSignals(True)
        self.timezone.setCurrentText(str(values.get("timezone", "")))
        self.refresh_time.setText(str(values.get("refresh_time", "")))
        for name, spin in self.limits.items():
            spin.setValue(int(values.get(name, 0)))
        for widget in self.inputs.values():
            widget.blockSignals(False)

    def _sync(self) -> None:
        for name, label in self.errors.items():
            label.set_message(self.draft.errors.get(name))
        self.general.set_message(" ".join(self.draft.general))
        self.save_button.setEnabled(self.loaded and self.draft.dirty)
        self.discard_button.setEnabled(self.loaded and self.draft.dirty)

    def _edited(self, name: str, value: Any) -> None:
        if not self.loaded:
            return
        self.draft.set(name, value)
        self.show_notice("")
        self._sync()

    # --- calls ----------------------------------------------------------------------------------------

    def reload(self) -> asyncio.Task[Any]:
        async def load() -> None:
            settings = await self.api.settings()
            self.loaded = True
            if not self.draft.dirty:
                self._populate(settings)
            else:
                # Keep what the admin is typing; only the read-only facts and the baseline refresh.
                self.draft.saved = {k: v for k, v in settings.model_dump().items() if k in self.draft.saved}
                self.name_label.setText(settings.name)
                self.package_label.setText(PACKAGE_NAMES.get(settings.package, settings.package))
                self._sync()

        return self.run(load(), retry=self.reload)

    def discard(self) -> None:
        self.draft.discard()
        self._show_values()
        self.show_notice("")
        self._sync()

    def save(self) -> asyncio.Task[Any] | None:
        if not self.draft.validate(timezones()):
            self._sync()
            return None
        changes = self.draft.changes()
        if not changes:
            return None
        self.save_button.setEnabled(False)

        async def save() -> None:
            try:
                settings = await self.api.update_settings(changes)
            except ApiError as exc:
                if exc.status != 400:
                    raise
                self.draft.rejected(exc.fields, exc.message)
                return
            finally:
                self._sync()
            self._populate(settings)
            self.show_notice("Settings saved.")
            self.mutated.emit()

        def failed(exc: ApiError) -> bool:
            self.draft.rejected({}, exc.message)
            self._sync()
            return True

        return self.run(save(), on_api_error=failed)
