"""The size-binding rule of one call, for what the annotations alone decide.

At run time the rule (:func:`.shapes.check_shape`) reads each tensor's shape: a
named axis (``d_model``, the batch ``B``) binds its size at the first port where it
appears, and every later port must agree. Statically only the sizes that the
values' own annotations fix are known (``"b 64"`` where a port declares
``"b d_model"``): :func:`static_binding_problems` applies the same rule to those,
with the runtime's wording, and says nothing where a size is not fixed.
"""

from __future__ import annotations

from collections.abc import Sequence

from .axes import AxisType
from .errors import NEURAL_SIZE
from .shapes import Env, PortShape, ShapeProblem, _bind_phrase

__all__ = ["static_binding_problems"]


def static_binding_problems(
    ports: Sequence[tuple[PortShape, tuple[AxisType, ...] | None]],
) -> list[tuple[int, ShapeProblem]]:
    """``(index, problem)`` for each value whose fixed sizes contradict a size that an
    earlier value of the same call bound (at most one problem per value).

    ``ports`` pairs each port's plan (``plan_ports``, in call order) with the axes
    the value given to it declares (None: not known). A port or a value with a
    variadic axis, or of another rank, binds nothing here (the connection check
    reports a rank that differs)."""
    env: Env = {}
    problems: list[tuple[int, ShapeProblem]] = []
    for index, (plan, found) in enumerate(ports):
        if found is None or plan.variadic is not None or len(found) != len(plan.axes):
            continue
        if any(axis.variadic for axis in found):
            continue
        for dim, key, broadcast in plan.binds:
            got = found[dim].size
            if got is None or (broadcast and got == 1):
                continue
            seen = env.get(key)
            if seen is None:
                env[key] = (got, plan.port)
            elif seen[0] != got:
                problems.append(
                    (index, ShapeProblem(NEURAL_SIZE, _bind_phrase(plan, dim, key, got, seen)))
                )
                break
    return problems
