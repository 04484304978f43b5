#!/usr/bin/env bash
# Create .venv (if missing) and install neuraltypes with its dev tools into it.
# torch is installed first, pinned, so pip does not pull a multi-GB CUDA build.
# pip runs quietly; one line per step says what is being installed (the first run
# downloads a few hundred MB and takes minutes, later runs a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
TORCH=${TORCH_VERSION:-2.13.0}
step() { echo "setup: $*"; }
if [ ! -x .venv/bin/python ]; then
    step "creating the virtual environment .venv ($("$PY" --version 2>&1))"
    "$PY" -m venv .venv
else
    step "using the existing virtual environment .venv ($(.venv/bin/python --version 2>&1))"
fi
. .venv/bin/activate
quiet() { "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
if installed=$(python -c "import torch; print(torch.__version__)" 2>/dev/null); then
    step "torch $installed is already installed"
else
    step "installing torch $TORCH (a large download the first time: this can take minutes)"
    quiet python -m pip install -q "torch==$TORCH"
fi
step "installing neuraltypes (editable) with its dev extras: mypy, jaxtyping, pytest, ruff, lightning..."
quiet python -m pip install -q -e ".[dev]"
step "done: activate it with '. .venv/bin/activate'"
