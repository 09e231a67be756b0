#!/usr/bin/env bash
# Builds the desktop app with its backend into dist/segstudio/ (PyInstaller, one folder).
# Usage: scripts/build.sh            (installs pyinstaller into .venv when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
  .venv/bin/python -m pip install -q "pyinstaller>=6.5"
fi
start=$(date +%s)
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build.spec
echo "built dist/segstudio/segstudio in $(( $(date +%s) - start )) s" >&2
