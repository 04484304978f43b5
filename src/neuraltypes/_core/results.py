"""The outcome of comparing two neural types (NeMo's enum, same names and values)."""

from __future__ import annotations

from enum import Enum

__all__ = ["NeuralTypeComparisonResult"]


class NeuralTypeComparisonResult(Enum):
    """Result of ``declared.compare(given)``.

    A value is accepted by a port when the result is SAME or GREATER.
    """

    SAME = 0
    LESS = 1  # the declared type is more specific than the given one
    GREATER = 2  # the given type is more specific than the declared one: accepted
    DIM_INCOMPATIBLE = 3  # same axis kinds, different fixed sizes
    TRANSPOSE_SAME = 4  # same axes in another order
    CONTAINER_SIZE_MISMATCH = 5  # containers with a different number of elements
    INCOMPATIBLE = 6
    SAME_TYPE_INCOMPATIBLE_PARAMS = 7  # same element class, different parameters
    UNCHECKED = 8  # no comparison was done

    @property
    def accepted(self) -> bool:
        """True for SAME and GREATER: a value of the given type fits the port."""
        return self in (NeuralTypeComparisonResult.SAME, NeuralTypeComparisonResult.GREATER)
