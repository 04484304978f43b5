"""jaxtyping annotations that extend another one, as ml4gw writes them: the outer
axes come first and the dtypes are those both accept (jaxtyping's own reading), so
these wires are right."""

from jaxtyping import Float, Float32, Shaped
from torch import Tensor

TimeSeries1d = Float[Tensor, "time"]
TimeSeries2d = Float[TimeSeries1d, "channel"]
TimeSeries3d = Float[TimeSeries2d, "batch"]
FrequencySeries1d = Float[Tensor, "frequency"]


def whiten(x: Float[Tensor, "batch num_ifos time"]) -> None: ...


def psd(x: Float[Tensor, "batch frequency"]) -> Float[FrequencySeries1d, " batch"]:
    return x


def spectrum(x: Float32[Tensor, "channel time"]) -> None: ...


def forward(x: TimeSeries3d, y: Shaped[Float32[Tensor, "time"], "channel"]) -> None:
    whiten(x)
    psd(psd(psd(x[0])))
    spectrum(y)
