"""One real mouse drag, in a subprocess on the `minimal` platform (offscreen does not run drags)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCENARIO = Path(__file__).with_name("real_drag_scenario.py")


def test_dragging_a_condition_by_its_handle_into_a_group() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "minimal"}
    result = subprocess.run([sys.executable, str(SCENARIO)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    shape = json.loads(result.stdout.strip().splitlines()[-1])
    # The Source condition left the root and landed above Province in the second group.
    assert shape == [["deal.stage", "metric.days_since_last_conversation"], ["source", "address.province"]]
