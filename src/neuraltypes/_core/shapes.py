"""Checking concrete shapes against axes, with sizes bound across the ports of a call.

Binding rule (one place, used by the runtime; see DESIGN.md "Size binding"):

- the Batch kind (``B``, ``N``, ``batch``) always binds: every Batch axis of one
  call has one size;
- a named axis (``pos``, ``d_model``, ``T_enc``, jaxtyping names) binds by name;
- a plain NeMo kind letter other than Batch (``T``, ``D``, ``C``, ...) does not
  bind: an encoder may map ``B D T`` with D=80 to ``B D T`` with D=512;
- a fixed size (``80``, ``D=80``) must match; ``#name`` also accepts size 1;
- ``*name`` binds the run of sizes it covers; ``...`` and ``_`` bind nothing;
- a size expression (``d+1``) is evaluated from names bound by earlier ports or
  earlier axes of the same port.

A binding's scope is one call: its input ports, then its output ports.
"""

from __future__ import annotations

from collections.abc import Sequence

from .axes import AxisType, SizeExpr
from .errors import NEURAL_AXES, NEURAL_SIZE, NEURAL_SPEC
from .kinds import AxisKind
from .parse import render_axes
from .record import record

__all__ = [
    "BATCH_KEY",
    "binding_key",
    "PortShape",
    "ShapeProblem",
    "plan_port",
    "plan_ports",
    "check_shape",
    "ShapeSpecError",
]

#: The binding key every Batch-kind axis shares.
BATCH_KEY = "B"

Env = dict[str, tuple[object, str]]


class ShapeSpecError(ValueError):
    """Annotations of one signature that can't be checked (e.g. ``d+1`` with ``d``
    never bound before it)."""

    code = NEURAL_SPEC


def binding_key(axis: AxisType) -> str | None:
    """The name under which ``axis`` binds its size within a call, or None."""
    if axis.variadic:
        return None if axis.broadcast else axis.name
    if axis.expr is not None or axis.size is not None:
        return None
    if axis.name is not None:
        return axis.name
    if axis.kind is AxisKind.Batch:
        return BATCH_KEY
    return None


@record
class ShapeProblem:
    """Why a shape does not fit: an error code and the problem, worded."""

    code: str
    problem: str


@record
class PortShape:
    """What to check of one port's shape, precomputed once per signature.

    Dim indices after a variadic axis are negative (counted from the end).
    """

    port: str
    axes: tuple[AxisType, ...]
    rank: int
    variadic: int | None
    var_key: str | None
    fixed: tuple[tuple[int, int, bool], ...]
    binds: tuple[tuple[int, str, bool], ...]
    exprs: tuple[tuple[int, SizeExpr], ...]

    @property
    def axis_string(self) -> str:
        return render_axes(self.axes)


def plan_port(port: str, axes: tuple[AxisType, ...]) -> PortShape:
    """Precompute the checks of one port."""
    variadic = next((i for i, a in enumerate(axes) if a.variadic), None)
    fixed: list[tuple[int, int, bool]] = []
    binds: list[tuple[int, str, bool]] = []
    exprs: list[tuple[int, SizeExpr]] = []
    for i, axis in enumerate(axes):
        if i == variadic:
            continue
        dim = i if variadic is None or i < variadic else i - len(axes)
        if axis.size is not None:
            fixed.append((dim, axis.size, axis.broadcast))
        elif axis.expr is not None:
            exprs.append((dim, axis.expr))
        else:
            key = binding_key(axis)
            if key is not None:
                binds.append((dim, key, axis.broadcast))
    var_key = binding_key(axes[variadic]) if variadic is not None else None
    return PortShape(
        port,
        axes,
        len(axes) - (variadic is not None),
        variadic,
        var_key,
        tuple(fixed),
        tuple(binds),
        tuple(exprs),
    )


def plan_ports(
    owner: str, ports: Sequence[tuple[str, tuple[AxisType, ...]]]
) -> tuple[PortShape, ...]:
    """Plan the ports of one signature, in check order (inputs, then outputs).

    Raises:
        ShapeSpecError: a size expression uses a name no earlier axis binds.
    """
    bound: set[str] = set()
    plans = []
    for port, axes in ports:
        plan = plan_port(port, axes)
        bound.update(key for _, key, _ in plan.binds)
        if plan.var_key:
            bound.add(plan.var_key)
        for _, expr in plan.exprs:
            missing = sorted(expr.variables() - bound)
            if missing:
                raise ShapeSpecError(
                    f'{owner} port "{port}": size expression "{expr}" uses '
                    f"{', '.join(missing)}, which no earlier axis binds; name it in an "
                    "earlier port"
                )
        plans.append(plan)
    return tuple(plans)


def _dims(n: int) -> str:
    return "1 dim" if n == 1 else f"{n} dims"


def _token(plan: PortShape, dim: int) -> str:
    return plan.axes[dim].token if dim >= 0 else plan.axes[len(plan.axes) + dim].token


def check_shape(plan: PortShape, shape: Sequence[int], env: Env) -> ShapeProblem | None:
    """Check ``shape`` against ``plan``, binding sizes into ``env`` (key ->
    (size, port that bound it)). Returns the first problem, or None."""
    n = len(shape)
    if plan.variadic is None:
        if n != plan.rank:
            return ShapeProblem(
                NEURAL_AXES, f'{_dims(n)} where {plan.rank} ("{plan.axis_string}") are expected'
            )
    elif n < plan.rank:
        return ShapeProblem(
            NEURAL_AXES,
            f'{_dims(n)} where at least {plan.rank} ("{plan.axis_string}") are expected',
        )
    for dim, size, broadcast in plan.fixed:
        got = shape[dim]
        if got != size and not (broadcast and got == 1):
            return ShapeProblem(
                NEURAL_SIZE, f"dim {dim % n} ({_token(plan, dim)}) has size {got}, expected {size}"
            )
    for dim, key, broadcast in plan.binds:
        got = shape[dim]
        if broadcast and got == 1:
            continue
        seen = env.get(key)
        if seen is None:
            env[key] = (got, plan.port)
        elif seen[0] != got:
            return ShapeProblem(NEURAL_SIZE, _bind_phrase(plan, dim % n, key, got, seen))
    if plan.var_key is not None:
        assert plan.variadic is not None
        run = tuple(shape[plan.variadic : n - (len(plan.axes) - plan.variadic - 1)])
        seen = env.get(plan.var_key)
        if seen is None:
            env[plan.var_key] = (run, plan.port)
        elif seen[0] != run:
            return ShapeProblem(
                NEURAL_SIZE,
                f'*{plan.var_key} covers sizes {run}, but {seen[0]} in port "{seen[1]}"',
            )
    for dim, expr in plan.exprs:
        want = expr.evaluate({k: v[0] for k, v in env.items()})
        if want is not None and shape[dim] != want:
            return ShapeProblem(
                NEURAL_SIZE,
                f"dim {dim % n} ({expr}) has size {shape[dim]}, expected {want}",
            )
    return None


def _bind_phrase(plan: PortShape, dim: int, key: str, got: int, seen: tuple[object, str]) -> str:
    what = "batch size" if key == BATCH_KEY else f"size of {key}"
    where = "earlier in this port" if seen[1] == plan.port else f'in port "{seen[1]}"'
    return f"dim {dim} ({_token(plan, dim)}) has size {got}, but the {what} is {seen[0]} {where}"
