"""Send campaign: pick a channel and template, map its variables, create the recipient-list snapshot."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from segstudio.client import ApiClient, ApiError, ClientError, LatestTask
from segstudio.client.models import CampaignEstimate, CampaignTemplate, Segment

CUSTOMER_PROPERTIES = ("full_name", "phone", "email", "job_title", "source", "status", "owner", "assignee",
                       "address.city", "address.province", "loyalty.current_tier", "loyalty.available_balance")


class SendCampaignDialog(QDialog):
    def __init__(self, client: ApiClient, segment: Segment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.segment = segment
        self.templates: list[CampaignTemplate] = []
        self.setWindowTitle(f"Send campaign — {segment.name}")
        self.setMinimumWidth(480)
        self.channel = QComboBox()
        self.channel.addItem("WhatsApp", "whatsapp")
        self.channel.addItem("Email", "email")
        self.template = QComboBox()
        self.template.setObjectName("template")
        self.estimate = QLabel("…")
        self.estimate.setObjectName("estimate")
        self.estimate.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow("Recipients", QLabel(f"Segment “{segment.name}”"))
        self.form.addRow("Channel", self.channel)
        self.form.addRow("Reach", self.estimate)
        self.form.addRow("Template", self.template)
        self.variables_start = self.form.rowCount()
        self.variable_boxes: dict[str, QComboBox] = {}
        self.message = QLabel()
        self.message.setObjectName("campaignMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.create_button = QPushButton("Create recipient list")
        self.create_button.setObjectName("createRecipients")
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.form.addRow(self.message)
        self.form.addRow(self.buttons)
        self._estimate = LatestTask[CampaignEstimate](self._estimated, self._error)
        self._templates = LatestTask[list[CampaignTemplate]](self._templates_loaded, self._error)
        self._tasks: set[asyncio.Task[Any]] = set()
        self.channel.currentIndexChanged.connect(lambda _: self.load())
        self.template.currentIndexChanged.connect(lambda _: self._show_variables())
        self.create_button.clicked.connect(self.create)

    def load(self) -> None:
        channel = self.channel.currentData()
        self.estimate.setText("…")
        self._estimate.start(self.client.campaign_estimate(self.segment.id, channel))
        self._templates.start(self.client.campaign_templates(channel))

    def _error(self, error: BaseException) -> None:
        self.message.setText(error.message if isinstance(error, ClientError) else str(error))

    def _estimated(self, estimate: CampaignEstimate) -> None:
        self.estimate.setText(estimate.message)

    def _templates_loaded(self, templates: list[CampaignTemplate]) -> None:
        self.templates = templates
        self.template.blockSignals(True)
        self.template.clear()
        for template in templates:
            self.template.addItem(template.name, template)
        self.template.blockSignals(False)
        if not templates:
            self.message.setText("No templates for this channel.")
        self._show_variables()

    def _show_variables(self) -> None:
        while self.form.rowCount() > self.variables_start + 2:
            self.form.removeRow(self.variables_start)
        self.variable_boxes = {}
        template: CampaignTemplate | None = self.template.currentData()
        for offset, variable in enumerate(template.variables if template else []):
            box = QComboBox()
            box.addItems(CUSTOMER_PROPERTIES)
            if variable in CUSTOMER_PROPERTIES:
                box.setCurrentText(variable)
            elif variable == "first_name":
                box.setCurrentText("full_name")
            self.variable_boxes[variable] = box
            self.form.insertRow(self.variables_start + offset, f"{{{{{variable}}}}}", box)
        self.create_button.setEnabled(template is not None)

    def create(self) -> asyncio.Task[Any] | None:
        template: CampaignTemplate | None = self.template.currentData()
        if template is None:
            return None
        variables = {name: box.currentText() for name, box in self.variable_boxes.items()}

        async def run() -> None:
            self.create_button.setEnabled(False)
            try:
                created = await self.client.create_recipient_list(
                    self.segment.id, channel=self.channel.currentData(), template_id=template.id,
                    variables=variables)
            except ApiError as exc:
                self.message.setText(exc.message + "".join(f"\n{p}: {m}" for p, m in exc.fields.items()))
                return
            except ClientError as exc:
                self.message.setText(exc.message)
                return
            finally:
                self.create_button.setEnabled(True)
            self.message.setText(f"Recipient list {created.id} created with {created.size:,} recipients. "
                                 "The campaign service picks it up from here.")

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def done(self, result: int) -> None:
        self._estimate.cancel()
        self._templates.cancel()
        super().done(result)
