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
        i + 1
        for i in range(start, len(lines))
        if "check_arguments(ctx, ports, owner, state)" in lines[i]
    )


CALL_LINE = _call_line()


def run_in_process(
    tmp_path: Path, mypy_cache: Path, name: str, source: str
) -> tuple[str, str, int]:
    """mypy with the plugin over one file, in this process (so that a monkeypatched
    plugin function is the one mypy calls): stdout, stderr, exit status."""
    (tmp_path / name).write_text(source)
    cache = tmp_path / "cache"
    shutil.copytree(mypy_cache, cache)
    return api.run(
        [
            "--config-file", str(PLUGIN_INI), "--cache-dir", str(cache), "--no-error-summary",
            "--hide-error-context", "--no-pretty", str(tmp_path / name),
        ]
    )  # fmt: skip


def test_a_failing_hook_is_reported_and_mypy_goes_on(
    tmp_path: Path, mypy_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated plugin bug")

    monkeypatch.setattr(calls, "check_arguments", broken)
    stdout, stderr, status = run_in_process(tmp_path, mypy_cache, "internal.py", SOURCE)
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


MODULE_SOURCE = """\
from typing import Annotated
from torch import Tensor
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, x: Annotated[Tensor, "B D T", SpectrogramType]) -> None: ...


def wire(enc: Encoder, x: Annotated[Tensor, "B D T", SpectrogramType]) -> None:
    enc(x)
"""


def test_a_hook_that_cannot_be_decided_is_reported(
    tmp_path: Path, mypy_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deciding the hooks of ``Encoder.__call__`` fails (a plugin bug): each kind of
    hook that could not be decided says so once, at the call, neither crashing mypy
    nor silently checking nothing (the signature hook used to swallow it)."""
    import neuraltypes_mypy._dispatch as dispatch

    original = dispatch._module_call

    def broken(state: object, fullname: str) -> object:
        if fullname.endswith(".Encoder.__call__"):
            raise RuntimeError("simulated dispatch bug")
        return original(state, fullname)  # type: ignore[arg-type]

    monkeypatch.setattr(dispatch, "_module_call", broken)
    stdout, stderr, status = run_in_process(tmp_path, mypy_cache, "undecided.py", MODULE_SOURCE)
    source = Path(dispatch.__file__).read_text().splitlines()
    signature_line, method_line = (
        i + 1 for i, line in enumerate(source) if "call = _module_call(state, fullname)" in line
    )
    assert [line.split(": ", 1)[1] for line in stdout.splitlines()] == [
        f"error: neuraltypes plugin internal error in get_{kind}_hook: RuntimeError: simulated "
        f"dispatch bug at _dispatch.py:{line} ({PLUGIN_VERSION}, mypy {mypy_version}; please "
        "report this; checking goes on without neural types here)  [neural-internal]"
        for kind, line in (("method_signature", signature_line), ("method", method_line))
    ]
    assert all(
        line.startswith(f"{tmp_path / 'undecided.py'}:13: ") for line in stdout.splitlines()
    )
    assert status == 1
    assert "Traceback" not in stderr


def test_a_missing_mypy_internal_is_said_once_at_load(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mypy internal the plugin reads is missing (renamed by a new mypy): one line
    when the plugin is loaded, and the plugin then hooks nothing (rather than
    quietly finding no neural type in every hook)."""
    from mypy.options import Options

    import neuraltypes_mypy as entry
    from neuraltypes_mypy import _internals

    monkeypatch.setattr(
        _internals, "REQUIRED", (*_internals.REQUIRED, ("mypy.checker", "TypeChecker", "gone"))
    )
    assert _internals.missing_internals() == ("TypeChecker.gone",)
    monkeypatch.setattr(entry, "_MISSING", _internals.missing_internals())
    plugin = entry.plugin(mypy_version)(Options())
    assert capsys.readouterr().err == (
        f"neuraltypes_mypy: mypy {mypy_version} lacks TypeChecker.gone, which the plugin "
        "reads; neural types are not checked (please report this)\n"
    )
    assert plugin.get_type_analyze_hook("typing.Annotated") is None
    assert plugin.get_function_hook("torch.nn.functional.relu") is None
