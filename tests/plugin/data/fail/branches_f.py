"""Branches: inside a branch, and after a top-level assignment that follows the
branching statement, a variable's neural type is certain and checked."""

from typing import Annotated

from torch import Tensor

from neuraltypes.elements import SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Frames = Annotated[Tensor, "B T D", SpectrogramType]


def use(x: Spec) -> None: ...


def use_frames(x: Frames) -> None: ...


def inside_the_branch(x: Spec, c: bool) -> None:
    if c:
        x = x.transpose(1, 2)
        use(x)  # E: use port "x": axes are transposed (expected "B D T" SpectrogramType, found "B T D" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]
    else:
        use_frames(x)  # E: use_frames port "x": axes are transposed (expected "B T D" SpectrogramType, found "B D T" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]


def reassigned_after(x: Spec, frames: Frames, c: bool) -> None:
    if c:
        x = x.transpose(1, 2)
    x = frames
    use(x)  # E: use port "x": axes are transposed (expected "B D T" SpectrogramType, found "B T D" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]


def assigned_before(x: Spec, c: bool) -> None:
    y = x.transpose(1, 2)
    if c:
        x = x.transpose(1, 2)
    use(y)  # E: use port "x": axes are transposed (expected "B D T" SpectrogramType, found "B T D" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]
