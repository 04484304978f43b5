"""The fast path's guards: made from an accepted call, used by the next ones, and
never the reason a call is accepted that the reference checker rejects."""

import gc
import threading
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


class Counted:
    """A guard's check, counting its calls and its acceptances."""

    def __init__(self, check: Any) -> None:
        self.check, self.calls, self.accepted = check, 0, 0

    def __call__(self, *tensors: object) -> bool:
        self.calls += 1
        result = bool(self.check(*tensors))
        self.accepted += result
        return result


def state(fn: Any) -> Any:
    return fn.__neuraltypes__


def pair(fn: Any) -> list[Any]:
    """The list the code of ``fn`` reads its guards from: ``[(inputs' check,
    outputs' check, sizes)]``."""
    found: list[Any] = state(fn).guards.pair
    assert state(fn).ns["__nt_guards"] is found
    return found


def count_checks(fn: Any) -> tuple[Counted, Counted]:
    """Replace both guards of ``fn`` with counting ones."""
    inputs, outputs, sizes = pair(fn)[0]
    counted = Counted(inputs), Counted(outputs)
    pair(fn)[0] = (*counted, sizes)
    return counted


def reference_error(fn: Any, receiver: object, *values: object) -> str:
    """What the reference checker says of a call (inputs only)."""
    checker = state(fn).base
    with pytest.raises(NeuralTypeError) as err:
        checker.check_inputs(FULL, receiver, values, (), {})
    return str(err.value)


def test_this_torch_has_working_guards() -> None:
    assert guards.AVAILABLE, "torch's TensorGuards failed the self-test: no guards here"


def tagged_lens(*values: int) -> Tensor:
    """Lengths tagged as an upstream module leaves them (Encoder hands them back:
    untagged ones would be relabelled by the reference checker on every call)."""
    n = lens(*values)
    n.neural_type = state(Encoder.forward).resolved_ports().inputs[1].type.leaf
    return n


def test_an_accepted_call_makes_guards_that_the_next_calls_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enc, x, n = Encoder(), spec(), tagged_lens()
    enc(x, n)  # the first call picks the checker; the second is tested in Python
    enc(x, n)
    assert pair(Encoder.forward)[0][0] is not guards.never
    assert pair(Encoder.forward)[0][2] == (2,)  # B, as the inputs bound it
    on_inputs, on_outputs = count_checks(Encoder.forward)
    monkeypatch.setattr(CallChecker, "check_inputs", lambda *a: pytest.fail("reference called"))
    out, out_len = enc(spec(t=17), tagged_lens(17, 3))  # T is free: the same guards accept
    assert out.shape == (2, 16, 17)
    outputs = state(Encoder.forward).base.outputs
    assert out.neural_type is outputs[0].port.type.leaf
    assert out_len.neural_type is outputs[1].port.type.leaf
    assert (on_inputs.calls, on_inputs.accepted) == (1, 1)
    assert (on_outputs.calls, on_outputs.accepted) == (1, 1)


def test_a_call_the_guard_rejects_is_still_checked_exactly() -> None:
    enc, n = Encoder(), tagged_lens()
    enc(spec(), n)
    enc(spec(), n)
    assert pair(Encoder.forward)[0][0] is not guards.never
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


class Conv8(NeuralModule):
    def __init__(self) -> None:
        super().__init__()
        self.conv = torch.nn.Conv1d(8, 16, 3, padding=1)

    @typecheck()
    def forward(self, x: Annotated[Tensor, "B D=8 T", SpectrogramType]) -> Spec:
        return self.conv(x)


def test_an_input_that_does_not_fit_is_reported_before_the_call() -> None:
    m = Conv8()
    m(spec())
    m(spec())
    assert pair(Conv8.forward)[0][0] is not guards.never
    with pytest.raises(NeuralTypeError) as err:
        m(spec(d=4))  # the convolution would raise: it never runs
    assert str(err.value) == (
        'Conv8.forward port "x": dim 1 (D=8) has size 4, expected 8 '
        '(expected "B D=8 T" SpectrogramType, found a tensor of shape (2, 4, 10))'
    )
    assert err.value.__context__ is None
    with pytest.raises(RuntimeError):  # the port's D is free: the call's own error
        Encoder()(spec(d=4), lens())


class Failing(NeuralModule):
    @typecheck()
    def forward(self, x: Spec) -> Lens:
        if x.shape[2] == 3:
            raise ValueError("three is not allowed")
        return x[:, 0, 0]


def test_an_exception_of_a_call_with_fitting_inputs_is_its_own() -> None:
    m = Failing()
    m(spec())
    m(spec())
    with pytest.raises(ValueError, match="^three is not allowed$"):
        m(spec(t=3))


def test_a_new_batch_size_makes_new_guards() -> None:
    enc = Encoder()
    enc(spec(batch=2), tagged_lens(10, 8))
    enc(spec(batch=2), tagged_lens(10, 8))
    first = pair(Encoder.forward)[0]
    out, _ = enc(spec(batch=5), tagged_lens(1, 2, 3, 4, 5))  # B is pinned: Python tests
    assert out.shape[0] == 5
    second = pair(Encoder.forward)[0]
    assert second is not first and second[0] is not guards.never and second[2] == (5,)
    on_inputs, on_outputs = count_checks(Encoder.forward)
    enc(spec(batch=5), tagged_lens(1, 2, 3, 4, 5))
    assert (on_inputs.accepted, on_outputs.accepted) == (1, 1)


class FixedBatch(NeuralModule):
    """Returns a batch of 2, whatever the batch it is given."""

    @typecheck()
    def forward(self, x: Spec) -> Lens:
        return torch.zeros(2)


def test_the_outputs_guard_is_used_only_after_the_inputs_guard_accepted() -> None:
    m = FixedBatch()
    for _ in range(3):
        m(spec(batch=2))  # guards for B=2: the outputs' guard accepts torch.zeros(2)
    on_inputs, on_outputs = count_checks(FixedBatch.forward)
    with pytest.raises(NeuralTypeError) as err:
        m(spec(batch=5))  # the inputs' guard rejects B=5: the outputs' guard is not asked
    assert str(err.value) == (
        'FixedBatch.forward return value "output": dim 0 (B) has size 2, but the batch '
        'size is 5 in port "x" (expected "B" LengthsType, found a tensor of shape (2,))'
    )
    assert (on_inputs.calls, on_inputs.accepted, on_outputs.calls) == (1, 0, 0)


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
    assert fn_state.guards.left == 0
    made = pair(Cast.forward)[0]
    with pytest.raises(NeuralTypeError) as err:
        cast(torch.zeros(3, 4, 5))
    assert str(err.value) == (
        'Cast.forward port "x": 3 dims where 2 ("B T") are expected '
        '(expected "B T" SpectrogramType, found a tensor of shape (3, 4, 5))'
    )
    cast(torch.zeros(3, 4, dtype=torch.float16))
    assert pair(Cast.forward)[0] is made  # no more guards made


class Flaky(NeuralModule):
    """Returns what it is told to (to make the guard reject a call on its output)."""

    result: Any = None

    @typecheck()
    def forward(self, x: Spec) -> Annotated[Tensor, "B", LengthsType]:
        return self.result if self.result is not None else x[:, 0, 0]


def test_an_output_the_guard_rejects_is_tested_in_python() -> None:
    flaky, x = Flaky(), spec()
    flaky(x)
    flaky(x)
    first = pair(Flaky.forward)[0]
    assert first[1] is not guards.never
    flaky.result = torch.zeros(2, dtype=torch.int64)  # another dtype: accepted, by Python
    assert flaky(x).neural_type is not None
    assert pair(Flaky.forward)[0] not in (first, guards.NO_GUARDS)  # made from that call
    flaky.result = torch.zeros(3)
    with pytest.raises(NeuralTypeError) as err:
        flaky(x)
    assert str(err.value) == (
        'Flaky.forward return value "output": dim 0 (B) has size 3, but the batch size is '
        '2 in port "x" (expected "B" LengthsType, found a tensor of shape (3,))'
    )


class Through(NeuralModule):
    """Hands its input back, or not, as it is told to."""

    copy = False

    @typecheck()
    def forward(self, x: Spec) -> Annotated[Tensor, "B D=8 T", SpectrogramType]:
        return x.clone() if self.copy else x


def test_an_output_that_is_an_input_is_checked_against_the_output_port() -> None:
    m = Through()
    for _ in range(3):
        x = spec()
        out = m(x)
        assert out is not x and "neural_type" not in x.__dict__  # relabelled on a view
    with pytest.raises(NeuralTypeError) as err:  # D is free for the input, not the output
        m(spec(d=4))
    assert str(err.value) == (
        'Through.forward return value "output": dim 1 (D=8) has size 4, expected 8 '
        '(expected "B D=8 T" SpectrogramType, found a tensor of shape (2, 4, 10))'
    )
    x = m(spec())  # tagged with the output's type: handed back as it is
    assert m(x) is x
    m.copy = True  # a new tensor now: the guards test it
    for _ in range(3):
        assert m(spec()).neural_type is not None
    on_inputs, on_outputs = count_checks(Through.forward)
    m(spec())
    assert (on_inputs.accepted, on_outputs.accepted) == (1, 1)
    with pytest.raises(NeuralTypeError) as err:
        m(spec(d=4))
    assert str(err.value).startswith('Through.forward return value "output": dim 1 (D=8) has')


class Alternating(NeuralModule):
    """Hands its input through when T is odd, else returns a new tensor."""

    @typecheck()
    def forward(self, x: Spec) -> Spec:
        return x if x.shape[2] % 2 else x * 1


def test_threads_that_make_guards_for_other_outputs_at_once_get_checked_calls() -> None:
    m = Alternating()
    m(spec())
    errors: list[BaseException] = []
    leaf = None

    def work(offset: int) -> None:
        try:
            for i in range(200):
                out = m(spec(t=3 + (i + offset) % 4))
                assert out.neural_type is leaf
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    leaf = state(Alternating.forward).base.outputs[0].port.type.leaf
    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with pytest.raises(NeuralTypeError) as err:
        m(torch.zeros(2, 8))
    assert str(err.value) == (
        'Alternating.forward port "x": 2 dims where 3 ("B D T") are expected '
        '(expected "B D T" SpectrogramType, found a tensor of shape (2, 8))'
    )


class Twice(NeuralModule):
    @typecheck()
    def forward(self, x: Spec) -> tuple[Spec, Spec]:
        y = x * 1
        return y, y


def test_a_tensor_returned_twice_is_checked_without_a_guard() -> None:
    m = Twice()
    for _ in range(3):
        a, b = m(spec())
        assert a is b and a.neural_type is not None
    assert pair(Twice.forward)[0] is guards.NO_GUARDS  # a guard takes each tensor once
    with pytest.raises(NeuralTypeError) as err:
        m(torch.zeros(2, 8))
    assert str(err.value) == (
        'Twice.forward port "x": 2 dims where 3 ("B D T") are expected '
        '(expected "B D T" SpectrogramType, found a tensor of shape (2, 8))'
    )


class Relabel(NeuralModule):
    @typecheck()
    def forward(self, x: Annotated[Tensor, "B D T"]) -> tuple[Annotated[Tensor, "B D T"], Spec]:
        return x, x


def test_an_input_handed_back_to_two_ports_makes_a_view_for_each() -> None:
    m = Relabel()
    for _ in range(3):
        x = torch.zeros(2, 3, 4)
        a, b = m(x)
        assert a is not b and a is not x and b is not x and "neural_type" not in x.__dict__
        assert type(a.neural_type.elements_type).__name__ == "VoidType"
        assert type(b.neural_type.elements_type) is SpectrogramType


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
    assert state(Plain.forward).guards is None and "__nt_guards" not in state(Plain.forward).ns
    assert m(spec(), lens()).neural_type is not None
    expected = reference_error(Plain.forward, m, spec(batch=3), lens())
    with pytest.raises(NeuralTypeError) as err:
        m(spec(batch=3), lens())
    assert str(err.value) == expected
