"""A variable assigned in a branch: after the branching statement, its value is
one of several, and mypy's type for it shows one of them.

At the end of an ``if`` (or a loop, a ``try``, a ``match``) mypy's binder makes a
variable's type the union of its types at the end of each path, and simplifies
it: two Tensors are one type to mypy, whatever neural types they carry, so the
union is one of them, and the neural type it shows is one path's. After::

    if self.channels_last:
        x = x.transpose(1, 2)
    decoder(x)

``x`` may be either layout: the plugin takes it as carrying no neural type. A
later assignment at the function's top level (``x = proj(x)``) makes the value
certain again. Inside the branches the binder is exact, and so is the plugin.

A test of a variable's dtype is a branch too: inside ``if image.dtype ==
torch.bool:`` (and its ``else``), the code has said that the declared dtype may not
hold, so the variable's dtype is not checked there (its axes and element are).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mypy.nodes import (
    AssignmentStmt,
    Block,
    CallExpr,
    ComparisonExpr,
    Expression,
    ForStmt,
    FuncItem,
    IfStmt,
    ListExpr,
    MatchStmt,
    MemberExpr,
    NameExpr,
    OperatorAssignmentStmt,
    OpExpr,
    StarExpr,
    Statement,
    TryStmt,
    TupleExpr,
    UnaryExpr,
    WhileStmt,
    WithStmt,
)

from ._state import BuildState

__all__ = ["assigned_in_a_branch", "dtype_tested", "statements"]

#: statements after which a variable assigned inside them has one of several values
_BRANCHING = (IfStmt, ForStmt, WhileStmt, TryStmt, MatchStmt)
#: what a condition reads of a tensor to test its dtype (``x.dtype``, ``x.is_floating_point()``)
_DTYPE_TESTS = frozenset({"dtype", "is_floating_point", "is_complex"})


class _Assignments:
    """Where a function assigns its variables: the line spans of the branching
    statements that assign each name, the lines of its top-level assignments, and
    the line spans of the ``if`` statements that test each name's dtype."""

    __slots__ = ("branches", "resets", "dtype_tests")

    def __init__(self) -> None:
        self.branches: dict[str, list[tuple[int, int]]] = {}
        self.resets: dict[str, list[int]] = {}
        self.dtype_tests: dict[str, list[tuple[int, int]]] = {}


def assigned_in_a_branch(ctx: Any, state: BuildState, expr: NameExpr) -> bool:
    """Whether the value of the variable ``expr`` depends on which path ran: a
    branching statement before ``expr`` assigns it, and no top-level assignment
    since has (see the module's docstring)."""
    found = _of_function(ctx, state)
    if found is None:
        return False
    spans = found.branches.get(expr.name)
    if not spans:
        return False
    line = expr.line
    resets = found.resets.get(expr.name, ())
    return any(
        last < line and not any(last < reset < line for reset in resets) for _, last in spans
    )


def dtype_tested(ctx: Any, state: BuildState, expr: NameExpr) -> bool:
    """Whether ``expr`` is inside an ``if`` statement whose condition tests the
    variable's dtype (see the module's docstring)."""
    found = _of_function(ctx, state)
    if found is None:
        return False
    spans = found.dtype_tests.get(expr.name, ())
    return any(first <= expr.line <= last for first, last in spans)


def statements(block: Block) -> Iterator[Statement]:
    """The statements of ``block`` and of the blocks nested in them (not those of
    nested functions or classes)."""
    for stmt in block.body:
        yield stmt
        for inner in blocks_of(stmt):
            yield from statements(inner)


def _of_function(ctx: Any, state: BuildState) -> _Assignments | None:
    """The assignments of the function being checked (read once per function)."""
    function = ctx.api.scope.current_function()
    if not isinstance(function, FuncItem):
        return None
    return state.remembered("assignments", function, _assignments)


def _assignments(function: FuncItem) -> _Assignments:
    found = _Assignments()
    for stmt in statements(function.body):
        _add_branch(stmt, found)
    if found.branches:  # then the top-level assignments of the names they assign
        for stmt in function.body.body:
            if isinstance(stmt, (AssignmentStmt, OperatorAssignmentStmt)):
                for name in _assigned_here(stmt):
                    if name in found.branches:
                        found.resets.setdefault(name, []).append(stmt.line)
    return found


def _add_branch(stmt: Statement, found: _Assignments) -> None:
    """Record what ``stmt`` assigns, when it branches, and what it tests the dtype of,
    when it is an ``if``."""
    span = (stmt.line, stmt.end_line or stmt.line)
    if isinstance(stmt, _BRANCHING):
        for name in _assigned(stmt):
            found.branches.setdefault(name, []).append(span)
    if isinstance(stmt, IfStmt):
        tested: set[str] = set()
        for condition in stmt.expr:
            _dtype_tests(condition, tested)
        for name in tested:
            found.dtype_tests.setdefault(name, []).append(span)


def _dtype_tests(expr: Expression, names: set[str]) -> None:
    """Add the variables whose dtype the condition ``expr`` tests to ``names``."""
    if isinstance(expr, MemberExpr):
        if expr.name in _DTYPE_TESTS and isinstance(expr.expr, NameExpr):
            names.add(expr.expr.name)
    elif isinstance(expr, ComparisonExpr):
        for operand in expr.operands:
            _dtype_tests(operand, names)
    elif isinstance(expr, OpExpr):
        _dtype_tests(expr.left, names)
        _dtype_tests(expr.right, names)
    elif isinstance(expr, UnaryExpr):
        _dtype_tests(expr.expr, names)
    elif isinstance(expr, CallExpr):
        _dtype_tests(expr.callee, names)
        for arg in expr.args:
            _dtype_tests(arg, names)


def blocks_of(stmt: Statement) -> list[Block]:
    """The blocks directly inside a statement (not those of nested functions)."""
    if isinstance(stmt, IfStmt):
        return [*stmt.body, *([stmt.else_body] if stmt.else_body else [])]
    if isinstance(stmt, (ForStmt, WhileStmt)):
        return [stmt.body, *([stmt.else_body] if stmt.else_body else [])]
    if isinstance(stmt, TryStmt):
        extra = [b for b in (stmt.else_body, stmt.finally_body) if b is not None]
        return [stmt.body, *stmt.handlers, *extra]
    if isinstance(stmt, WithStmt):
        return [stmt.body]
    if isinstance(stmt, MatchStmt):
        return list(stmt.bodies)
    return []


def _target_names(target: Expression) -> list[str]:
    if isinstance(target, NameExpr):
        return [target.name]
    if isinstance(target, (TupleExpr, ListExpr)):
        return [name for item in target.items for name in _target_names(item)]
    if isinstance(target, StarExpr):
        return _target_names(target.expr)
    return []


def _assigned(stmt: Statement) -> set[str]:
    """The names ``stmt`` assigns, anywhere inside it (not in nested functions and
    classes: their names are their own)."""
    names = set(_assigned_here(stmt))
    for block in blocks_of(stmt):
        for inner in statements(block):
            names.update(_assigned_here(inner))
    return names


def _assigned_here(stmt: Statement) -> list[str]:
    """The names ``stmt`` itself assigns (not the statements inside it)."""
    if isinstance(stmt, AssignmentStmt):
        return [name for target in stmt.lvalues for name in _target_names(target)]
    if isinstance(stmt, OperatorAssignmentStmt):
        return _target_names(stmt.lvalue)
    if isinstance(stmt, ForStmt):
        return _target_names(stmt.index)
    if isinstance(stmt, WithStmt):
        return [name for item in stmt.target if item is not None for name in _target_names(item)]
    return []
