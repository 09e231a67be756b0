"""A real mouse drag in the builder, run as its own process under QT_QPA_PLATFORM=minimal (the offscreen
platform ignores drags). Prints the tree's shape after the drop as JSON on the last line of stdout."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import qasync  # noqa: E402
from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from segstudio.views.builder import BuilderView  # noqa: E402
from tests.core.cases import NESTED_JSON, shape  # noqa: E402
from tests.desktop.builder.fake_backend import FakeBackend  # noqa: E402


async def open_view() -> BuilderView:
    view = BuilderView(backend=FakeBackend(), segment={"id": 1, "name": "Drag", "rules": NESTED_JSON})
    view.resize(1280, 700)
    view.show()
    while view.tree_view is None:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)
    return view


def drag(view: BuilderView) -> None:
    """Press on the Source row's handle and drop it just above the Province row.

    Runs outside any asyncio task: the drag has its own nested event loop, which must not run inside a task
    (the same rule as never calling QDialog.exec() in an async slot). What happens during the drag is queued
    with timers before the move that starts it.
    """
    tree_view = view.tree_view
    assert tree_view is not None and view.model is not None
    viewport = tree_view.viewport()
    source_rect = tree_view.visualRect(view.model.index_at_path((0,)))
    target_rect = tree_view.visualRect(view.model.index_at_path((2, 0)))
    start = QPoint(source_rect.left() + 10, source_rect.center().y())
    target = QPoint(target_rect.left() + 40, target_rect.top() + 4)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTimer.singleShot(150, lambda: QTest.mouseMove(viewport, target - QPoint(0, 10)))
    QTimer.singleShot(300, lambda: QTest.mouseMove(viewport, target))
    QTimer.singleShot(450, lambda: QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                                                      Qt.KeyboardModifier.NoModifier, target))
    QTest.mouseMove(viewport, start + QPoint(0, 30))


def main() -> None:
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    view = loop.run_until_complete(open_view())
    drag(view)
    loop.run_until_complete(asyncio.sleep(0.3))
    result = shape(view.document.tree)
    view.cleanup()
    loop.run_until_complete(asyncio.sleep(0.05))
    view.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
