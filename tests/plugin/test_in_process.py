"""Several mypy builds in one process (``mypy.api.run`` from a tool or an editor):
each build gets the plugin's full answers, none of an earlier build's state."""

from __future__ import annotations

from pathlib import Path

from .mypy_runner import run_script

FIRST = """\
from typing import Annotated
from torch import Tensor
from neuraltypes.elements import LengthsType, SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]


def use(x: Spec) -> None: ...


def wire(n: Lens) -> None:
    use(n)
"""

SECOND = """\
from typing import Annotated
from torch import Tensor
from neuraltypes.elements import LengthsType, SpectrogramType


def use(x: Annotated[Tensor, "B D T", SpectrogramType]) -> None: ...


def wire(n: Annotated[Tensor, "B", LengthsType], x: Annotated[Tensor, "B T", SpectrogramType]) -> None:
    use(x)
"""

SCRIPT = """\
import sys
from mypy import api

for name in sys.argv[2:]:
    out, err, status = api.run(["--config-file", sys.argv[1], "--no-error-summary",
                                "--hide-error-context", "--no-pretty", name])
    print(f"{name} {status}")
    print(out, end="")
"""


def test_two_builds_in_one_process(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "first.py").write_text(FIRST)
    (tmp_path / "second.py").write_text(SECOND)
    done = run_script(tmp_path, mypy_cache, SCRIPT, "first.py", "second.py", "first.py")
    first = (
        'first.py:13: error: use port "x": LengthsType is not SpectrogramType '
        '(expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 '
        "are expected  [neural-element]\n"
    )
    second = (
        'second.py:10: error: use port "x": 2 axes where 3 are expected '
        '(expected "B D T" SpectrogramType, found "B T" SpectrogramType)  [neural-axes]\n'
    )
    assert done.stderr == ""
    assert done.stdout == f"first.py 1\n{first}second.py 1\n{second}first.py 1\n{first}"
