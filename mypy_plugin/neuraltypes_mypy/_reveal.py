"""``reveal_neural_type(x)``: a note with the neural type the plugin follows for
``x`` (mypy's own ``reveal_type`` prints types its own way: a plugin can't show a
neural type there)."""

from __future__ import annotations

from mypy.plugin import FunctionContext
from mypy.types import Type

from neuraltypes._core import reveal_text

from ._calls import carried
from ._carry import fresh
from ._sizes import describe
from ._state import BuildState

__all__ = ["reveal_neural_type"]


def reveal_neural_type(state: BuildState, ctx: FunctionContext) -> Type:
    """The note, in the runtime's words; the call's type is its argument's."""
    if len(ctx.args) != 1 or len(ctx.args[0]) != 1:
        return ctx.default_return_type  # mypy reports the wrong call itself
    found = carried(ctx, state, ctx.args[0][0], ctx.arg_types[0][0])
    ctx.api.msg.note(reveal_text(None if found is None else describe(state, found)), ctx.context)
    return fresh(ctx.arg_types[0][0])  # (a typed Any stays the same object)
