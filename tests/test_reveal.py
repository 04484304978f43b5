"""reveal_neural_type at run time: the tag a tensor carries, in the words mypy's
note uses (tests/plugin/data/fail/reveal_f.py), and the value back unchanged."""

from __future__ import annotations

from typing import Annotated

import pytest
import torch
from torch import Tensor

from neuraltypes import NeuralModule, reveal_neural_type, typecheck
from neuraltypes.elements import LogitsType, SpectrogramType


class Encoder(NeuralModule):
    @typecheck()
    def forward(
        self, x: Annotated[Tensor, "B D T", SpectrogramType]
    ) -> Annotated[Tensor, "B T C", LogitsType]:
        return x.transpose(1, 2)


def test_shows_the_tag_of_a_checked_output(capsys: pytest.CaptureFixture[str]) -> None:
    out = Encoder()(torch.zeros(2, 3, 4))
    assert reveal_neural_type(out) is out
    assert capsys.readouterr().err == 'Neural type is Tensor["B T C" LogitsType]\n'


def test_a_value_without_a_tag(capsys: pytest.CaptureFixture[str]) -> None:
    plain = torch.zeros(2)
    assert reveal_neural_type(plain) is plain
    assert reveal_neural_type(3) == 3
    assert capsys.readouterr().err == (
        "Neural type is none (the value carries no neural type)\n" * 2
    )
