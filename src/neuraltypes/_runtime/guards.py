"""Guards: one C++ test of a call's tensors against those of a call accepted before.

A checked call's tensors usually look like the last call's: the same class, dtype,
device, rank and batch size. torch's own ``TensorGuards`` (what ``torch.compile``
uses to decide that a compiled graph still applies) tests exactly such a list of
properties for several tensors in one C++ call, cheaper than reading each tensor's
``.shape`` in Python. The fast path (:mod:`.fastpath`) tests all of a call's
tensors, inputs and outputs, after the call, with one guard made from the last call
it accepted tensor by tensor; the sizes a guard pins are only those the ports fix
or bind (``D=80``, a ``B`` shared by several ports), every other size is free.

A guard only *accepts*: a call it rejects is checked tensor by tensor as before
(and a call accepted that way makes a new guard, a bounded number of times per
function), and anything the fast path does not accept goes to the reference
checker, which decides and words every error. ``TensorGuards`` is not a public
API: it is used only after a self-test shows it behaves as described here, and
without it the fast path does all its tests in Python.
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

__all__ = ["AVAILABLE", "GuardSlot", "never"]

#: new guards per decorated function, at most (each costs a few microseconds; calls
#: that keep changing dtype or batch size are then checked in Python)
RENEWALS: Final = 32

Check = Callable[..., bool]


def never(*tensors: object) -> bool:
    """The guard before any call was accepted: rejects everything."""
    return False


def _make(tensors: Sequence[torch.Tensor], sizes: list[list[int | None]]) -> Check:
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


class GuardSlot:
    """The guard of one fast block: ``slot[0]`` is the check the generated code
    calls, after the call, with the input tensors and the output tensors that are
    not inputs; ``live[0]`` says whether new guards may still be made.

    ``same`` says, per output, which input the generated code expects it to *be*
    (``return y, length`` hands the lengths through), or None for a new tensor: a
    guard takes each tensor once, so such an output is tested by identity and its
    input pins the sizes of both ports. A call that hands other inputs through than
    the code was made for asks ``regenerate`` for new code (a bounded number of
    times, as every renewal is). Each code has its own ``slot`` list (``generation``
    names it in the code), so a thread still running older code never calls a
    guard made for other tensors.
    """

    __slots__ = (
        "inputs", "outputs", "slot", "live", "left", "same", "generation", "regenerate", "_lock"
    )  # fmt: skip

    def __init__(
        self,
        inputs: Sequence[PortState],
        outputs: Sequence[PortState],
        regenerate: Callable[[], None],
    ) -> None:
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)
        self.slot: list[Check] = [never]
        self.live = [AVAILABLE]
        self.left = RENEWALS
        self.same: tuple[int | None, ...] = (None,) * len(self.outputs)
        self.generation = 0
        self.regenerate = regenerate
        self._lock = threading.Lock()

    def renew(self, inputs: Sequence[Any], outputs: Sequence[Any]) -> None:
        """A guard made from a call the fast path accepted tensor by tensor (unless
        another thread is making one: then this call's is not needed)."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            self._renew(inputs, outputs)
        finally:
            self._lock.release()

    def _renew(self, inputs: Sequence[Any], outputs: Sequence[Any]) -> None:
        self.left -= 1
        if self.left <= 0:
            self.live[0] = False
        same = tuple(next((k for k, v in enumerate(inputs) if v is o), None) for o in outputs)
        fresh = [o for o, k in zip(outputs, same) if k is None]
        # an input handed through to two ports of different types: the generated
        # code tags the outputs one by one, and the second port's test must see
        # the tag the tensor had before the call, not the one the first port wrote
        leaves: dict[int, object] = {}
        mixed = any(
            leaves.setdefault(k, s.port.type.leaf) is not s.port.type.leaf
            for s, k in zip(self.outputs, same)
            if k is not None
        )
        if (
            mixed
            or any(type(o) is not torch.Tensor for o in outputs)
            or len({id(t) for t in (*inputs, *fresh)}) != len(inputs) + len(fresh)
        ):
            # an output of a subclass is tagged by setattr only; a tensor twice
            # among the inputs, or returned twice, can't be guarded
            self.slot[0] = never
            return
        sizes = [_sizes(s, v.shape) for s, v in zip(self.inputs, inputs)]
        for state, k in zip(self.outputs, same):
            if k is not None:  # the input pins what either port pins
                pinned = _sizes(state, inputs[k].shape)
                sizes[k] = [a if a is not None else b for a, b in zip(sizes[k], pinned)]
        sizes += [_sizes(s, v.shape) for s, v, k in zip(self.outputs, outputs, same) if k is None]
        try:
            made = _make([*inputs, *fresh], sizes)
        except Exception:  # noqa: BLE001 - a guard is an optimisation: do without
            self.live[0] = False
            self.slot[0] = never
            return
        if same != self.same:
            self.same, self.slot = same, [never]
            self.generation += 1
            self.regenerate()  # code that tests these outputs by identity
        self.slot[0] = made
