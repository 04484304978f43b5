"""Annotation forms: typing_extensions, Optional and union aliases, nested Annotated,
another name for Annotated, NeMo's short axis form, jaxtyping by module attribute."""

from typing import Annotated as A
from typing import Optional

import jaxtyping
import typing_extensions
from torch import Tensor

from neural_aliases_f import Enc, Spec
from neuraltypes.elements import AcousticEncodedRepresentation, LengthsType, SpectrogramType

TeSpec = typing_extensions.Annotated[Tensor, "B D T", SpectrogramType]
MaybeSpec = Optional[A[Tensor, "B D T", SpectrogramType]]
SpecOrNone = A[Tensor, "B D T", SpectrogramType] | None
Short = A[Tensor, "BT", LengthsType]


def takes_te(x: TeSpec) -> None: ...
def takes_maybe(x: MaybeSpec = None) -> None: ...
def takes_or_none(x: SpecOrNone = None) -> None: ...
def takes_bt(x: A[Tensor, "B T", LengthsType]) -> None: ...
def takes_tb(x: A[Tensor, "T B", LengthsType]) -> None: ...
def takes_jax(x: jaxtyping.Float[Tensor, "b t"]) -> None: ...


def forms(enc: Enc, short: Short, spec: Spec) -> None:
    takes_te(enc)  # E: takes_te port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    takes_maybe(enc)  # E: takes_maybe port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    takes_or_none(enc)  # E: takes_or_none port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    takes_bt(short)
    takes_tb(short)  # E: takes_tb port "x": axes are transposed (expected "T B" LengthsType, found "B T" LengthsType); did you mean .transpose(0, 1)?  [neural-axes]
    takes_jax(spec)  # E: takes_jax port "x": 3 axes where 2 are expected (expected "b t", found "B D T" SpectrogramType)  [neural-axes]


def malformed(
    a: A[Spec, "B T"],  # E: neural type annotation: two axis strings, "B D T" and "B T"  [neural-spec]
    b: A[int, SpectrogramType],  # E: neural type annotation: neural type metadata on int, not on a Tensor  [neural-spec]
    c: A[Tensor, SpectrogramType, AcousticEncodedRepresentation],  # E: neural type annotation: two element types, SpectrogramType and AcousticEncodedRepresentation  [neural-spec]
    d: A[Tensor, "B D T", LengthsType, "B"],  # E: neural type annotation: two axis strings, "B D T" and "B"  [neural-spec]
) -> None:
    takes_te(a)
    takes_te(c)
