"""One axis of a neural type, and the size expressions an axis may carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Union

from .kinds import AxisKind, AxisKindAbstract, canonical_label
from .record import field, record

__all__ = ["AxisType", "Num", "Var", "BinOp", "SizeExpr"]


@record
class Num:
    """An integer literal inside a size expression."""

    value: int

    def variables(self) -> frozenset[str]:
        return frozenset()

    def evaluate(self, env: Mapping[str, object]) -> int | None:
        return self.value

    def __str__(self) -> str:
        return str(self.value)


@record
class Var:
    """A named size inside a size expression (``d`` in ``d+1``)."""

    name: str

    def variables(self) -> frozenset[str]:
        return frozenset((self.name,))

    def evaluate(self, env: Mapping[str, object]) -> int | None:
        value = env.get(self.name)
        return value if isinstance(value, int) else None

    def __str__(self) -> str:
        return self.name


_OPS = {"+": 1, "-": 1, "*": 2, "//": 2}


@record
class BinOp:
    """``left op right`` with op one of ``+ - * //``."""

    op: str
    left: SizeExpr
    right: SizeExpr

    def variables(self) -> frozenset[str]:
        return self.left.variables() | self.right.variables()

    def evaluate(self, env: Mapping[str, object]) -> int | None:
        a = self.left.evaluate(env)
        b = self.right.evaluate(env)
        if a is None or b is None:
            return None
        if self.op == "+":
            return a + b
        if self.op == "-":
            return a - b
        if self.op == "*":
            return a * b
        return None if b == 0 else a // b

    def __str__(self) -> str:
        return (
            f"{_operand(self.left, self.op, False)}{self.op}{_operand(self.right, self.op, True)}"
        )


SizeExpr = Union[Num, Var, BinOp]


def _operand(expr: SizeExpr, parent_op: str, right: bool) -> str:
    """Render a child of a binary operation, in parentheses only where needed."""
    if isinstance(expr, BinOp):
        mine, parent = _OPS[expr.op], _OPS[parent_op]
        if mine < parent or (right and mine == parent):
            return f"({expr})"
    return str(expr)


@record
class AxisType:
    """One axis: its kind, and optionally a fixed size, a name, an expression.

    ``AxisType(kind, size=None, is_list=False)`` is NeMo's constructor. The other
    fields come from axis strings:

    - ``name``: a size variable bound within one call (``pos``, ``T_enc``, ``*batch``);
    - ``expr``: a size expression such as ``d+1``;
    - ``variadic``: a run of zero or more axes (``*name`` or ``...``);
    - ``broadcast``: ``#name``, where a size of 1 is always accepted.

    ``kind`` is None for an axis that constrains no kind (a jaxtyping-style name,
    ``_``, a bare size ``80``, an expression, a variadic). ``label`` is the token as
    written, used only for display (equality and hashing ignore it).
    """

    kind: AxisKindAbstract | None
    size: int | None = None
    is_list: bool = False
    name: str | None = None
    expr: SizeExpr | None = None
    variadic: bool = False
    broadcast: bool = False
    label: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.size is not None and self.is_list:
            raise ValueError("an axis can't be a list axis and have a fixed size")
        if self.kind is not None and not isinstance(self.kind, AxisKindAbstract):
            raise ValueError(
                f"AxisType kind must be an AxisKind (e.g. AxisKind.Batch), got {self.kind!r}"
            )
        size = self.size
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
            raise ValueError(f"AxisType size must be a non-negative int, got {size!r}")

    @property
    def token(self) -> str:
        """The axis-string token for this axis (``B``, ``T_enc``, ``D=80``, ``*batch``)."""
        if self.label is not None:
            return self.label
        if self.variadic:
            return f"*{self.name}" if self.name else "..."
        if self.expr is not None:
            return str(self.expr)
        base = self.name
        if base is None and self.kind is not None:
            base = canonical_label(self.kind)
        if self.broadcast:
            base = f"#{base}"
        if self.size is not None:
            return f"{base}={self.size}" if base else str(self.size)
        return base if base is not None else "_"

    def __repr__(self) -> str:
        # NeMo's repr: "batch", "dimension:80", "time_listdim"
        text = str(self.kind) if self.kind is not None else self.token
        if self.size is not None and self.kind is not None:
            text = f"{text}:{self.size}"
        if self.is_list:
            text += "_listdim"
        return text

    @property
    def is_batch(self) -> bool:
        return self.kind is AxisKind.Batch
