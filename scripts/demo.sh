#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run mypy with the neuraltypes plugin over the
# shipped example, which contains one wiring bug the plugin catches.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
. .venv/bin/activate
cd examples/quickstart
echo "\$ mypy ."
mypy .
status=$?
if [ "$status" -eq 1 ]; then
    echo
    echo "mypy found the wiring bug above (exit status 1, as expected)."
    exit 0
fi
exit "$status"
