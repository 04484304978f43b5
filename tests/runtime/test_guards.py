"""The fast path's guards: made from an accepted call, used by the next ones, and
never the reason a call is accepted that the reference checker rejects."""

import gc
import weakref
from typing import Annotated, Any

import pytest
import torch
from torch import Tensor

import neuraltypes._runtime.fastpath as fastpath
from neuraltypes import NeuralModule, NeuralTypeError, typecheck
from neuraltypes._runtime import guards
from neuraltypes._runtime.checker import CallChecker
from neuraltypes._runtime.switches import FULL
from neuraltypes.elements import LengthsType, SpectrogramType

from .models import Encoder, Lens, Spec, lens, spec


def state(fn: Any) -> Any:
    return fn.__neuraltypes__


def slot(fn: Any) -> list[Any]:
    found: list[Any] = state(fn).ns["__nt_G"]
    return found


def reference_error(fn: Any, receiver: object, *values: object) -> str:
    """What the reference checker says of a call (inputs only)."""
    checker = state(fn).base
    with pytest.raises(NeuralTypeError) as err:
        checker.check_inputs(FULL, receiver, values, (), {})
    return str(err.value)


class Counted:
    """A guard's check, counting its calls and its acceptances."""

    def __init__(self, check: Any) -> None:
        self.check, self.calls, self.accepted = check, 0, 0

    def __call__(self, *tensors: object) -> bool:
        self.calls += 1
        result = bool(self.check(*tensors))
        self.accepted += result
        return result


def test_this_torch_has_working_guards() -> None:
    assert guards.AVAILABLE, "torch's TensorGuards failed the self-test: no guards here"


def test_an_accepted_call_makes_guards_that_the_next_calls_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enc, x, n = Encoder(), spec(), lens()
    enc(x, n)  # tensor by tensor (the first call picks the checker), then guards
    enc(x, n)
    made = slot(Encoder.forward)[0]
    assert made != (guards.never, guards.never)
    counted = (Counted(made[0]), Counted(made[1]))
    slot(Encoder.forward)[0] = counted
    monkeypatch.setattr(CallChecker, "check_inputs", lambda *a: pytest.fail("reference called"))
    out, out_len = enc(spec(t=17), lens(17, 3))  # T is free: the same guards accept it
    assert out.shape == (2, 16, 17) and out_len.neural_type is not None
    assert out.neural_type == state(Encoder.forward).base.outputs[0].port.type.leaf
    assert (counted[0].accepted, counted[1].accepted) == (1, 1)


def test_a_call_the_guards_reject_is_still_checked_exactly() -> None:
    enc, n = Encoder(), lens()
    enc(spec(), n)
    enc(spec(), n)
    assert slot(Encoder.forward)[0] != (guards.never, guards.never)
    for bad in (spec(batch=3), torch.zeros(2, 8), torch.nn.Parameter(spec(batch=1))):
        expected = reference_error(Encoder.forward, enc, bad, n)
        with pytest.raises(NeuralTypeError) as err:
            enc(bad, n)
        assert str(err.value) == expected
    with pytest.raises(NeuralTypeError) as err:
        enc(spec(), [10, 8])
    assert str(err.value) == (
        'Encoder.forward port "length": expected a tensor ("B" LengthsType), got list'
    )


def test_a_new_batch_size_makes_new_guards() -> None:
    enc = Encoder()
    enc(spec(batch=2), lens(10, 8))
    first = slot(Encoder.forward)[0]
    out, _ = enc(spec(batch=5), lens(1, 2, 3, 4, 5))  # the guards pin B: checked in Python
    assert out.shape[0] == 5
    second = slot(Encoder.forward)[0]
    assert second != first
    counted = (Counted(second[0]), Counted(second[1]))
    slot(Encoder.forward)[0] = counted
    enc(spec(batch=5), lens(1, 2, 3, 4, 5))
    assert (counted[0].accepted, counted[1].accepted) == (1, 1)


class Cast(NeuralModule):
    @typecheck()
    def forward(self, x: Annotated[Tensor, "B T", SpectrogramType]) -> Lens:
        return x.sum(dim=1)


def test_new_guards_are_made_a_bounded_number_of_times() -> None:
    cast = Cast()
    fn_state = state(Cast.forward)
    for i in range(guards.RENEWALS + 10):  # dtypes alternate: each call misses the guard
        out = cast(torch.zeros(3, 4, dtype=torch.float32 if i % 2 else torch.float64))
        assert out.neural_type is not None
    guard_slot = fn_state.ns["__nt_R"]
    assert guard_slot == [False]
    made = slot(Cast.forward)[0]
    with pytest.raises(NeuralTypeError) as err:
        cast(torch.zeros(3, 4, 5))
    assert str(err.value) == (
        'Cast.forward port "x": 3 dims where 2 ("B T") are expected '
        '(expected "B T" SpectrogramType, found a tensor of shape (3, 4, 5))'
    )
    assert slot(Cast.forward)[0] is made  # no more guards made


class Flaky(NeuralModule):
    """Returns what it is told to (to make the outputs' guard reject a call)."""

    result: Any = None

    @typecheck()
    def forward(self, x: Spec) -> Annotated[Tensor, "B", LengthsType]:
        return self.result if self.result is not None else x[:, 0, 0]


def test_an_outputs_guard_that_rejects_hands_the_call_to_the_reference() -> None:
    flaky, x = Flaky(), spec()
    flaky(x)
    flaky(x)
    assert slot(Flaky.forward)[0] != (guards.never, guards.never)
    flaky.result = torch.zeros(2, dtype=torch.int64)  # another dtype: accepted, by Python
    assert flaky(x).neural_type is not None
    assert slot(Flaky.forward)[0] == (guards.never, guards.never)  # made again next call
    flaky.result = torch.zeros(3)
    with pytest.raises(NeuralTypeError) as err:
        flaky(x)
    assert str(err.value) == (
        'Flaky.forward return value "output": dim 0 (B) has size 3, but the batch size is '
        '2 in port "x" (expected "B" LengthsType, found a tensor of shape (3,))'
    )


def test_guards_keep_no_tensor_alive() -> None:
    enc = Encoder()
    x, n = spec(), lens()
    out = enc(x, n)[0]
    enc(x, n)
    refs = [weakref.ref(t) for t in (x, n, out)]
    del x, n, out
    gc.collect()
    assert [r() for r in refs] == [None, None, None]


def test_without_guards_the_fast_path_tests_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "AVAILABLE", False)

    class Plain(NeuralModule):
        @typecheck()
        def forward(self, x: Spec, length: Lens) -> Lens:
            return length

    m = Plain()
    m(spec(), lens())
    assert "__nt_G" not in state(Plain.forward).ns
    assert m(spec(), lens()).neural_type is not None
    expected = reference_error(Plain.forward, m, spec(batch=3), lens())
    with pytest.raises(NeuralTypeError) as err:
        m(spec(batch=3), lens())
    assert str(err.value) == expected
