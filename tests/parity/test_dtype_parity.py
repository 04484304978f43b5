"""jaxtyping's dtype category through the plugin and the runtime: the same code, the
same port, the same declared category and expected type, one wording
(:func:`neuraltypes._core.dtypes.dtype_problem`).

Not rows of the connection table (:mod:`.cases`), because the two faces know
different things about the value by design: the plugin knows the category its
annotation names (``Float32``), the runtime the tensor's dtype (``float32``) and
shape. So the plugin says ``dtype Float32 is not Int (expected "b t", found "b t",
dtype Float32)`` where the runtime says ``dtype float32 is not Int (expected "b t",
found a tensor of shape (2, 3), dtype float32)``: the runtime's dtype is always one
of the plugin's category. Pairs whose categories may share a dtype are silent
statically and decided by the tensor at run time.
"""

from __future__ import annotations

from pathlib import Path

import jaxtyping
import pytest
import torch
from torch import Tensor

from neuraltypes import NeuralTypeError, typecheck
from neuraltypes._core.dtypes import category_dtypes

from ..plugin.mypy_runner import run_mypy

#: (the value's category, the tensor given at run time, the port's category)
CONFLICTS = [
    ("Float32", torch.float32, "Int"),
    ("Float", torch.float16, "Int64"),
    ("Int64", torch.int64, "Float"),
    ("Bool", torch.bool, "Int"),
    ("Int", torch.int32, "Bool"),
    ("Float32", torch.float32, "Float64"),
]


def _source() -> str:
    names = sorted({n for found, _, expected in CONFLICTS for n in (found, expected)})
    lines = ["from torch import Tensor", f"from jaxtyping import {', '.join(names)}"]
    for i, (found, _, expected) in enumerate(CONFLICTS):
        lines += [
            f'def produce{i}() -> {found}[Tensor, "b t"]: raise NotImplementedError',
            f'def consume{i}(x: {expected}[Tensor, "b t"]) -> None: ...',
            f"consume{i}(produce{i}())",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def static(tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path) -> list[list[str]]:
    """Each pair's plugin errors, from one mypy run."""
    folder = tmp_path_factory.mktemp("dtype-parity")
    (folder / "dtype_cases.py").write_text(_source())
    run = run_mypy(folder, mypy_cache)
    assert "Traceback" not in run.stdout + run.stderr
    found: list[list[str]] = [[] for _ in CONFLICTS]
    for report in run.reports:
        assert report.kind == "error" and report.line % 3 == 2, report
        found[report.line // 3 - 1].append(report.message)
    return found


def _runtime(expected: str, dtype: torch.dtype) -> NeuralTypeError:
    def consume(x: Tensor) -> None:
        pass

    consume.__qualname__ = "consume"
    # an annotation object, not source text (this module's annotations are strings)
    consume.__annotations__ = {"x": getattr(jaxtyping, expected)[Tensor, "b t"], "return": None}
    checked = typecheck()(consume)
    with pytest.raises(NeuralTypeError) as info:
        checked(torch.zeros(2, 3, dtype=dtype))
    return info.value


@pytest.mark.parametrize(("i", "pair"), list(enumerate(CONFLICTS)), ids=str)
def test_both_faces_word_a_dtype_conflict_alike(
    i: int, pair: tuple[str, torch.dtype, str], static: list[list[str]]
) -> None:
    found, dtype, expected = pair
    name = str(dtype).removeprefix("torch.")
    assert name in (category_dtypes(found) or ())  # the tensor is one of the category
    assert static[i] == [
        f'consume{i} port "x": dtype {found} is not {expected} '
        f'(expected "b t", found "b t", dtype {found})  [neural-element]'
    ]
    err = _runtime(expected, dtype)
    assert (err.code, str(err)) == (
        "neural-element",
        f'consume port "x": dtype {name} is not {expected} '
        f'(expected "b t", found a tensor of shape (2, 3), dtype {name})',
    )
