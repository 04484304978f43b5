"""A jaxtyping annotation that extends another is read as jaxtyping reads it
(outer axes first, the dtypes both accept): the wrong wires after it are caught."""

from jaxtyping import Float, Float32, Int
from torch import Tensor

TimeSeries1d = Float32[Tensor, "time"]
TimeSeries2d = Float[TimeSeries1d, "channel"]


def one_channel(x: Float[Tensor, "time"]) -> None: ...


def tokens(x: Int[Tensor, "channel time"]) -> None: ...


def forward(x: TimeSeries2d, y: Float[TimeSeries1d, "batch channel"]) -> None:
    one_channel(x)  # E: one_channel port "x": 2 axes where 1 are expected (expected "time", found "channel time")  [neural-axes]
    tokens(x)  # E: tokens port "x": dtype Float32 is not Int (expected "channel time", found "channel time", dtype Float32)  [neural-element]
    one_channel(y)  # E: one_channel port "x": 3 axes where 1 are expected (expected "time", found "batch channel time")  [neural-axes]
