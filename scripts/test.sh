#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run every check CI runs: lint and format, strict
# typing of the package and the plugin, stubtest, the test suite, and the packaging
# check (wheel in a fresh venv, with the lowest and the highest supported mypy).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
echo "== ruff" && ruff check . && ruff format --check .
echo "== mypy --strict (package and plugin)" && mypy --strict src/neuraltypes mypy_plugin/neuraltypes_mypy
echo "== stubtest" && (cd /tmp && python -m mypy.stubtest neuraltypes --allowlist "$OLDPWD/stubs/stubtest-allowlist.txt")
echo "== pytest" && python -m pytest "$@"
echo "== wheel in a fresh venv" && bash scripts/check_wheel.sh
