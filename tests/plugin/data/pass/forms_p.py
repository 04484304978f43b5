"""Things that must stay silent (or keep mypy's own meaning) with the plugin."""

from typing import Annotated, Optional, TypedDict, Union

import torch
from jaxtyping import Float
from torch import Tensor, nn
from typing_extensions import NotRequired

from neural_aliases_p import Enc, Lens, Spec
from neuraltypes.elements import SpectrogramType


class OwnCall(nn.Module):
    """Defines __call__ itself: calls go there, not to forward."""

    def __call__(self, steps: int) -> int:
        return steps

    def forward(self, x: Spec) -> Spec:
        return x


class JaxOnly(nn.Module):
    """jaxtyping annotations only: calls are checked, their type stays mypy's (Any)."""

    def forward(self, x: Float[Tensor, "batch d"]) -> Float[Tensor, "batch d"]:
        return x


class Fields(TypedDict):
    audio: Annotated[NotRequired[Tensor], "B T"]
    rate: NotRequired[int]


def either(x: Union[Spec, Lens]) -> None: ...
def maybe(x: Optional[Spec] = None) -> Optional[Spec]:
    if x is None:
        x = torch.zeros(1)
    return x if x is not None else None


def silent(own: OwnCall, jax: JaxOnly, enc: Enc, lens: Lens, spec: Spec) -> None:
    reveal_type(own(3))  # N: Revealed type is "int"
    reveal_type(jax(torch.zeros(2, 3)))  # N: Revealed type is "Any"
    reveal_type(nn.Linear(3, 4)(spec))  # N: Revealed type is "torch._tensor.Tensor"
    reveal_type(nn.Linear(3, 4)(torch.zeros(2)))  # N: Revealed type is "Any"
    either(enc)  # a union of neural types: unchecked
    either(lens)
    maybe()
    maybe(spec)
    maybe(maybe(spec))
    fields: Fields = {"rate": 16000}
    n = spec if spec.dim() == 3 else enc  # a join: unknown afterwards
    maybe(n)
    for item in [enc, spec]:
        maybe(item)  # lost through a list: unchecked, never an error
    shaped: Annotated[Tensor, "B D T", SpectrogramType] = torch.randn(2, 80, 10)
    maybe(shaped)
