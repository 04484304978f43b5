"""The neural types of the example, defined once and reused everywhere.

Each alias is a plain ``torch.Tensor`` to every tool; the metadata says which axes
it has and what its numbers mean, for the neuraltypes mypy plugin and runtime.
"""

from typing import Annotated

from torch import Tensor

from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    AudioSignal,
    LabelsType,
    LengthsType,
    LogitsType,
    LogprobsType,
    LossType,
    MelSpectrogramType,
)

Audio = Annotated[Tensor, "B T_audio", AudioSignal]
Lengths = Annotated[Tensor, "B", LengthsType]
MelSpec = Annotated[Tensor, "B D T", MelSpectrogramType]
Encoded = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
EncodedFrames = Annotated[Tensor, "B T D", AcousticEncodedRepresentation]  # time first
Logits = Annotated[Tensor, "B T C", LogitsType]
LogProbs = Annotated[Tensor, "B T C", LogprobsType]
Labels = Annotated[Tensor, "B T_label", LabelsType]
LossValue = Annotated[Tensor, "", LossType]
