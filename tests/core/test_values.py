"""The core's value types behave as frozen values: equality and hashing by their
fields, immutable, and they survive copies and pickles (a tagged tensor is deep-
copied with its module, a NeuralType may be pickled with a checkpoint)."""

from __future__ import annotations

import copy
import pickle

import pytest

from neuraltypes import AxisKind, AxisType, NeuralType
from neuraltypes._core import BinOp, Mismatch, Num, Var, parse_axes, plan_ports
from neuraltypes._core.record import FrozenError
from neuraltypes.elements import AudioSignal, SpectrogramType


def test_axis_equality_ignores_the_label_as_written() -> None:
    a = AxisType(AxisKind.Time, name="T_enc", label="T_enc")
    b = AxisType(AxisKind.Time, name="T_enc")
    assert a == b and hash(a) == hash(b)
    assert a != AxisType(AxisKind.Time, name="T_dec")
    assert AxisType(AxisKind.Time) != "T"


def test_values_are_immutable() -> None:
    axis = AxisType(AxisKind.Batch)
    with pytest.raises(FrozenError, match="cannot assign to field 'size' of AxisType"):
        axis.size = 3  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot delete field 'kind' of AxisType"):
        del axis.kind  # type: ignore[misc]


def test_repr_names_the_fields() -> None:
    assert repr(BinOp("+", Var("d"), Num(1))) == (
        "BinOp(op='+', left=Var(name='d'), right=Num(value=1))"
    )
    assert repr(AxisType(AxisKind.Dimension, 80)) == "dimension:80"  # NeMo's repr


@pytest.mark.parametrize(
    "clone", [copy.copy, copy.deepcopy, lambda v: pickle.loads(pickle.dumps(v))]
)
def test_values_survive_copies_and_pickles(clone: object) -> None:
    values: list[object] = [
        *parse_axes("B #D=80 T_enc d+1 *rest"),
        NeuralType("B D T", SpectrogramType),
        NeuralType(("B", "T"), AudioSignal(16000)),
        Mismatch("neural-axes", "problem", "expected", "found", "hint"),
        *plan_ports(
            "f",
            [
                ("x", parse_axes("b n 3", jaxtyping=True)),
                ("y", parse_axes("b n+1", jaxtyping=True)),
            ],
        ),
    ]
    for value in values:
        again = clone(value)  # type: ignore[operator]
        assert again == value and hash(again) == hash(value)
        assert repr(again) == repr(value)
    labelled = parse_axes("T_enc")[0]
    assert clone(labelled).token == "T_enc"  # type: ignore[operator]


def test_constructor_binds_fields_as_a_function_does() -> None:
    assert AxisType(AxisKind.Time, name="T") == AxisType(kind=AxisKind.Time, name="T")
    assert Mismatch("c", "p", "e", "f") == Mismatch("c", "p", "e", "f", hint=None)
    with pytest.raises(TypeError, match=r"^Num\(\) missing required argument: 'value'$"):
        Num()  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"^Num\(\) takes 1 positional arguments but 2 were given$"
    ):
        Num(1, 2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Num\(\) got an unexpected keyword argument 'size'$"):
        Num(size=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Num\(\) got multiple values for argument 'value'$"):
        Num(1, value=2)  # type: ignore[misc]


def test_post_init_checks_every_construction() -> None:
    with pytest.raises(ValueError, match="can't be a list axis and have a fixed size"):
        AxisType(AxisKind.Time, 3, True)
    with pytest.raises(ValueError, match="can't be a list axis and have a fixed size"):
        AxisType(AxisKind.Time, size=3, is_list=True)


def test_records_of_different_classes_are_never_equal() -> None:
    assert Num(1) != Var(1)  # type: ignore[arg-type]
    assert Num(1) == Num(1) and Num(1) != Num(2)
    assert len({Num(1), Num(1), Var("d")}) == 2


def test_field_order_is_checked_when_the_class_is_made() -> None:
    from neuraltypes._core.record import record

    with pytest.raises(TypeError, match="Bad: field 'b' has no default but follows a field"):

        @record
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]
