"""Reporting mismatches: one error per value, in the core's wording, with the first
mismatch's code (as the runtime raises them); two arguments of one call that do not
fit their own ports but each fits the other's get the core's swap hint
(:func:`neuraltypes._core.swapped_with`, the same rule and words as the runtime)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mypy.nodes import Expression
from mypy.plugin import FunctionContext, MethodContext

from neuraltypes._core import Mismatch, render_mismatches, swap_hint, swapped_with, where_port

from ._carry import Neural
from ._codes import CODES
from ._ports import Ports

__all__ = ["Wrong", "report", "report_arguments"]

#: an argument that does not fit its port: its port's position, it, its type, why
Wrong = tuple[int, Expression, Neural, tuple[Mismatch, ...]]


def report(
    ctx: FunctionContext | MethodContext,
    found: tuple[Mismatch, ...],
    where: str,
    context: Expression,
    hint: str | None = None,
) -> None:
    """Report the mismatches of one value at ``context``: one error (``hint``: about
    the whole call)."""
    text = render_mismatches(where, found, hint)
    ctx.api.fail(text, context, code=CODES[found[0].code])


def report_arguments(
    ctx: FunctionContext | MethodContext,
    ports: Ports,
    owner: str,
    wrong: Sequence[Wrong],
    fits: Callable[[Neural, Neural], bool],
) -> None:
    """Report the arguments of one call that do not fit their ports (messages name
    the port ``{owner} port "x"``): one error each, with the swap hint where two seem
    swapped. ``fits(value, port)``: whether a neural type fits a port's, by the
    check's rule."""

    def fits_port(argument: int, port: int) -> bool:
        expected = ports.args[wrong[port][0]]
        return expected is not None and fits(wrong[argument][2], expected)

    for index, (position, expr, _, problems) in enumerate(wrong):
        partner = swapped_with(index, len(wrong), fits_port)
        hint = None
        if partner is not None:
            first, second = sorted((position, wrong[partner][0]))
            hint = swap_hint(ports.port_name(first), ports.port_name(second))
        report(ctx, problems, where_port(owner, ports.port_name(position)), expr, hint)
