"""Same errors cold, warm, after an edit in another module, in any file order, and
under the mypy daemon."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .mypy_runner import PLUGIN_INI, Report, run_mypy

TYPES = """\
from typing import Annotated
from torch import Tensor
from neuraltypes.elements import AcousticEncodedRepresentation, SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
"""

MODEL = """\
from neuraltypes import NeuralModule, typecheck
from inc_types import Enc, Spec


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, x: Spec) -> Enc:
        return x
"""

USE = """\
from inc_model import Encoder
from inc_types import Enc, Spec


def wire(enc: Encoder, spec: Spec) -> Enc:
    encoded = enc(spec)
    return enc(encoded)


def through_an_op(enc: Encoder, encoded: Enc) -> None:
    enc(encoded.transpose(1, 2))
"""

ENC_INTO_SPEC = Report(
    "inc_use.py",
    7,
    "error",
    'Encoder.forward port "x": AcousticEncodedRepresentation is not SpectrogramType '
    '(expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  '
    "[neural-element]",
)
#: line 11: the value reaches the port through a torch op (the rules follow it)
THROUGH_OP = [
    Report(
        "inc_use.py",
        11,
        "error",
        'Encoder.forward port "x": AcousticEncodedRepresentation is not SpectrogramType '
        '(expected "B D T" SpectrogramType, found "B T D" AcousticEncodedRepresentation); '
        "also axes are transposed  [neural-element]",
    ),
]
TRANSPOSED = Report(
    "inc_use.py",
    7,
    "error",
    'Encoder.forward port "x": axes are transposed (expected "B D T" SpectrogramType, found '
    '"B T D" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]',
)


def write(path: Path, text: str) -> None:
    old = path.stat().st_mtime if path.exists() else time.time()
    path.write_text(text)
    os.utime(path, (old + 2, old + 2))  # a visible change even within one clock tick


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "inc_types.py", TYPES)
    write(tmp_path / "inc_model.py", MODEL)
    write(tmp_path / "inc_use.py", USE)
    return tmp_path


def test_cold_warm_edit_and_order(project: Path, mypy_cache: Path) -> None:
    cache = project / "cache"
    shutil.copytree(mypy_cache, cache, dirs_exist_ok=True)  # torch already analysed
    files = ["inc_types.py", "inc_model.py", "inc_use.py"]
    cold = run_mypy(project, cache, files=files)
    assert cold.reports == [ENC_INTO_SPEC, *THROUGH_OP]
    warm = run_mypy(project, cache, files=files)
    assert warm.stdout == cold.stdout
    reordered = run_mypy(project, project / "cache2", files=files[::-1])
    assert reordered.reports == [ENC_INTO_SPEC, *THROUGH_OP]

    # edit the alias in another module: Enc is now a transposed spectrogram
    write(project / "inc_types.py", TYPES.replace(
        'Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]',
        'Enc = Annotated[Tensor, "B T D", SpectrogramType]',
    ))  # fmt: skip
    # (and the transposed value through the op is now a "B D T" spectrogram: it fits)
    assert run_mypy(project, cache, files=files).reports == [TRANSPOSED]

    # edit forward's signature: it now takes the transposed type, so the first call is wrong
    write(
        project / "inc_model.py",
        MODEL.replace("def forward(self, x: Spec)", "def forward(self, x: Enc)"),
    )
    assert run_mypy(project, cache, files=files).reports == [
        Report(
            "inc_use.py",
            6,
            "error",
            'Encoder.forward port "x": axes are transposed (expected "B T D" SpectrogramType, '
            'found "B D T" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]',
        ),
        Report(  # the transposed "B T D" value is "B D T" now: one transpose too many
            "inc_use.py",
            11,
            "error",
            'Encoder.forward port "x": axes are transposed (expected "B T D" SpectrogramType, '
            'found "B D T" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]',
        ),
    ]

    # and back: the first errors return, same as cold
    write(project / "inc_types.py", TYPES)
    write(project / "inc_model.py", MODEL)
    back = [ENC_INTO_SPEC, *THROUGH_OP]
    assert run_mypy(project, cache, files=files).reports == back
    assert run_mypy(project, project / "cold-again", files=files).reports == back


def dmypy(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "mypy.dmypy", "--status-file", str(project / "dmypy.json"), *args]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=300)


def daemon_reports(out: str) -> list[str]:
    return sorted(line for line in out.splitlines() if ": error: " in line)


def test_daemon_gives_the_same_errors(project: Path, mypy_cache: Path) -> None:
    """The daemon reports what mypy reports, and follows edits in another module
    (an alias used by forward, forward's signature) as well as in the caller."""
    cache = project / "cache"
    shutil.copytree(mypy_cache, cache, dirs_exist_ok=True)
    options = ["--config-file", str(PLUGIN_INI), "--cache-dir", str(cache), "--hide-error-context",
               "--no-error-summary", "--no-pretty"]  # fmt: skip
    files = ["inc_types.py", "inc_model.py", "inc_use.py"]
    through_op = [f"inc_use.py:11: error: {r.message}" for r in THROUGH_OP]
    expected = sorted([f"inc_use.py:7: error: {ENC_INTO_SPEC.message}", *through_op])

    def check() -> list[str]:
        return daemon_reports(dmypy(project, "run", "--", *options, *files).stdout)

    try:
        first = dmypy(project, "run", "--", *options, *files)
        assert daemon_reports(first.stdout) == expected, first.stdout + first.stderr
        write(project / "inc_types.py", TYPES.replace(
            'Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]',
            'Enc = Annotated[Tensor, "B T D", SpectrogramType]',
        ))  # fmt: skip
        assert check() == [f"inc_use.py:7: error: {TRANSPOSED.message}"]
        write(project / "inc_types.py", TYPES)
        assert check() == expected
        write(project / "inc_model.py", MODEL.replace("-> Enc:", "-> Spec:"))
        assert check() == through_op
        write(project / "inc_model.py", MODEL)
        assert check() == expected
        write(project / "inc_use.py", USE.replace("return enc(encoded)", "return enc(spec)"))
        assert check() == through_op
        write(project / "inc_use.py", USE)
        assert check() == expected
    finally:
        dmypy(project, "stop")


ELEMENT_TYPES = """\
from neuraltypes.elements import SpectrogramType

class MySpec(SpectrogramType):
    pass
"""

ELEMENT_MODEL = """\
from typing import Annotated
from torch import Tensor
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, x: Annotated[Tensor, "B D T", SpectrogramType]) -> None:
        return None
"""

ELEMENT_USE = """\
from typing import Annotated
from torch import Tensor
from elem_model import Encoder
from elem_types import MySpec


def wire(enc: Encoder, spec: Annotated[Tensor, "B D T", MySpec]) -> None:
    enc(spec)
"""


def test_daemon_follows_an_element_class_edit(tmp_path: Path, mypy_cache: Path) -> None:
    """An element class's bases are read when a connection is checked: under the
    daemon, changing ``class MySpec(SpectrogramType)`` to ``class MySpec(LogitsType)``
    in another module makes its values unfit for a SpectrogramType port, and back."""
    write(tmp_path / "elem_types.py", ELEMENT_TYPES)
    write(tmp_path / "elem_model.py", ELEMENT_MODEL)
    write(tmp_path / "elem_use.py", ELEMENT_USE)
    cache = tmp_path / "cache"
    shutil.copytree(mypy_cache, cache, dirs_exist_ok=True)
    options = ["--config-file", str(PLUGIN_INI), "--cache-dir", str(cache), "--hide-error-context",
               "--no-error-summary", "--no-pretty"]  # fmt: skip
    files = ["elem_types.py", "elem_model.py", "elem_use.py"]
    logits = (
        'elem_use.py:8: error: Encoder.forward port "x": MySpec is not SpectrogramType '
        '(expected "B D T" SpectrogramType, found "B D T" MySpec)  [neural-element]'
    )

    def check() -> list[str]:
        run = dmypy(tmp_path, "run", "--", *options, *files)
        assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
        return daemon_reports(run.stdout)

    try:
        assert check() == []
        write(tmp_path / "elem_types.py", ELEMENT_TYPES.replace(
            "import SpectrogramType", "import LogitsType, SpectrogramType",
        ).replace("class MySpec(SpectrogramType)", "class MySpec(LogitsType)"))  # fmt: skip
        assert check() == [logits]
        write(tmp_path / "elem_types.py", ELEMENT_TYPES)
        assert check() == []
    finally:
        dmypy(tmp_path, "stop")
