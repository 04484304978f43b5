"""jaxtyping's dtype categories, checked statically with the runtime's wording: a
value whose category shares no dtype with the port's (``Float`` where ``Int`` is
declared, ``Float32`` where ``Float64`` is) is an error, in any function or module
call, also after a cast the rules follow."""

from typing import Annotated

import jaxtyping as jt
import torch
from jaxtyping import Bool, Float, Float32, Float64, Int, Int64
from torch import Tensor, nn

from neuraltypes import NeuralModule
from neuraltypes.elements import LabelsType

Ids = Int64[Tensor, "b t"]


def takes_int(x: Int[Tensor, "b t"]) -> None: ...
def takes_float(x: Float[Tensor, "b t"]) -> None: ...
def takes_f64(x: Float64[Tensor, "b t"]) -> None: ...
def takes_bool(x: Bool[Tensor, "b t"]) -> None: ...


def categories(
    f: Float[Tensor, "b t"],
    i: Int[Tensor, "b t"],
    f32: jt.Float32[Tensor, "b t"],
    b: Bool[Tensor, "b t"],
    ids: Ids,
) -> None:
    takes_int(f)  # E: takes_int port "x": dtype Float is not Int (expected "b t", found "b t", dtype Float)  [neural-element]
    takes_float(i)  # E: takes_float port "x": dtype Int is not Float (expected "b t", found "b t", dtype Int)  [neural-element]
    takes_f64(f32)  # E: takes_f64 port "x": dtype Float32 is not Float64 (expected "b t", found "b t", dtype Float32)  [neural-element]
    takes_float(ids)  # E: takes_float port "x": dtype Int64 is not Float (expected "b t", found "b t", dtype Int64)  [neural-element]
    takes_int(b)  # E: takes_int port "x": dtype Bool is not Int (expected "b t", found "b t", dtype Bool)  [neural-element]
    takes_bool(i)  # E: takes_bool port "x": dtype Int is not Bool (expected "b t", found "b t", dtype Int)  [neural-element]
    takes_int(x=f)  # E: takes_int port "x": dtype Float is not Int (expected "b t", found "b t", dtype Float)  [neural-element]


def axes_and_dtype(f: Float[Tensor, "b t d"]) -> None:
    takes_int(f)  # E: takes_int port "x": 3 axes where 2 are expected (expected "b t", found "b t d"); also dtype Float is not Int  [neural-axes]


def casts(f: Float[Tensor, "b t"], i: Int[Tensor, "b t"], f64: Float64[Tensor, "b t"]) -> None:
    takes_int(i.float())  # E: takes_int port "x": dtype Float32 is not Int (expected "b t", found "b t", dtype Float32)  [neural-element]
    takes_float(f.long())  # E: takes_float port "x": dtype Int64 is not Float (expected "b t", found "b t", dtype Int64)  [neural-element]
    takes_float(f.to(torch.int64))  # E: takes_float port "x": dtype Int64 is not Float (expected "b t", found "b t", dtype Int64)  [neural-element]
    takes_f64(f64.float())  # E: takes_f64 port "x": dtype Float32 is not Float64 (expected "b t", found "b t", dtype Float32)  [neural-element]
    takes_float(f.argmax(-1, keepdim=True))  # E: takes_float port "x": dtype Int64 is not Float (expected "b t", found "b 1", dtype Int64)  [neural-element]
    g = f
    g = g.long()
    takes_float(g)  # E: takes_float port "x": dtype Int64 is not Float (expected "b t", found "b t", dtype Int64)  [neural-element]


class Embed(nn.Module):
    """jaxtyping only (not opted in): its calls are still checked."""

    def forward(self, tokens: Int[Tensor, "batch pos"]) -> Float[Tensor, "batch pos d_model"]:
        raise NotImplementedError


class Pool(nn.Module):
    def forward(self, x: Float[Tensor, "batch pos d_model"]) -> Float[Tensor, "batch pos"]:
        raise NotImplementedError


class Classify(NeuralModule):
    def forward(self, labels: Annotated[Int64[Tensor, "B"], LabelsType]) -> None: ...


def modules(embed: Embed, pool: Pool, classify: Classify, f: Float[Tensor, "b p"], lab: Float[Tensor, "b"]) -> None:
    embed(f)  # E: Embed.forward port "tokens": dtype Float is not Int (expected "batch pos", found "b p", dtype Float)  [neural-element]
    embed(pool(embed(f.long())))  # E: Embed.forward port "tokens": dtype Float is not Int (expected "batch pos", found "batch pos", dtype Float)  [neural-element]
    classify(lab)  # E: Classify.forward port "labels": dtype Float is not Int64 (expected "B" LabelsType, found "b", dtype Float)  [neural-element]


def dtype_tested(image: Float[Tensor, "b t"], other: Float[Tensor, "b t"]) -> None:
    if image.dtype == torch.int64:
        takes_int(other)  # E: takes_int port "x": dtype Float is not Int (expected "b t", found "b t", dtype Float)  [neural-element]
        takes_int(image[0])  # E: takes_int port "x": 1 axis where 2 are expected (expected "b t", found "t")  [neural-axes]
    takes_int(image)  # E: takes_int port "x": dtype Float is not Int (expected "b t", found "b t", dtype Float)  [neural-element]
