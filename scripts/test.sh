#!/usr/bin/env bash
# Sets up and runs every test: lint, import contracts, the backend suite on SQLite and on
# PostgreSQL (127.0.0.1:5432, database test), and the desktop tests offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
lint_dirs=$(ls -d backend segstudio tests scripts bench 2>/dev/null)
.venv/bin/ruff check $lint_dirs
.venv/bin/lint-imports --no-cache
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 --durations=15 "$@"
