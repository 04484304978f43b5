"""mypy's own errors: the same with and without the plugin (the plugin replaces
mypy's analysis of Annotated, Tensor, Union, neural aliases and, under the daemon,
module classes: its own errors must survive)."""

from typing import Annotated, Optional, TypedDict, Union

from jaxtyping import Float
from torch import Tensor, nn
from typing_extensions import NotRequired

from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, x: Spec) -> Spec:
        return x


class Fields(TypedDict):
    a: Annotated[NotRequired[int], "doc"]
    b: Annotated[NotRequired[Tensor], "B"]


def bad_types(
    t: Tensor[int],
    a: Annotated[int],
    e: Encoder[int],
    u: Union[Float[Tensor, "a"], Float[Tensor, "b"]],
    o: Optional[Spec],
) -> None:
    x: int = u
    z: int = o
    Fields(a=1, b=u)
    Fields(c=1)


#: a union alias of neural tensors (ml4gw's BatchTimeSeriesTensor), written with |
Batch = Float[Tensor, "batch time"] | Float[Tensor, "batch channel time"]
SpecOrBatch = Spec | Batch


def union_alias_return(x: Tensor) -> Batch:
    return x, x


def union_alias_argument(x: SpecOrBatch) -> int:
    return x
