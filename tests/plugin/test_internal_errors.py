"""A bug inside the plugin must not crash mypy: it becomes one neural-internal error
at the place being checked, and mypy goes on with everything else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mypy import api
from mypy.version import __version__ as mypy_version

import neuraltypes_mypy._calls as calls
from neuraltypes_mypy import PLUGIN_VERSION

from .mypy_runner import PLUGIN_INI

SOURCE = """\
from typing import Annotated
from torch import Tensor
from neuraltypes.elements import LengthsType, SpectrogramType


def takes_spec(x: Annotated[Tensor, "B D T", SpectrogramType]) -> None: ...


def wire(lens: Annotated[Tensor, "B", LengthsType]) -> None:
    takes_spec(lens)
    n: int = "not an int"
"""


def _call_line() -> int:
    """Where function_call_check calls check_arguments: the plugin line the report names."""
    lines = Path(calls.__file__).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def function_call_check"))
    return next(
        i + 1 for i in range(start, len(lines)) if "check_arguments(ctx, ports, state)" in lines[i]
    )


CALL_LINE = _call_line()


def test_a_failing_hook_is_reported_and_mypy_goes_on(
    tmp_path: Path, mypy_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated plugin bug")

    monkeypatch.setattr(calls, "check_arguments", broken)
    (tmp_path / "internal.py").write_text(SOURCE)
    cache = tmp_path / "cache"
    shutil.copytree(mypy_cache, cache)
    stdout, stderr, status = api.run(
        [
            "--config-file", str(PLUGIN_INI), "--cache-dir", str(cache), "--no-error-summary",
            "--hide-error-context", "--no-pretty", str(tmp_path / "internal.py"),
        ]
    )  # fmt: skip
    lines = [line.split(": ", 1)[1] for line in stdout.splitlines()]
    assert lines == [
        "error: neuraltypes plugin internal error in function_call_check: RuntimeError: "
        f"simulated plugin bug at _calls.py:{CALL_LINE} ({PLUGIN_VERSION}, mypy {mypy_version}; "
        "please report this; checking goes on without neural types here)  [neural-internal]",
        'error: Incompatible types in assignment (expression has type "str", variable has '
        'type "int")  [assignment]',
    ]
    assert status == 1
    assert "Traceback" not in stderr
