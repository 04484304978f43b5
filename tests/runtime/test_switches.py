"""The switches: contextvars (per thread and task), nesting restores the previous
state, the global switch is the default where no scoped switch overrides it."""

import asyncio
import threading

import pytest
import torch

from neuraltypes import NeuralType, NeuralTypeError, typecheck
from neuraltypes.elements import SpectrogramType

from .models import Decoder, Encoder, lens, spec


def bad_call() -> None:
    Encoder()(spec(batch=4), lens(1, 2, 3))  # batch sizes differ


def checked() -> bool:
    try:
        bad_call()
    except NeuralTypeError:
        return True
    return False


@pytest.fixture(autouse=True)
def _global_switches_back_on() -> object:
    yield
    typecheck.set_typecheck_enabled(True)
    typecheck.set_semantic_check_enabled(True)


def test_nested_scopes_restore_the_previous_state() -> None:
    assert checked()
    with typecheck.disable_checks():
        assert not checked() and not typecheck.is_enabled()
        with typecheck.enable_checks():
            assert checked()
            with typecheck.disable_checks():
                assert not checked()
            assert checked()
        assert not checked()  # NeMo reset to "enabled" here
    assert checked() and typecheck.is_enabled()


def test_scope_restores_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), typecheck.disable_checks():
        _ = 1 / 0
    assert checked()


def test_as_a_decorator_each_call_gets_its_own_scope() -> None:
    @typecheck.disable_checks()
    def unchecked() -> bool:
        return checked()

    assert unchecked() is False
    assert unchecked() is False
    assert checked()


def test_global_switch_and_scopes() -> None:
    typecheck.set_typecheck_enabled(False)
    assert not checked() and not typecheck.is_enabled()
    with typecheck.enable_checks():
        assert checked()
    with typecheck.disable_semantic_checks():
        assert not checked()  # the scope overrides only the semantic switch
        typecheck.set_typecheck_enabled(True)
        assert checked()  # a global change is seen inside a scope that leaves it alone
    typecheck.set_typecheck_enabled(True)
    assert checked()


def test_each_thread_has_its_own_scope() -> None:
    results: dict[str, bool] = {}
    inside, release = threading.Event(), threading.Event()

    def disabled_thread() -> None:
        with typecheck.disable_checks():
            inside.set()
            release.wait(5)
            results["disabled"] = checked()

    def checked_thread() -> None:
        inside.wait(5)
        results["checked"] = checked()
        release.set()

    threads = [threading.Thread(target=disabled_thread), threading.Thread(target=checked_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == {"disabled": False, "checked": True}


def test_each_asyncio_task_has_its_own_scope() -> None:
    async def disabled(gate: asyncio.Event) -> bool:
        with typecheck.disable_checks():
            await gate.wait()
            return checked()

    async def enabled(gate: asyncio.Event) -> bool:
        await asyncio.sleep(0)  # the other task is inside its block now
        result = checked()
        gate.set()
        return result

    async def main() -> list[bool]:
        gate = asyncio.Event()
        return list(await asyncio.gather(disabled(gate), enabled(gate)))

    assert asyncio.run(main()) == [False, True]


def test_semantic_switch_keeps_shape_checks_and_tags() -> None:
    x = spec()
    x.neural_type = NeuralType("B D T", SpectrogramType)  # type: ignore[attr-defined]
    with typecheck.disable_semantic_checks():
        assert not typecheck.is_semantic_enabled()
        logits = Decoder(d_in=8)(x)
        assert logits.neural_type is not None
        with pytest.raises(NeuralTypeError, match="2 dims where 3"):
            Decoder(d_in=8)(torch.randn(2, 8))
    with pytest.raises(NeuralTypeError, match="SpectrogramType is not"):
        Decoder(d_in=8)(x)
    typecheck.set_semantic_check_enabled(False)
    Decoder(d_in=8)(x)
    with typecheck.enable_semantic_checks(), pytest.raises(NeuralTypeError):
        Decoder(d_in=8)(x)


def test_switch_reprs() -> None:
    assert repr(typecheck.disable_checks()) == "<disable checks>"
    assert repr(typecheck.enable_semantic_checks()) == "<enable semantic checks>"
