"""Send campaign: a side panel (channel → estimate → template and variable mapping → recipient list).

`SendCampaignPanel` is embedded in the segment detail; `SendCampaignDialog` hosts the same panel for the
segment list's Actions → Send campaign. The mapping rules live in `segstudio.core.variable_mapping`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiClient, ApiError, ClientError, LatestTask
from segstudio.client.models import CampaignEstimate, CampaignTemplate, FieldInfo, RecipientList, Segment
from segstudio.core import figures
from segstudio.core import variable_mapping as vm
from segstudio.core.readiness import NOT_READY_TOOLTIP
from segstudio.services.catalog import CatalogCache

CHANNELS = (("whatsapp", "WhatsApp campaign"), ("email", "Email campaign"))
PropertyRole = Qt.ItemDataRole.UserRole


class SendCampaignPanel(QWidget):
    closeRequested = Signal()
    created = Signal(object)

    def __init__(self, client: ApiClient, segment: Segment, catalog: CatalogCache | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendCampaignPanel")
        self.client = client
        self.segment = segment
        self.catalog = catalog
        self.options: list[vm.PropertyOption] = []
        self.templates: list[CampaignTemplate] = []
        self.estimate: CampaignEstimate | None = None
        self.result: RecipientList | None = None
        self.variable_boxes: dict[str, QComboBox] = {}
        self.variable_errors: dict[str, QLabel] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

        title = QLabel(f"<b>Send campaign</b><br>Recipients: segment “{segment.name}”")
        title.setWordWrap(True)
        self.channel_group = QButtonGroup(self)
        self.channel_buttons: dict[str, QRadioButton] = {}
        channels = QVBoxLayout()
        for key, label in CHANNELS:
            button = QRadioButton(label)
            button.setObjectName(f"channel_{key}")
            self.channel_group.addButton(button)
            self.channel_buttons[key] = button
            channels.addWidget(button)
        self.estimate_label = QLabel("Choose a channel to see how many customers it reaches.")
        self.estimate_label.setObjectName("estimate")
        self.estimate_label.setWordWrap(True)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setObjectName("campaignContinue")
        self.continue_button.setEnabled(False)
        step1 = QWidget()
        s1 = QVBoxLayout(step1)
        s1.setContentsMargins(0, 0, 0, 0)
        s1.addWidget(QLabel("Channel"))
        s1.addLayout(channels)
        box = QGroupBox("Estimated audience size")
        QVBoxLayout(box).addWidget(self.estimate_label)
        s1.addWidget(box)
        s1.addStretch(1)
        s1.addWidget(self.continue_button)

        self.template = QComboBox()
        self.template.setObjectName("template")
        self.mapping_box = QGroupBox("Variable mapping")
        self.mapping_box.setObjectName("variableMapping")
        self.mapping_grid = QGridLayout(self.mapping_box)
        self.mapping_grid.setColumnStretch(1, 1)
        self.mapping_box.hide()
        self.back_button = QPushButton("‹ Back")
        self.create_button = QPushButton("Create recipient list")
        self.create_button.setObjectName("createRecipients")
        self.create_button.setEnabled(False)
        step2 = QWidget()
        s2 = QVBoxLayout(step2)
        s2.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("Template", self.template)
        s2.addLayout(form)
        s2.addWidget(self.mapping_box)
        s2.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.create_button)
        s2.addLayout(row)

        self.steps = QStackedWidget()
        self.steps.addWidget(step1)
        self.steps.addWidget(step2)
        self.message = QLabel()
        self.message.setObjectName("campaignMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)

        self._estimate = LatestTask[CampaignEstimate](self._estimated, self._failed)
        self._templates = LatestTask[list[CampaignTemplate]](self._templates_loaded, self._failed)
        self.channel_group.buttonClicked.connect(lambda _: self.load())
        self.continue_button.clicked.connect(self.go_on)
        self.back_button.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        self.template.currentIndexChanged.connect(lambda _: self._show_variables())
        self.create_button.clicked.connect(self.create)
        self.close_button.clicked.connect(self.closeRequested)
        self._apply_readiness()

    # --- state ------------------------------------------------------------------------------------------

    @property
    def channel(self) -> str | None:
        return next((k for k, b in self.channel_buttons.items() if b.isChecked()), None)

    def set_segment(self, segment: Segment) -> None:
        self.segment = segment
        self._apply_readiness()

    def _apply_readiness(self) -> None:
        ready = self.segment.readiness == "ready" and self.segment.status == "active"
        for button in self.channel_buttons.values():
            button.setEnabled(ready)
        if not ready:
            self.continue_button.setEnabled(False)
            self.continue_button.setToolTip(NOT_READY_TOOLTIP)
            self.estimate_label.setText(NOT_READY_TOOLTIP if self.segment.status == "active"
                                        else "An archived segment cannot be used for a campaign.")

    def choose_channel(self, channel: str) -> None:
        self.channel_buttons[channel].setChecked(True)
        self.load()

    def load(self) -> None:
        channel = self.channel
        if channel is None or self.segment.readiness != "ready":
            return
        self.estimate = None
        self.continue_button.setEnabled(False)
        self.estimate_label.setText("Counting reachable customers…")
        self.message.clear()
        self._estimate.start(self.client.campaign_estimate(self.segment.id, channel))
        self._templates.start(self.client.campaign_templates(channel))
        if not self.options:
            self._run(self._load_properties())

    async def _load_properties(self) -> None:
        fields: list[FieldInfo] = await (self.catalog.get() if self.catalog is not None else self.client.fields())
        self.options = vm.property_options(fields)
        self._show_variables()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ApiError) and error.status == 409:
            self.estimate_label.setText(NOT_READY_TOOLTIP)
            self.continue_button.setEnabled(False)
        self.message.setText(error.message if isinstance(error, ClientError) else str(error))

    def _estimated(self, estimate: CampaignEstimate) -> None:
        self.estimate = estimate
        self.estimate_label.setText(estimate.message)
        self.continue_button.setEnabled(estimate.reachable > 0)
        self.continue_button.setToolTip("" if estimate.reachable > 0 else
                                        "No customer in this segment can be reached on this channel.")

    def go_on(self) -> None:
        if self.estimate is not None and self.estimate.reachable > 0:
            self.steps.setCurrentIndex(1)
            self._show_variables()

    def _templates_loaded(self, templates: list[CampaignTemplate]) -> None:
        self.templates = templates
        self.template.blockSignals(True)
        self.template.clear()
        for template in templates:
            self.template.addItem(template.name, template)
        self.template.blockSignals(False)
        if not templates:
            self.message.setText("There are no templates for this channel yet.")
        self._show_variables()

    # --- mapping ----------------------------------------------------------------------------------------

    def _property_model(self) -> QStandardItemModel:
        model = QStandardItemModel(self)
        placeholder = QStandardItem("Choose a property…")
        placeholder.setData(None, PropertyRole)
        model.appendRow(placeholder)
        group = None
        for option in self.options:
            if option.group != group:
                group = option.group
                header = QStandardItem(group)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                model.appendRow(header)
            item = QStandardItem(f"  {option.label}")
            item.setData(option.key, PropertyRole)
            item.setToolTip(option.key)
            model.appendRow(item)
        return model

    def _show_variables(self) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.variable_boxes, self.variable_errors = {}, {}
        template: CampaignTemplate | None = self.template.currentData()
        variables = template.variables if template else []
        self.mapping_box.setVisible(bool(variables))
        initial = vm.initial_mapping(variables, self.options)
        for row, variable in enumerate(variables):
            combo = QComboBox()
            combo.setObjectName(f"map_{variable}")
            combo.setModel(self._property_model())
            chosen = initial.get(variable)
            if chosen:
                combo.setCurrentIndex(max(0, combo.findData(chosen, PropertyRole)))
            combo.currentIndexChanged.connect(lambda _: self._validate())
            error = QLabel()
            error.setObjectName(f"mapError_{variable}")
            error.setStyleSheet("color: #b91c1c;")
            error.setWordWrap(True)
            self.variable_boxes[variable] = combo
            self.variable_errors[variable] = error
            name = QLabel(f"{{{{{variable}}}}}")
            name.setObjectName(f"mapLabel_{variable}")
            name.setTextFormat(Qt.TextFormat.PlainText)
            self.mapping_grid.addWidget(name, 2 * row, 0)
            self.mapping_grid.addWidget(combo, 2 * row, 1)
            self.mapping_grid.addWidget(error, 2 * row + 1, 1)
        self._validate()

    def mapping(self) -> dict[str, str | None]:
        return {v: box.currentData(PropertyRole) for v, box in self.variable_boxes.items()}

    def _validate(self) -> dict[str, str]:
        template: CampaignTemplate | None = self.template.currentData()
        variables = template.variables if template else []
        problems = vm.problems(variables, self.mapping(), self.options) if self.options or not variables else {
            v: "Loading the customer properties…" for v in variables}
        for variable, label in self.variable_errors.items():
            label.setText(problems.get(variable, ""))
            label.setVisible(variable in problems)
        self.create_button.setEnabled(template is not None and not problems)
        return problems

    def create(self) -> asyncio.Task[Any] | None:
        template: CampaignTemplate | None = self.template.currentData()
        channel = self.channel
        if template is None or channel is None or self._validate():
            return None
        variables = vm.wire_mapping(template.variables, self.mapping())

        async def run() -> None:
            self.create_button.setEnabled(False)
            self.message.setText("Creating the recipient list…")
            try:
                created = await self.client.create_recipient_list(self.segment.id, channel=channel,
                                                                  template_id=template.id, variables=variables)
            except ApiError as exc:
                for variable, text in vm.server_problems(exc.fields).items():
                    if variable in self.variable_errors:
                        self.variable_errors[variable].setText(text)
                        self.variable_errors[variable].show()
                self.message.setText(exc.message)
                self.create_button.setEnabled(True)
                return
            except ClientError as exc:
                self.message.setText(exc.message)
                self.create_button.setEnabled(True)
                return
            self.result = created
            self.message.setText(figures.recipient_list_created(created.id, created.size, created.reachable,
                                                                channel))
            self.created.emit(created)

        return self._run(run())

    def _run(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                error = t.exception()
                self.message.setText(error.message if isinstance(error, ClientError) else str(error))

        task.add_done_callback(done)
        return task

    def cleanup(self) -> None:
        self._estimate.cancel()
        self._templates.cancel()
        for task in list(self._tasks):
            task.cancel()


class SendCampaignDialog(QDialog):
    """The panel as a side sheet over the window, for entry points outside the segment detail."""

    def __init__(self, client: ApiClient, segment: Segment, parent: QWidget | None = None,
                 catalog: CatalogCache | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Send campaign — {segment.name}")
        self.setMinimumWidth(460)
        self.panel = SendCampaignPanel(client, segment, catalog, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)
        self.panel.closeRequested.connect(self.reject)

    def load(self) -> None:
        """Start with WhatsApp chosen, as the PRD's first channel."""
        if self.panel.segment.readiness == "ready":
            self.panel.choose_channel("whatsapp")

    def done(self, result: int) -> None:
        self.panel.cleanup()
        super().done(result)
