#!/usr/bin/env bash
# Create .venv (if missing) and install neuraltypes with its dev tools into it.
# torch is installed first, pinned, so pip does not pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
. .venv/bin/activate
quiet() { "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
python -c "import torch" 2>/dev/null || quiet python -m pip install -q "torch==${TORCH_VERSION:-2.13.0}"
quiet python -m pip install -q -e ".[dev]"
