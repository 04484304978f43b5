"""``nn.Sequential(a, b, c)``: each module's output must fit the next one's input."""

from __future__ import annotations

from mypy.plugin import FunctionContext
from mypy.types import Instance, Type

from neuraltypes._core import where_port

from ._calls import mismatches, module_call_of, report
from ._carry import Neural, as_proper
from ._names import MODULE
from ._ports import Ports
from ._state import BuildState

__all__ = ["sequential_check"]


def _output(ports: Ports) -> Neural | None:
    return ports.ret if isinstance(ports.ret, Neural) else None


def _first_input(ports: Ports) -> tuple[Neural, str] | None:
    """The first port after ``self``, when it has a neural type."""
    if len(ports.args) < 2:
        return None
    expected = ports.args[1]
    return None if expected is None else (expected, ports.port_name(1))


def sequential_check(state: BuildState, ctx: FunctionContext) -> Type:
    """Check the chain; the call's type is mypy's own."""
    if not ctx.args or not ctx.args[0]:
        return ctx.default_return_type
    previous: Ports | None = None
    for expr, typ in zip(ctx.args[0], ctx.arg_types[0]):
        current = as_proper(typ)
        call = None
        if isinstance(current, Instance) and current.type.has_base(MODULE):
            call = module_call_of(state, current.type)
        if previous is not None and call is not None:
            produced, wanted = _output(previous), _first_input(call.ports)
            wrong = (
                ()
                if produced is None or wanted is None
                else mismatches(state, produced, wanted[0])
            )
            if wrong and wanted is not None:
                where = where_port(call.owner, wanted[1])
                report(ctx, wrong, f"nn.Sequential: {where}", expr)
        previous = None if call is None else call.ports
    return ctx.default_return_type
