"""Guards: one C++ test of a call's tensors against those of a call accepted before.

A checked call's tensors usually look like the last call's: the same class, dtype,
device, rank and batch size. torch's own ``TensorGuards`` (what ``torch.compile``
uses to decide that a compiled graph still applies) tests exactly such a list of
properties for several tensors in one C++ call, cheaper than reading each tensor's
``.shape`` in Python. The fast path (:mod:`.fastpath`) tests a call's input tensors
with one guard *before* the call, and its output tensors with another after it,
both made from the last call it accepted tensor by tensor; the sizes a guard pins
are only those the ports fix or bind (``D=80``, a ``B`` shared by several ports),
every other size is free.

A guard only *accepts*: a call it rejects is checked tensor by tensor as before
(and a call accepted that way makes new guards, a bounded number of times per
function), and anything the fast path does not accept goes to the reference
checker, which decides and words every error. ``TensorGuards`` is not a public
API: it is used only after a self-test shows it behaves as described here, and
without it the fast path does all its tests in Python. It reads every tensor's
strides before its other tests, and a nested tensor of strided layout has none
(torch aborts the process): the generated code never hands it one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Final

import torch

from .checker import PortState

# (typed Any: torch's own stub for it does not match what it accepts)
TensorGuards: Any
try:
    from torch._C._dynamo import guards as _dynamo_guards

    TensorGuards = _dynamo_guards.TensorGuards
except (ImportError, AttributeError):  # a torch without it: the fast path does without
    TensorGuards = None

__all__ = ["AVAILABLE", "GuardPair", "never"]

#: new guards per decorated function, at most (each costs a few microseconds; calls
#: that keep changing dtype or batch size are then checked in Python)
RENEWALS: Final = 32

Check = Callable[..., bool]
#: what the generated code reads once per call: the inputs' check, the outputs'
#: check, and the sizes the inputs bound in the call both were made from
Pair = tuple[Check, Check, tuple[int, ...]]


def never(*tensors: object) -> bool:
    """The guard before any call was accepted: rejects everything."""
    return False


NO_GUARDS: Final[Pair] = (never, never, ())


def always(*tensors: object) -> bool:
    """The guard of no tensors (a function without input ports)."""
    return True


def _make(tensors: Sequence[torch.Tensor], sizes: list[list[int | None]]) -> Check:
    if not tensors:
        return always
    guard = TensorGuards(
        *tensors, dynamic_dims_sizes=sizes, dynamic_dims_strides=[[None] * len(s) for s in sizes]
    )
    check: Check = guard.check
    return check


def _self_test() -> bool:
    """Whether this torch's ``TensorGuards`` accepts and rejects as the fast path needs."""
    if TensorGuards is None:
        return False
    try:
        x, n = torch.zeros(2, 3, 4), torch.zeros(2)
        check = _make([x, n], [[2, None, None], [2]])
        return (
            check(x, n) is True
            and check(torch.zeros(2, 5, 1), torch.ones(2)) is True  # free sizes are free
            and check(torch.zeros(3, 3, 4), n) is False  # a pinned size
            and check(torch.zeros(2, 3), n) is False  # the rank
            and check(x.double(), n) is False  # the dtype
            and check(torch.nn.Parameter(x), n) is False  # the class
            and check(x, 2) is False  # not a tensor
            # layouts and devices it was not made for (a strided nested tensor is
            # never passed: see the module docstring)
            and check(x.to_sparse(), n) is False
            and check(x.to("meta"), n) is False
            and check(torch.nested.nested_tensor([x[0], x[1]], layout=torch.jagged), n) is False
        )
    except Exception:  # noqa: BLE001 - anything unexpected: do without
        return False


AVAILABLE: Final = _self_test()


def _sizes(state: PortState, shape: torch.Size) -> list[int | None]:
    """The sizes a guard pins for one port: those its axes fix or bind."""
    sizes: list[int | None] = [None] * len(shape)
    plan = state.plan
    if plan is not None:
        for dim, _, _ in (*plan.fixed, *plan.binds):
            sizes[dim] = shape[dim]
    return sizes


def _guardable(tensors: Sequence[Any]) -> bool:
    """Plain dense tensors, each once (a guard takes each tensor once: a tensor
    returned twice is left to the Python tests)."""
    return all(type(t) is torch.Tensor and not t.is_nested for t in tensors) and len(
        {id(t) for t in tensors}
    ) == len(tensors)


class GuardPair:
    """The guards of one fast block. ``pair[0]`` is a :data:`Pair`: the check the
    generated code calls with the input tensors (before the call), the one it calls
    with the output tensors (after it), and the sizes the inputs bound. All three
    come from one accepted call and are replaced together (the code reads them once
    per call), so that they agree: a ``B`` bound across inputs and outputs is the
    same ``B`` in both guards, and the output tests that follow an input guard's
    acceptance know its value."""

    __slots__ = ("inputs", "outputs", "pair", "left", "_lock")

    def __init__(self, inputs: Sequence[PortState], outputs: Sequence[PortState]) -> None:
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)
        self.pair: list[Pair] = [NO_GUARDS]
        self.left = RENEWALS if AVAILABLE else 0
        self._lock = threading.Lock()

    def renew(self, inputs: Sequence[Any], outputs: Sequence[Any], sizes: tuple[int, ...]) -> None:
        """Guards made from a call the Python tests accepted (at most :data:`RENEWALS`
        times; and not while another thread is making them: this call's are then
        not needed)."""
        if self.left <= 0 or not self._lock.acquire(blocking=False):
            return
        try:
            self.left -= 1
            self.pair[0] = self._make(inputs, outputs, sizes)
        finally:
            self._lock.release()

    def _make(self, inputs: Sequence[Any], outputs: Sequence[Any], sizes: tuple[int, ...]) -> Pair:
        if not (_guardable(inputs) and _guardable(outputs)):
            return NO_GUARDS
        try:
            return (
                _make(inputs, [_sizes(s, v.shape) for s, v in zip(self.inputs, inputs)]),
                _make(outputs, [_sizes(s, v.shape) for s, v in zip(self.outputs, outputs)]),
                sizes,
            )
        except Exception:  # noqa: BLE001 - a guard is an optimisation: do without
            self.left = 0
            return NO_GUARDS
