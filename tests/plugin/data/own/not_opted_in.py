"""Modules that did not opt in to neuraltypes (plain ``nn.Module``s, jaxtyping
annotations at most): mypy's own checks of their calls stay as they were, the
plugin adds only neural errors (there are none here)."""

from typing import Optional

from jaxtyping import Float
from torch import Tensor, nn


class Encoding(nn.Module):
    def forward(self, x: Float[Tensor, "b d"]) -> Float[Tensor, "b d"]:
        return x


class CovEncoding(Encoding):
    def forward(self, x: Float[Tensor, "b d"], covs: Optional[Tensor] = None) -> Tensor:  # type: ignore[override]
        return x


class Loss(nn.Module):
    def forward(self, pred: Float[Tensor, "b d"], target: Float[Tensor, "b d"]) -> Tensor:
        return (pred - target).sum()


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoding: Encoding = CovEncoding()
        self.loss = None
        self.real_loss = Loss()

    def forward(self, x: Float[Tensor, "b d"], maybe: Optional[Tensor]) -> Tensor:
        h = self.encoding(x, covs=x)  # a subclass's keyword: fine for mypy
        out = self.real_loss(None, maybe)  # mypy sees Module.__call__: anything goes
        self.real_loss(h)  # too few arguments: left to run time, as mypy does
        self.loss(h, x)  # "None" not callable: mypy's own error, with or without the plugin
        return out
