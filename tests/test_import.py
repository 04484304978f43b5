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


def test_loading_the_plugin_imports_neither_torch_nor_the_core() -> None:
    code = (
        "import sys, neuraltypes_mypy\n"
        "plugin_class = neuraltypes_mypy.plugin('2.4.1')\n"
        "print('torch' in sys.modules, 'neuraltypes' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
    assert out.stderr == ""


def test_plugin_warns_outside_its_mypy_range() -> None:
    code = "import neuraltypes_mypy; neuraltypes_mypy.plugin('1.15.0')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == (
        "neuraltypes_mypy: mypy 1.15.0 is outside the supported range >=2.0,<2.5; "
        "neural type checks may be wrong or missing"
    )


def test_one_version_for_the_distribution() -> None:
    """The package, the plugin (part of mypy's cache key) and pyproject.toml agree."""
    from pathlib import Path

    import tomllib

    import neuraltypes
    from neuraltypes_mypy import PLUGIN_VERSION

    pyproject = Path(__file__).parents[1] / "pyproject.toml"
    version = tomllib.loads(pyproject.read_text())["project"]["version"]
    assert neuraltypes.__version__ == version
    assert PLUGIN_VERSION == f"neuraltypes-mypy {version}"
