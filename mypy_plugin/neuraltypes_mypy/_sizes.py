"""Sizes within one call that the annotations alone decide (the core's rules; the
runtime checks the same at call time, with the same words):

- a size expression that names an axis no earlier port binds (``"b n h*d"``): the
  runtime refuses the annotation when the function is decorated, so every call is
  reported (``neural-spec``);
- a named axis that two arguments' own types fix to different sizes (one is
  ``"b 64"``, the next ``"b 32"``, for ports that share ``d_model``): ``neural-size``.
"""

from __future__ import annotations

from mypy.nodes import Expression

from neuraltypes._core import AxisType, Mismatch, describe_parts, where_port
from neuraltypes._core.bindings import static_binding_problems
from neuraltypes._core.shapes import PortShape, ShapeSpecError, plan_ports

from ._carry import Neural
from ._codes import CODES, SPEC
from ._ports import Ports
from ._state import BuildState, CallContext

__all__ = ["check_sizes", "describe"]

#: the plans of a function's ports with axes, by position; or the spec error's text
Plans = dict[int, PortShape] | str


def check_sizes(
    ctx: CallContext,
    ports: Ports,
    owner: str,
    state: BuildState,
    given: list[tuple[int, Expression, Neural]],
) -> None:
    """Check the sizes of one call: ``given`` are the arguments that carry a neural
    type (position of the port, argument, its type), in the ports' order."""
    # planning the ports is needed only for a size expression (to report a name no
    # port binds) or an argument whose type fixes a size
    if not state.remembered("size expressions", ports, _has_expressions) and not any(
        _fixes_a_size(found) for _, _, found in given
    ):
        return  # nothing the annotations alone decide: the runtime's business
    plans = state.remembered("size plans", (ports, owner), _plans)
    if isinstance(plans, str):
        ctx.api.fail(plans, ctx.context, code=SPEC)
        return
    placed = [(position, expr, found) for position, expr, found in given if position in plans]
    if not any(_fixes_a_size(found) for _, _, found in placed):
        return  # nothing fixed by the annotations: the runtime's business
    pairs = [(plans[position], _axes(found)) for position, _, found in placed]
    for index, problem in static_binding_problems(pairs):
        position, expr, found = placed[index]
        declared = ports.args[position]
        assert declared is not None
        mismatch = Mismatch(
            problem.code, problem.problem, describe(state, declared), describe(state, found)
        )
        where = where_port(owner, ports.port_name(position))
        ctx.api.fail(mismatch.render(where), expr, code=CODES[problem.code])


def _plans(key: tuple[Ports, str]) -> Plans:
    ports, owner = key
    with_axes = [
        (position, ports.port_name(position), _axes(neural))
        for position, neural in enumerate(ports.args)
        if neural is not None and neural.axes is not None
    ]
    try:
        planned = plan_ports(owner, [(name, axes) for _, name, axes in with_axes])
    except ShapeSpecError as err:
        return str(err)
    return {position: plan for (position, _, _), plan in zip(with_axes, planned)}


def _has_expressions(ports: Ports) -> bool:
    """Whether a port's axes have a size expression (``"b n+1"``), which the plans
    check for names no earlier port binds."""
    declared = [neural for neural in ports.args if neural is not None]
    return any(axis.expr is not None for neural in declared for axis in _axes(neural))


def _axes(neural: Neural) -> tuple[AxisType, ...]:
    """The axes of a neural type (none when its annotation gives none)."""
    return neural.parsed_axes() or ()


def _fixes_a_size(neural: Neural) -> bool:
    return any(axis.size is not None for axis in _axes(neural))


def describe(state: BuildState, neural: Neural) -> str:
    """``"B D T" SpectrogramType``, as messages show a carried type."""
    info = None if neural.element is None else state.element_info(neural.element)
    axes = neural.parsed_axes()
    return describe_parts(axes, None if info is None else info.describe())
