"""What the propagation rules decide is remembered for a build by the call's
arguments (real code asks the same question at every block of a model), and every
call site still gets its own errors and its own result."""

from __future__ import annotations

from pathlib import Path

from .mypy_runner import run_script

CODE = """\
from typing import Annotated
from torch import Tensor, nn
from neuraltypes.elements import LogitsType

Logits = Annotated[Tensor, "B T C", LogitsType]
Flipped = Annotated[Tensor, "B C T", LogitsType]


def use(x: Flipped) -> None: ...


def wire(a: Logits, b: Logits, proj: nn.Linear) -> None:
    use(a.transpose(1, 2))
    use(b.transpose(1, 2))
    use(a.transpose(1, 2) + b)
    use(b.transpose(1, 2) + a)
    use(a.transpose(2, 1))
"""

SCRIPT = """\
import sys
from mypy import api
import neuraltypes._core.ops as ops

asked = []
for name in ("propagate", "propagate_module"):
    def counted(*args, _rule=getattr(ops, name), **kwargs):
        asked.append(args[0])
        return _rule(*args, **kwargs)
    setattr(ops, name, counted)
out, err, status = api.run(["--config-file", sys.argv[1], "--no-error-summary",
                            "--hide-error-context", "--no-pretty", "wire.py"])
print(out, end="")
print(sorted(asked))
"""


def test_equal_questions_are_decided_once(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "wire.py").write_text(CODE)
    done = run_script(tmp_path, mypy_cache, SCRIPT)
    broadcast = (
        'error: operator "+": axes do not broadcast: dim -1 is C where T is expected '
        '(expected "B C T" LogitsType, found "B T C" LogitsType)  [neural-axes]'
    )
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    errors = [line for line in lines[:-1] if "error:" in line]
    # each site reports its own error, though the question was decided once
    assert [e.split(": ", 1)[0] for e in errors] == ["wire.py:15", "wire.py:16"], done.stdout
    assert all(e.endswith(broadcast) for e in errors), done.stdout
    # transpose(1, 2) once (a and b have one type), (2, 1) once, the "+" once
    assert lines[-1] == str(["Tensor.__add__", "Tensor.transpose", "Tensor.transpose"]), (
        done.stdout
    )
