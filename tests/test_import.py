"""`import neuraltypes` (and its element types) must not import torch."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_import_torch() -> None:
    code = (
        "import sys, neuraltypes, neuraltypes.elements, neuraltypes._core\n"
        "from neuraltypes import NeuralType, AxisKind, AxisType, NeuralTypeComparisonResult, "
        "NeuralTypeError\n"
        "assert issubclass(NeuralTypeError, TypeError)\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
