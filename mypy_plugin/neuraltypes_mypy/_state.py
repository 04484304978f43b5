"""What the plugin remembers while mypy checks: one :class:`BuildState` per plugin
instance, handed to the hooks that need it (never module-level state)."""

from __future__ import annotations

from mypy.nodes import FuncItem
from mypy.plugin import AttributeContext, FunctionContext, MethodContext
from mypy.types import AnyType, Type, get_proper_type

from ._carry import Neural

__all__ = ["BuildState"]

CallContext = FunctionContext | MethodContext


class BuildState:
    """Per-build data of the plugin.

    ``typed Any`` values: a call of a module that did not opt in to neuraltypes (a
    plain ``nn.Module`` whose ``forward`` has jaxtyping annotations) keeps mypy's
    own type, ``Any``, so that mypy reports nothing new about code that never opted
    in. The plugin still knows the neural type ``forward`` declares for it: it hands
    mypy a new ``Any`` object for the call and remembers that object's neural type.
    mypy passes the object on unchanged through plain assignments and as an
    argument, so a later call in the same function finds it. Only values made in
    the function being checked are remembered (mypy checks a function's body in one
    go, on every run that checks it): what flows across functions (attributes,
    globals) may come from the cache, where the object is another, so it is not
    followed at all, and cold and warm runs agree.
    """

    def __init__(self) -> None:
        self._function: FuncItem | None = None
        #: id(Any object) -> (the object, kept alive so the id is not reused; its neural type)
        self._anys: dict[int, tuple[AnyType, Neural]] = {}

    def typed_any(self, ctx: CallContext, neural: Neural) -> Type:
        """A new ``Any`` for a call's value (mypy's own ``Any``, copied), remembered
        as carrying ``neural``."""
        default = get_proper_type(ctx.default_return_type)
        if not isinstance(default, AnyType):
            return ctx.default_return_type
        value = default.copy_modified()
        function = ctx.api.scope.current_function()  # type: ignore[attr-defined]
        if function is not self._function:  # a new function: forget the last one's
            self._function = function
            self._anys = {}
        self._anys[id(value)] = (value, neural)
        return value

    def any_neural(self, ctx: CallContext | AttributeContext, value: AnyType) -> Neural | None:
        """The neural type remembered for an ``Any`` value made in this function."""
        found = self._anys.get(id(value))
        if found is None or found[0] is not value:
            return None
        if ctx.api.scope.current_function() is not self._function:  # type: ignore[attr-defined]
            return None
        return found[1]
