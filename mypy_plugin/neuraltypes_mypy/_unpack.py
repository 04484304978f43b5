"""The items of a typed ``Any`` tuple: ``logits, loss = gpt(idx)``.

A call of a module that did not opt in stays mypy's ``Any`` (see
``BuildState.typed_any``). When its ``forward`` returns a tuple, mypy unpacks that
``Any`` into one new ``Any`` per target, each naming the call's ``Any`` as its
``source_any``, but not which item it is. The item is found from the assignment
itself: a target whose checked type is that very ``Any`` object, at a position of a
tuple target that has as many plain items as the declared tuple, in an assignment
whose value is the call's ``Any``. Anything else (a starred target, another count,
a variable declared before the assignment, whose type mypy keeps) is not followed.
"""

from __future__ import annotations

from typing import Any

from mypy.nodes import (
    AssignmentStmt,
    FuncItem,
    ListExpr,
    StarExpr,
    TupleExpr,
)
from mypy.types import AnyType

from ._branches import statements

__all__ = ["tuple_assignments", "unpacked_item"]


def tuple_assignments(function: FuncItem) -> tuple[AssignmentStmt, ...]:
    """Every assignment to a tuple target (``a, b = ...``) in ``function``."""
    return tuple(
        stmt
        for stmt in statements(function.body)
        if isinstance(stmt, AssignmentStmt)
        and any(isinstance(lvalue, (TupleExpr, ListExpr)) for lvalue in stmt.lvalues)
    )


def unpacked_item(
    ctx: Any,
    assignments: tuple[AssignmentStmt, ...],
    source: AnyType,
    value: AnyType,
    count: int,
) -> int | None:
    """The position of the target that ``value`` was unpacked into from ``source``
    (a tuple of ``count`` items), or None when it can't be told for certain."""
    lookup = ctx.api.lookup_type_or_none
    for stmt in assignments:
        if lookup(stmt.rvalue) is not source:
            continue
        for lvalue in stmt.lvalues:
            if not isinstance(lvalue, (TupleExpr, ListExpr)) or len(lvalue.items) != count:
                continue
            if any(isinstance(item, StarExpr) for item in lvalue.items):
                continue
            for index, item in enumerate(lvalue.items):
                if lookup(item) is value:
                    return index
    return None
