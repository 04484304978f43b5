"""Neural types, defined once: the axes of each tensor and what its numbers mean."""

from typing import Annotated

from torch import Tensor

from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    LengthsType,
    LogitsType,
    MelSpectrogramType,
)

MelSpec = Annotated[Tensor, "B D T", MelSpectrogramType]
Lengths = Annotated[Tensor, "B", LengthsType]
Encoded = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
Logits = Annotated[Tensor, "B T C", LogitsType]
