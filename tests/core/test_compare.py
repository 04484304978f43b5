"""NeuralType.compare: NeMo's results on NeMo's inputs, with NeMo's bugs fixed."""

from __future__ import annotations

import pytest

from neuraltypes import AxisKind, AxisType, NeuralType, NeuralTypeComparisonResult
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    AudioSignal,
    ChannelType,
    ElementType,
    LengthsType,
    LogitsType,
    LogprobsType,
    MelSpectrogramType,
    SpectrogramType,
    VoidType,
)

R = NeuralTypeComparisonResult


def test_short_and_long_forms_are_the_same() -> None:
    short = NeuralType(("B", "D", "T"), SpectrogramType())
    long = NeuralType(
        (AxisType(AxisKind.Batch), AxisType(AxisKind.Dimension), AxisType(AxisKind.Time)),
        SpectrogramType(),
    )
    spaced = NeuralType("B D T", SpectrogramType)
    letters = NeuralType("BDT", SpectrogramType())
    for a in (short, long, spaced, letters):
        for b in (short, long, spaced, letters):
            assert a.compare(b) is R.SAME
            assert a == b
            assert hash(a) == hash(b)


def test_tuple_of_one_letter() -> None:
    assert NeuralType(tuple("B"), LengthsType()).axes == (AxisType(AxisKind.Batch),)


def test_element_class_or_instance() -> None:
    assert NeuralType("B", LengthsType) == NeuralType("B", LengthsType())
    assert NeuralType("B").elements_type == VoidType()


def test_subclass_is_greater_superclass_is_less() -> None:
    spec = NeuralType(("B", "D", "T"), SpectrogramType())
    mel = NeuralType(("B", "D", "T"), MelSpectrogramType())
    assert spec.compare(mel) is R.GREATER
    assert mel.compare(spec) is R.LESS
    assert spec.compare(mel).accepted
    assert not mel.compare(spec).accepted


def test_unrelated_elements_are_incompatible() -> None:
    logits = NeuralType(("B", "T", "C"), LogitsType())
    logprobs = NeuralType(("B", "T", "C"), LogprobsType())
    assert logits.compare(logprobs) is R.INCOMPATIBLE


def test_transpose_same() -> None:
    btd = NeuralType(("B", "T", "D"), SpectrogramType())
    bdt = NeuralType(("B", "D", "T"), SpectrogramType())
    assert btd.compare(bdt) is R.TRANSPOSE_SAME
    assert bdt.compare(btd) is R.TRANSPOSE_SAME


def test_transpose_with_other_element_is_incompatible() -> None:
    btd = NeuralType(("B", "T", "D"), SpectrogramType())
    bdt = NeuralType(("B", "D", "T"), MelSpectrogramType())
    assert btd.compare(bdt) is R.INCOMPATIBLE


def test_transpose_must_be_a_permutation() -> None:
    # NeMo compares the sets of kinds, so (B, D, D) vs (B, B, D) looked transposed.
    bdd = NeuralType(("B", "D", "D"), SpectrogramType())
    bbd = NeuralType(("B", "B", "D"), SpectrogramType())
    assert bdd.compare(bbd) is R.INCOMPATIBLE


def test_fixed_sizes_differ() -> None:
    d64 = NeuralType(("B", "T", AxisType(AxisKind.Dimension, 64)), SpectrogramType())
    d128 = NeuralType(("B", "T", AxisType(AxisKind.Dimension, 128)), SpectrogramType())
    assert d64.compare(d128) is R.DIM_INCOMPATIBLE
    assert NeuralType("B T D=64", SpectrogramType).compare(d64) is R.SAME


def test_declared_size_against_unknown_size() -> None:
    d64 = NeuralType("B T D=64")
    free = NeuralType("B T D")
    assert d64.compare(free) is R.DIM_INCOMPATIBLE  # NeMo's strict rule
    assert d64.compare_with(free, gradual=True) is R.SAME  # the connection rule
    assert free.compare(d64) is R.SAME


def test_transposed_with_sizes_differing() -> None:
    a = NeuralType("B T=10 D=64")
    b = NeuralType("B D=32 T=10")
    assert a.compare(b) is R.DIM_INCOMPATIBLE


def test_rank_differs() -> None:
    assert NeuralType("B T").compare(NeuralType("B T D")) is R.INCOMPATIBLE


def test_any_axis_on_the_declared_side() -> None:
    any_mid = NeuralType(("B", "any", "T"), SpectrogramType())
    bct = NeuralType(("B", "C", "T"), SpectrogramType())
    assert any_mid.compare(bct) is R.SAME
    assert bct.compare(any_mid) is R.INCOMPATIBLE


def test_any_matches_one_axis_only() -> None:
    # NeMo resets its "same" flag at every Any axis, so (T, Any) vs (B, D) was SAME.
    assert NeuralType(("T", "any")).compare(NeuralType(("B", "D"))) is R.INCOMPATIBLE
    assert NeuralType(("any", "T")).compare(NeuralType(("B", "D"))) is R.INCOMPATIBLE


def test_void_is_one_way() -> None:
    void = NeuralType(("B", "T", "C"), VoidType())
    spec = NeuralType(("B", "T", "C"), SpectrogramType())
    short = NeuralType(("B", "T"), SpectrogramType())
    assert void.compare(spec) is R.SAME
    assert spec.compare(void) is R.INCOMPATIBLE
    assert void.compare(short) is R.INCOMPATIBLE


def test_big_void() -> None:
    big = NeuralType()
    big_explicit = NeuralType(elements_type=VoidType())
    spec = NeuralType(("B", "T", "C"), SpectrogramType())
    optional = NeuralType(("B", "T"), SpectrogramType(), optional=True)
    for big_void in (big, big_explicit):
        assert big_void.compare(spec) is R.SAME
        assert big_void.compare(optional) is R.SAME
        assert spec.compare(big_void) is R.INCOMPATIBLE


def test_no_axes() -> None:
    loss = NeuralType(None, LogitsType())
    assert loss.compare(NeuralType(None, LogitsType())) is R.SAME
    assert loss.compare(NeuralType("B", LogitsType())) is R.INCOMPATIBLE
    assert NeuralType("B", LogitsType()).compare(loss) is R.INCOMPATIBLE


def test_audio_signal_parameters() -> None:
    a16 = NeuralType(("B", "T"), AudioSignal(16000))
    a44 = NeuralType(("B", "T"), AudioSignal(44100))
    anyrate = NeuralType(("B", "T"), AudioSignal())
    assert a16.compare(a44) is R.SAME_TYPE_INCOMPATIBLE_PARAMS
    assert a16.compare(NeuralType(("B", "T"), AudioSignal(16000))) is R.SAME
    assert anyrate.compare(a44) is R.SAME
    assert a44.compare(anyrate) is R.SAME


def test_fields_must_match() -> None:
    class BoundingBox(ElementType):
        def __init__(self, fields: tuple[str, ...]) -> None:
            self._fields = fields

        @property
        def fields(self) -> tuple[object, ...]:
            return self._fields

    xywh = NeuralType("B", BoundingBox(("x", "y", "w", "h")))
    xyxy = NeuralType("B", BoundingBox(("x1", "y1", "x2", "y2")))
    assert xywh.compare(xyxy) is R.INCOMPATIBLE
    assert xywh.compare(NeuralType("B", BoundingBox(("x", "y", "w", "h")))) is R.SAME


def test_list_axes() -> None:
    listed = NeuralType(
        (
            AxisType(AxisKind.Batch, is_list=True),
            AxisType(AxisKind.Time),
            AxisType(AxisKind.Dimension),
        )
    )
    tensor = NeuralType(("B", "T", "D"))
    assert listed.compare(listed) is R.SAME
    assert listed.compare(tensor) is R.TRANSPOSE_SAME  # NeMo: a list <-> tensor conversion


def test_user_defined_element_hierarchy() -> None:
    class PitchType(ChannelType):
        pass

    class SmoothedPitch(PitchType):
        pass

    assert NeuralType("B T", PitchType).compare(NeuralType("B T", SmoothedPitch)) is R.GREATER
    assert NeuralType("B T", ChannelType).compare(NeuralType("B T", SmoothedPitch)) is R.GREATER
    assert (
        NeuralType("B T", AcousticEncodedRepresentation).compare(NeuralType("B T", PitchType))
        is R.INCOMPATIBLE
    )


def test_equality_is_equality_not_compare() -> None:
    # NeMo's __eq__ returned compare()'s result, which is always truthy.
    a = NeuralType("B T", LogitsType)
    b = NeuralType("B T", LogprobsType)
    assert a != b
    assert a != NeuralType("B T", LogitsType, optional=True)
    assert len({a, b, NeuralType(("B", "T"), LogitsType())}) == 2
    assert a != "B T"


def test_repr_and_str() -> None:
    t = NeuralType(("B", "D", "T"), AudioSignal(16000), optional=True)
    assert repr(t) == "NeuralType('B D T', AudioSignal(freq=16000), optional=True)"
    assert str(t) == "axes: (batch, dimension, time); elements_type: AudioSignal(freq=16000)"
    assert t.describe() == '"B D T" AudioSignal(freq=16000)'
    assert NeuralType().describe() == "(unspecified axes) VoidType"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("B", int),
            "elements_type must be an ElementType subclass or instance (e.g. SpectrogramType "
            "or AudioSignal(freq=16000)), got <class 'int'>",
        ),
        (
            (("B", 3),),
            "each axis must be a str or an AxisType instance, got 3 in ('B', 3)",
        ),
        (
            (5,),
            "axes must be an axis string, a tuple of axis names or AxisType objects, or None; "
            "got int",
        ),
        (("B Q+",), '"B Q+": unexpected end of expression after "Q+"'),
    ],
)
def test_constructor_errors(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError) as info:
        NeuralType(*args)
    assert str(info.value) == message


def test_list_axes_must_come_first() -> None:
    with pytest.raises(ValueError, match="must come first"):
        NeuralType((AxisType(AxisKind.Batch), AxisType(AxisKind.Time, is_list=True)))


def test_axis_type_validation() -> None:
    with pytest.raises(ValueError, match="can't be a list axis and have a fixed size"):
        AxisType(AxisKind.Batch, 3, is_list=True)
    with pytest.raises(ValueError, match="must be an AxisKind"):
        AxisType("B")  # type: ignore[arg-type]
    assert repr(AxisType(AxisKind.Dimension, 80)) == "dimension:80"
    assert repr(AxisType(AxisKind.Time, is_list=True)) == "time_listdim"


def test_axis_kind_from_str() -> None:
    assert AxisKind.from_str("T_enc") is AxisKind.Time
    assert AxisKind.from_str(" Batch ") is AxisKind.Batch
    assert AxisKind.from_str("flowgroup") is AxisKind.FlowGroup
    assert str(AxisKind.Batch) == "batch"
    assert AxisKind.Time.t_with_string("t_time_")
    with pytest.raises(ValueError, match="^Can't create AxisKind from 'Q': known labels are "):
        AxisKind.from_str("Q")
