"""Aliases shared by the data files (imported across modules)."""

from typing import Annotated

from torch import Tensor

from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    ChannelType,
    LengthsType,
    LogitsType,
    LogprobsType,
    MelSpectrogramType,
    SpectrogramType,
)

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Mel = Annotated[Tensor, "B D T", MelSpectrogramType]
Channels = Annotated[Tensor, "B D T", ChannelType]
Lens = Annotated[Tensor, "B", LengthsType]
Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
Logits = Annotated[Tensor, "B T C", LogitsType]
LogProbs = Annotated[Tensor, "B T C", LogprobsType]
