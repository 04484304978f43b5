"""Every hook the plugin hands to mypy, guarded (see ``_guard.py``).

Each takes the build's state first (``BuildState``, bound with ``functools.partial``
by the dispatch in ``_dispatch.py``), then what the dispatch decided, then mypy's
context. Importing this module imports the rules (``neuraltypes._core``); the
state does it the first time mypy asks for a hook, so warm runs, which ask for
none, never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neuraltypes._core.ops import reads_constructor

from ._calls import (
    depend_on_forward,
    function_call_check,
    function_ports,
    module_call_check,
    module_call_of,
    module_call_signature,
)
from ._guard import (
    default_attr,
    default_return,
    default_signature,
    guard,
    internal_error_text,
    plain_type,
)
from ._read import (
    analyze_annotated,
    analyze_tensor,
    analyze_union,
    expand_alias,
    use_alias,
)
from ._reveal import reveal_neural_type
from ._sequential import sequential_check
from ._torch import torch_attribute, torch_layer_call, torch_layer_init, torch_op

__all__ = [
    "ANNOTATED",
    "TENSOR",
    "UNION",
    "ALIAS",
    "PLAIN_ALIAS",
    "DEPEND_ON_FORWARD",
    "MODULE_SIGNATURE",
    "MODULE_CALL",
    "FUNCTION_CALL",
    "SEQUENTIAL",
    "REVEAL",
    "TORCH_OP",
    "TORCH_ATTRIBUTE",
    "TORCH_LAYER_INIT",
    "TORCH_LAYER_CALL",
    "function_ports",
    "module_call_of",
    "reads_constructor",
    "failed",
]

ANNOTATED = guard(analyze_annotated, plain_type)
TENSOR = guard(analyze_tensor, plain_type)
UNION = guard(analyze_union, plain_type)
ALIAS = guard(expand_alias, plain_type)
PLAIN_ALIAS = guard(use_alias, plain_type)
DEPEND_ON_FORWARD = guard(depend_on_forward, plain_type)
MODULE_SIGNATURE = guard(module_call_signature, default_signature)
MODULE_CALL = guard(module_call_check, default_return)
FUNCTION_CALL = guard(function_call_check, default_return)
SEQUENTIAL = guard(sequential_check, default_return)
REVEAL = guard(reveal_neural_type, default_return)
TORCH_OP = guard(torch_op, default_return)
TORCH_ATTRIBUTE = guard(torch_attribute, default_attr)
TORCH_LAYER_INIT = guard(torch_layer_init, default_return)
TORCH_LAYER_CALL = guard(torch_layer_call, default_return)

#: what each kind of hook (``get_<kind>_hook``) answers when it can't do better:
#: mypy's own answer
FALLBACKS: dict[str, Callable[[Any], Any]] = {
    "type_analyze": plain_type,
    "method_signature": default_signature,
    "function": default_return,
    "method": default_return,
    "attribute": default_attr,
}


def failed(where: str, err: BaseException, kind: str, ctx: Any) -> Any:
    """The hook for a name whose hook could not be decided (a plugin bug): one
    neural-internal error where the name is used, and mypy's own answer."""
    from ._codes import INTERNAL

    ctx.api.fail(internal_error_text(where, err), ctx.context, code=INTERNAL)
    return FALLBACKS[kind](ctx)
