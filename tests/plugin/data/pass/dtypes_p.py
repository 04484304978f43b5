"""jaxtyping dtype categories that may fit, and values whose dtype the annotations
don't decide: no error."""

from typing import Annotated, Any

import torch
from jaxtyping import Bool, Float, Float32, Int, Int64, Integer, Num, Shaped
from torch import Tensor, nn

from neuraltypes import NeuralModule
from neuraltypes.elements import LabelsType


def takes_int(x: Int[Tensor, "b t"]) -> None: ...
def takes_float(x: Float[Tensor, "b t"]) -> None: ...
def takes_f32(x: Float32[Tensor, "b t"]) -> None: ...
def takes_num(x: Num[Tensor, "b t"]) -> None: ...
def untyped(x):  # type: ignore[no-untyped-def]
    return x


def overlapping(
    f: Float[Tensor, "b t"],
    f32: Float32[Tensor, "b t"],
    i: Int[Tensor, "b t"],
    i64: Int64[Tensor, "b t"],
    integer: Integer[Tensor, "b t"],
    shaped: Shaped[Tensor, "b t"],
) -> None:
    takes_int(i64)  # Int64 is an Int
    takes_f32(f)  # a Float may be a Float32
    takes_float(f32)
    takes_int(integer)  # an Integer may be an Int
    takes_num(i)
    takes_num(f)
    takes_int(shaped)  # any dtype
    takes_float(shaped)


def undecided(plain: Tensor, anything: Any, spec: Annotated[Tensor, "B T"], f: Float[Tensor, "b t"]) -> None:
    takes_int(plain)
    takes_int(anything)
    takes_int(untyped(f))
    takes_int(spec)  # neuraltypes' own syntax states no dtype
    takes_int(f.to(anything))  # a dtype that is not a literal
    takes_int(f.type_as(plain))


def casts(f: Float[Tensor, "b t"], i: Int[Tensor, "b t"], dtype: torch.dtype) -> None:
    takes_int(f.long())
    takes_int(f.int())
    takes_float(i.float())
    takes_float(i.to(torch.float32))
    takes_float(i.to(dtype=torch.float64))
    takes_float(i.double())
    takes_int(f.to(dtype))
    takes_float(i / 2)  # true division: the dtype is not kept
    takes_float(i * 0.5)
    takes_int(i + 1)
    takes_float(f.type_as(f))
    takes_float(torch.sigmoid(i))  # a float tensor: the rules forget the dtype
    takes_float(torch.tanh(f))


def masks(mask: Bool[Tensor, "b t"]) -> None:
    takes_int(mask * 2)  # an integer tensor
    takes_int(mask + 1)


def reassigned(f: Float[Tensor, "b t"]) -> None:
    f = f.long()
    takes_int(f)
    g: Float[Tensor, "b t"] = f.float()
    g = untyped(g)
    takes_int(g)  # assigned from an unknown value


class Labels(NeuralModule):
    """neuraltypes' own syntax: no dtype, so none is checked."""

    def forward(self, labels: Annotated[Tensor, "B", LabelsType]) -> Annotated[Tensor, "B", LabelsType]:
        return labels


class Embed(nn.Module):
    def forward(self, tokens: Int[Tensor, "b t"]) -> Float[Tensor, "b t d"]:
        raise NotImplementedError


def modules(labels: Labels, embed: Embed, f: Float[Tensor, "b"], i: Int64[Tensor, "b t"]) -> None:
    labels(f)
    labels(f.long())
    embed(i)
    embed(i.long())


def dtype_tested(image: Float[Tensor, "b t"], mask: Int[Tensor, "b t"]) -> None:
    """Inside an if that tests a variable's dtype (nerfstudio's colormaps), the code
    says the declared dtype may not hold: that variable's dtype is not checked."""
    if image.dtype == torch.int64:
        takes_int(image)
    elif not image.is_floating_point():
        takes_int(image)
    else:
        takes_int(image)
    if mask.dtype in (torch.float32, torch.float64) and mask.numel() > 0:
        takes_float(mask)
