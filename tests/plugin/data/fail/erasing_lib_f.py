"""Bodies that flow their parameters through unions (mypy may then drop the neural
type from the shared declaration in place): callers must still see the ports."""

from typing import Annotated, Optional

import torch
from torch import Tensor

from neural_aliases_f import Enc, Lens, Spec
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType


def ternary(x: Spec, flag: bool = True) -> Spec:
    y = x if flag else torch.zeros(1)
    return y


def default_filled(x: Spec, mask: Optional[Lens] = None) -> Enc:
    if mask is None:
        mask = torch.ones(1)
    z = x or mask
    return x


def inline(x: Annotated[Tensor, "B T", SpectrogramType], flag: bool = True) -> Annotated[Tensor, "B T", SpectrogramType]:
    pair = (x, torch.zeros(1))[int(flag)]
    return x


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, audio: Spec, length: Optional[Lens] = None) -> tuple[Enc, Lens]:
        if length is None:
            length = torch.ones(1)
        out = audio if length is not None else audio.transpose(1, 2)
        return out, length

    def describe(self, audio: Spec, flag: bool = False) -> Spec:
        return audio if flag else torch.zeros(1)
