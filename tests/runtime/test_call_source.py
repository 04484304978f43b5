"""The generated wrapper, as a reviewer reads it: its source for a few signatures is
compared with golden files (tests/runtime/golden/), and the example in
:mod:`neuraltypes._runtime.fastpath`'s docstring is the first of them.

After an intended change to the generated code, rewrite the golden files with
``NEURALTYPES_WRITE_GOLDEN=1 python -m pytest tests/runtime/test_call_source.py``
and review their diff."""

import inspect
import linecache
import os
import textwrap
from pathlib import Path
from typing import Annotated, Any, Optional

import pytest
import torch
from torch import Tensor

from neuraltypes import NeuralModule, typecheck
from neuraltypes._runtime import fastpath
from neuraltypes.elements import LengthsType, SpectrogramType

GOLDEN = Path(__file__).parent / "golden"

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]


class Example(NeuralModule):
    """The docstring's example: one input, one output, a size bound across both."""

    @typecheck()
    def forward(self, x: Spec) -> Lens:
        return x[:, 0, 0]


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, audio: Spec, length: Lens) -> tuple[Spec, Lens]:
        return audio * 1, length * 1


class Masked(NeuralModule):
    """An Optional port: no guards, the Python tests only."""

    @typecheck()
    def forward(
        self, x: Annotated[Tensor, "B D=80 T"], mask: Optional[Lens] = None
    ) -> Annotated[Tensor, "B T"]:
        return x[:, 0]


@typecheck()
def pad(x: Annotated[Tensor, "B ... T"], *, value: float = 0.0) -> Annotated[Tensor, "B ... T"]:
    """A variadic axis: no fast path, the reference checker only."""
    return x


CASES: dict[str, tuple[Any, tuple[Any, ...]]] = {
    "example_forward": (Example, (torch.zeros(2, 3, 4),)),
    "encoder_forward": (Encoder, (torch.zeros(2, 3, 4), torch.tensor([4, 3]))),
    "masked_forward": (Masked, (torch.zeros(2, 80, 4),)),
    "pad": (None, (torch.zeros(2, 3, 4),)),
}


def rendered(name: str) -> str:
    """The source of the wrapper of ``name``'s case, after its first call (which
    gives a method its fast path)."""
    cls, args = CASES[name]
    fn = pad if cls is None else cls.forward
    (fn if cls is None else cls())(*args)
    return "".join(linecache.getlines(fn.__code__.co_filename))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_generated_source_is_the_golden_one(name: str) -> None:
    path = GOLDEN / f"{name}.txt"
    source = rendered(name)
    if os.environ.get("NEURALTYPES_WRITE_GOLDEN"):
        path.write_text(source)
    assert source == path.read_text(), f"the generated source of {name} changed"


def test_the_docstring_shows_the_golden_example() -> None:
    doc = inspect.getdoc(fastpath) or ""
    example = (GOLDEN / "example_forward.txt").read_text()
    assert textwrap.indent(example, "    ").rstrip() in doc
