#!/usr/bin/env bash
# Sets up and starts the desktop app on the embedded default: the bundled backend on SQLite in the
# user data directory, seeded with the demo organisation on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting under xvfb-run (set DISPLAY to use your screen)." >&2
  exec xvfb-run -a .venv/bin/segstudio "$@"
fi
exec .venv/bin/segstudio "$@"
