"""Swapped arguments at run time: the call raises at the first argument that does
not fit; when it and another tagged tensor argument each fit the other's port (and
neither its own), the message ends with the core's hint, the rule and words the
mypy plugin uses for the same call (:func:`neuraltypes._core.swapped_with`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._core import NeuralType, swap_hint, swapped_with

if TYPE_CHECKING:
    from .checker import PortState

__all__ = ["swap_hint_at"]


def swap_hint_at(
    inputs: Sequence[PortState],
    state: PortState,
    tag: NeuralType,
    values: Sequence[Any],
    kw: dict[str, Any],
) -> str | None:
    """The hint when the value tagged ``tag`` at ``state``'s port (one of the call's
    ``inputs``, given ``values`` and ``kw``) seems swapped with another argument."""
    states, tags = [state], [tag]
    for other in inputs:
        port = other.port
        value = values[port.index] if port.index is not None else kw.get(port.name)
        found = getattr(value, "neural_type", None)
        if other is not state and not port.type.depth and isinstance(found, NeuralType):
            states.append(other)
            tags.append(found)
    partner = swapped_with(0, len(states), lambda a, p: not states[p].verdict(tags[a]))
    if partner is None:
        return None
    first, second = sorted((state, states[partner]), key=list(inputs).index)
    return swap_hint(first.port.name, second.port.name)
