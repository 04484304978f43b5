"""The verdict cache of a port: bounded, whatever tags the calls bring."""

import gc
import weakref

import torch

from neuraltypes import NeuralModule, NeuralType, typecheck
from neuraltypes._runtime.checker import VERDICTS_KEPT
from neuraltypes.elements import MelSpectrogramType

from .models import Enc, Spec, spec


class Cheap(NeuralModule):
    @typecheck()
    def forward(self, x: Spec) -> Spec:
        return x.detach()


class Refuses(NeuralModule):
    @typecheck()
    def forward(self, x: Enc) -> Enc:
        return x.detach()


def port_of(module: torch.nn.Module) -> object:
    return type(module).forward.__neuraltypes__.base.inputs[0]  # type: ignore[attr-defined]


def live_types() -> int:
    """The NeuralType objects alive now."""
    gc.collect()
    return sum(isinstance(o, NeuralType) for o in gc.get_objects())


def test_fresh_equal_tags_share_one_verdict_and_memory_stays_flat() -> None:
    m, x = Cheap(), spec()
    m(x)
    tags = []
    for i in range(100_000):
        # a fresh tag each call, equal to the last: never the accepted object
        x.neural_type = NeuralType("B D T", MelSpectrogramType)  # type: ignore[attr-defined]
        m(x)
        if i == 1_000:
            tags.append(weakref.ref(x.neural_type))  # type: ignore[attr-defined]
            early = live_types()
    assert len(port_of(m).verdicts) == 1  # type: ignore[attr-defined]
    assert tags[0]() is None  # no tag kept alive for its id
    assert live_types() <= early


def test_distinct_tags_are_kept_up_to_the_bound() -> None:
    m = Refuses()
    for size in range(3 * VERDICTS_KEPT):
        x = spec()
        # an axis of another name each time: distinct tags, all refused
        x.neural_type = NeuralType(f"B D T{size}", MelSpectrogramType)  # type: ignore[attr-defined]
        try:
            m(x)
        except TypeError:
            pass
        assert 1 <= len(port_of(m).verdicts) <= VERDICTS_KEPT  # type: ignore[attr-defined]
