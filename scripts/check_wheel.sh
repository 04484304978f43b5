#!/usr/bin/env bash
# Packaging check (CI): build the wheel, install it (not editable) into a fresh
# virtual environment, copy the quickstart example somewhere else, and run mypy with
# the plugin there: the plugin and the package must be found from the wheel alone,
# and the expected wiring error must appear. MYPY_VERSIONS lists the mypy releases to
# try (default: the lowest and the highest supported).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PY=${PYTHON:-python3}
"$PY" -m pip wheel -q --no-deps -w "$work/dist" . 2> >(grep -v "is ignored" >&2)
"$PY" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "torch==${TORCH_VERSION:-2.13.0}" 2> >(grep -v "is ignored" >&2)
"$work/venv/bin/python" -m pip install -q "$work"/dist/neuraltypes-*.whl 2> >(grep -v "is ignored" >&2)
cp -r examples/quickstart "$work/quickstart"
rm -rf "$work/quickstart/.mypy_cache"
for version in ${MYPY_VERSIONS:-$(python3 "$repo/scripts/mypy_range.py")}; do
    "$work/venv/bin/python" -m pip install -q "mypy==$version" 2> >(grep -v "is ignored" >&2)
    echo "== wheel + mypy $version: mypy over a copy of examples/quickstart"
    (cd "$work/quickstart" && "$work/venv/bin/mypy" --no-incremental . > "$work/out.txt" 2>&1) && status=0 || status=$?
    cat "$work/out.txt"
    if [ "$status" -ne 1 ] || ! diff <(grep -v '^Found ' "$work/out.txt") "$repo/examples/quickstart/expected_output.txt"; then
        echo "FAILED: expected exactly the errors in examples/quickstart/expected_output.txt (exit 1), got exit $status" >&2
        exit 1
    fi
done
echo "wheel check passed"
