"""Every neural-* error code can be silenced or enabled as mypy's own can: in
``disable_error_code`` / ``enable_error_code`` (mypy.ini, per-module sections,
pyproject.toml, the command line) and in ``# type: ignore[...]``. Real mypy runs,
over a stand-in for torch (``fake_torch/``): each change of these settings makes
mypy check every module again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from neuraltypes._core import ERROR_CODES
from neuraltypes_mypy._codes import CODES

FAKE_TORCH = Path(__file__).parent / "fake_torch"

#: one call per static code, and a malformed annotation (neural-spec)
BAD = """\
from typing import Annotated

from torch import Tensor

from neuraltypes.elements import LengthsType, SpectrogramType


def takes(x: Annotated[Tensor, "B D=80 T", SpectrogramType]) -> None: ...


def bad(
    short: Annotated[Tensor, "B T", SpectrogramType],
    lens: Annotated[Tensor, "B D T", LengthsType],
    narrow: Annotated[Tensor, "B D=40 T", SpectrogramType],
    broken: Annotated[Tensor, "B ((", SpectrogramType],{spec}
) -> None:
    takes(short){axes}
    takes(lens){element}
    takes(narrow){size}
"""
STATIC = ("neural-axes", "neural-element", "neural-size", "neural-spec")
ERROR = re.compile(r"^(?P<module>\w+)\.py:\d+: error: .*\[(?P<code>[\w-]+)\]$")


def _write(folder: Path, module: str, *, ignored: bool = False) -> None:
    def ignore(code: str) -> str:
        return f"  # type: ignore[{code}]" if ignored else ""

    text = BAD.format(
        spec=ignore("neural-spec"),
        axes=ignore("neural-axes"),
        element=ignore("neural-element"),
        size=ignore("neural-size"),
    )
    (folder / f"{module}.py").write_text(text)


def _codes(folder: Path, *args: str) -> dict[str, set[str]]:
    """Run mypy in ``folder``: the codes reported, per module (exit status 0 or 1)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(folder / ".cache"),
         "--no-error-summary", "--hide-error-context", "--no-pretty", *args, "."],
        cwd=folder, capture_output=True, text=True, env={**os.environ, "MYPY_FORCE_COLOR": "0"},
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert proc.stderr == ""
    found: dict[str, set[str]] = {}
    for line in proc.stdout.splitlines():
        match = ERROR.match(line)
        assert match, line
        found.setdefault(match["module"], set()).add(match["code"])
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "stubs").symlink_to(FAKE_TORCH)
    return tmp_path


def test_codes_are_the_cores() -> None:
    assert {name: code.description for name, code in CODES.items()} == ERROR_CODES
    assert all(code.category == "neuraltypes" for code in CODES.values())


def test_mypy_ini_sections_and_type_ignore(project: Path) -> None:
    for module in ("every", "no_size", "no_element_spec", "no_axes"):
        _write(project, module)
    _write(project, "ignored", ignored=True)
    (project / "mypy.ini").write_text(
        "[mypy]\nplugins = neuraltypes_mypy\nmypy_path = stubs\nwarn_unused_ignores = True\n"
        "enable_error_code = neural-axes, neural-internal\n"
        "[mypy-no_size]\ndisable_error_code = neural-size\n"
        "[mypy-no_element_spec]\ndisable_error_code = neural-element, neural-spec\n"
        "[mypy-no_axes]\ndisable_error_code = neural-axes\n"
    )
    assert _codes(project) == {
        "every": set(STATIC),
        "no_size": {"neural-axes", "neural-element", "neural-spec"},
        "no_element_spec": {"neural-axes", "neural-size"},
        "no_axes": {"neural-element", "neural-size", "neural-spec"},
    }  # "ignored": every ignore matched its error (else warn_unused_ignores reports it)


def test_pyproject_toml(project: Path) -> None:
    _write(project, "every")
    _write(project, "other")
    (project / "pyproject.toml").write_text(
        '[tool.mypy]\nplugins = ["neuraltypes_mypy"]\nmypy_path = "stubs"\n'
        'disable_error_code = ["neural-size", "neural-element"]\n'
        '[[tool.mypy.overrides]]\nmodule = "every"\nenable_error_code = ["neural-size"]\n'
    )
    assert _codes(project) == {
        "every": {"neural-axes", "neural-size", "neural-spec"},
        "other": {"neural-axes", "neural-spec"},
    }


def test_command_line(project: Path) -> None:
    _write(project, "every")
    (project / "mypy.ini").write_text("[mypy]\nplugins = neuraltypes_mypy\nmypy_path = stubs\n")
    found = _codes(
        project,
        "--disable-error-code", "neural-spec",
        "--disable-error-code", "neural-axes",
        "--enable-error-code", "neural-element",
    )  # fmt: skip
    assert found == {"every": {"neural-element", "neural-size"}}
