#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run every check CI runs: lint, format, strict
# typing of the package and the plugin, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
echo "== ruff" && ruff check . && ruff format --check .
echo "== mypy --strict (package and plugin)" && mypy --strict src/neuraltypes mypy_plugin/neuraltypes_mypy
echo "== pytest" && python -m pytest "$@"
