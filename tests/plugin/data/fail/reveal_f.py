"""reveal_neural_type(x): a note with the neural type the plugin follows for x
(mypy's reveal_type shows a plain Tensor), in the runtime's words (issue 25)."""

from typing import Annotated

from jaxtyping import Float
from torch import Tensor, nn

from neuraltypes import NeuralModule, reveal_neural_type
from neuraltypes.elements import LogitsType, SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Logits = Annotated[Tensor, "B T C", LogitsType]


class Encoder(NeuralModule):
    def forward(self, x: Spec) -> Logits:
        raise NotImplementedError


class Plain(nn.Module):
    def forward(self, x: Float[Tensor, "b t"]) -> Float[Tensor, "b t d"]:
        raise NotImplementedError


def untyped(x):  # type: ignore[no-untyped-def]
    return x


def show(enc: Encoder, plain: Plain, x: Spec, t: Tensor, f: Float[Tensor, "b t"]) -> None:
    reveal_type(x)  # N: Revealed type is "torch._tensor.Tensor"
    reveal_neural_type(x)  # N: Neural type is Tensor["B D T" SpectrogramType]
    reveal_neural_type(enc(x))  # N: Neural type is Tensor["B T C" LogitsType]
    reveal_neural_type(enc(x).transpose(1, 2))  # N: Neural type is Tensor["B C T" LogitsType]
    reveal_neural_type(f)  # N: Neural type is Tensor["b t"]
    y = reveal_neural_type(plain(f))  # N: Neural type is Tensor["b t d"]
    reveal_neural_type(y)  # N: Neural type is Tensor["b t d"]
    reveal_neural_type(t)  # N: Neural type is none (the value carries no neural type)
    x = untyped(x)
    reveal_neural_type(x)  # N: Neural type is none (the value carries no neural type)
    reveal_neural_type(3)  # N: Neural type is none (the value carries no neural type)
