"""Sizes the annotations alone decide within one call: a name two arguments' types
fix to different sizes, and a size expression naming an axis no earlier port binds
(the runtime's words for both)."""

from jaxtyping import Float
from torch import Tensor


def takes_two(x: Float[Tensor, "b d_model"], y: Float[Tensor, "b d_model"]) -> None: ...


def sizes(a: Float[Tensor, "b 64"], c: Float[Tensor, "b 32"], u: Float[Tensor, "b n"]) -> None:
    takes_two(a, c)  # E: takes_two port "y": dim 1 (d_model) has size 32, but the size of d_model is 64 in port "x" (expected "b d_model", found "b 32")  [neural-size]
    takes_two(a, a)
    takes_two(a, u)  # a size not fixed: the runtime's business


def unbound(x: Float[Tensor, "b n h*d"]) -> None: ...


def calls_unbound(v: Float[Tensor, "b n 8"], plain: Tensor) -> None:
    unbound(v)  # E: unbound port "x": size expression "h*d" uses d, h, which no earlier axis binds; name it in an earlier port  [neural-spec]
    unbound(plain)  # E: unbound port "x": size expression "h*d" uses d, h, which no earlier axis binds; name it in an earlier port  [neural-spec]
