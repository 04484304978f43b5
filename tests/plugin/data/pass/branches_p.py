"""A variable assigned in a branch is one of several values after the branching
statement; mypy shows one of them: the plugin checks none (no false positive)."""

from typing import Annotated

from torch import Tensor

from neuraltypes.elements import SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Frames = Annotated[Tensor, "B T D", SpectrogramType]


def use(x: Spec) -> None: ...


def use_frames(x: Frames) -> None: ...


def maybe_transposed(x: Spec, channels_last: bool) -> None:
    if channels_last:
        x = x.transpose(1, 2)
    use(x)
    use_frames(x)


def either(x: Spec, c: bool) -> None:
    if c:
        y = x.transpose(1, 2)
    else:
        y = x
    use(y)
    use_frames(y)


def after_a_loop(x: Spec, n: int) -> None:
    for _ in range(n):
        x = x.transpose(1, 2)
    use(x)
    use_frames(x)


def after_try(x: Spec) -> None:
    try:
        x = x.transpose(1, 2)
    except RuntimeError:
        pass
    use_frames(x)
    use(x)


def nested(x: Spec, c: bool, d: bool) -> None:
    if c:
        if d:
            x = x.transpose(1, 2)
        use_frames(x)
    use(x)


def recomputed_from_an_uncertain_value(x: Spec, c: bool) -> None:
    if c:
        x = x.transpose(1, 2)
    x = x.transpose(1, 2).transpose(1, 2)
    use_frames(x)
