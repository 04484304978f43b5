"""Which hook answers which full name: the plugin's dispatch.

mypy asks the plugin, for every name it meets, "is this yours?". The answers, in
the order they are tried (the hooks are in ``_hooks.py``):

=========================  ==============================================  =================
mypy asks                  for                                             hook
=========================  ==============================================  =================
get_type_analyze_hook      ``Annotated`` (also jaxtyping's ``Float``)      ANNOTATED
                           ``torch.Tensor`` (in an alias definition)       TENSOR
                           ``Union``                                       UNION
                           a neural alias (``Spec``)                       ALIAS, PLAIN_ALIAS
                           a module class, under the daemon                DEPEND_ON_FORWARD
get_method_signature_hook  ``<module class>.__call__``                     MODULE_SIGNATURE
get_method_hook            ``torch.nn.modules.<layer>.__call__``           TORCH_LAYER_CALL
                           a torch operation (``Tensor.<name>``)           TORCH_OP
                           ``<module class>.__call__``                     MODULE_CALL
                           a method with neural ports                      FUNCTION_CALL
get_function_hook          ``nn.Sequential``                               SEQUENTIAL
                           ``neuraltypes.reveal_neural_type``              REVEAL
                           the constructor of a layer whose rule reads it  TORCH_LAYER_INIT
                           a torch function (``torch.*``, ``F.*``)         TORCH_OP
                           a function with neural ports                    FUNCTION_CALL
get_attribute_hook         a torch property (``x.T``, ``x.mT``)            TORCH_ATTRIBUTE
=========================  ==============================================  =================

Names in packages that can't define neural types (``_names.SKIP``: the standard
library, torch, numpy, ...) are answered "no" before any lookup: that is what
keeps the plugin cheap, since mypy asks for every name in every annotation and
call. The torch names above are matched first, by prefix.

Each ``decide_*`` function gives the hook (or None) and whether that answer holds
for the rest of a build (``BuildState.answer`` keeps it then, in a plain run).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Final

from mypy.nodes import TypeAlias, TypeInfo
from mypy.types import Instance

from ._names import (
    ANNOTATED_NAMES,
    MODULE,
    REVEAL,
    SEQUENTIAL,
    SKIP,
    TENSOR_NAMES,
    TORCH_NN,
    TORCH_PROPERTIES,
    UNION_NAMES,
    torch_op_name,
)
from ._state import Answer, BuildState, Hook

__all__ = [
    "ANNOTATION_HOOKS",
    "decide_annotation",
    "decide_signature",
    "decide_method",
    "decide_function",
    "decide_attribute",
]

_CALL: Final = ".__call__"

#: annotation forms by full name -> the hook (a name in ``_hooks``) that reads them
ANNOTATION_HOOKS: Final = {
    **dict.fromkeys(ANNOTATED_NAMES, "ANNOTATED"),
    **dict.fromkeys(TENSOR_NAMES, "TENSOR"),
    **dict.fromkeys(UNION_NAMES, "UNION"),
}


def skipped(fullname: str) -> bool:
    """A name in a package that can't define neural types (one set lookup)."""
    return fullname.partition(".")[0] in SKIP


def decide_annotation(state: BuildState, fullname: str) -> Answer:
    """A name in an annotation. A name not yet defined may be defined later (mypy
    analyses a module again until its forward references resolve), and an alias
    may not have its target yet, so those answers are not kept; the rules' own
    forms, skipped packages, classes and complete neural aliases keep their meaning
    for the build (an alias analysed again gets an equal target)."""
    form = ANNOTATION_HOOKS.get(fullname)
    if form is not None:
        return partial(getattr(state.hooks, form), state), True
    if skipped(fullname):
        return None, True
    node = state.node(fullname)
    if isinstance(node, TypeAlias):
        target = node.target
        if isinstance(target, Instance) and target.extra_attrs and not node.alias_tvars:
            if state.fine_grained:
                return partial(state.hooks.ALIAS, state, fullname, target), True
            return partial(state.hooks.PLAIN_ALIAS, state, target), True
    elif isinstance(node, TypeInfo):
        if state.fine_grained and node.has_base(MODULE):
            return partial(state.hooks.DEPEND_ON_FORWARD, state, node), True
        return None, True
    return None, False  # not (yet) a class or a neural alias: asked again


def _module_call(state: BuildState, fullname: str) -> Any:
    """For ``cls.__call__`` of a module class: how its calls are checked
    (``_calls.ModuleCall``), or None (not a module, or nothing to check)."""
    if not fullname.endswith(_CALL):
        return None
    cls = fullname[: -len(_CALL)]
    if skipped(cls) and not cls.startswith(TORCH_NN):
        return None
    node = state.node(cls)
    if not isinstance(node, TypeInfo) or not node.has_base(MODULE):
        return None
    return state.hooks.module_call_of(state, node)


# Calls are decided while mypy checks bodies, when every symbol table of the build
# is complete: an answer holds for the rest of the build.


def decide_signature(state: BuildState, fullname: str) -> Answer:
    """``module(...)``: the signature of ``forward``, for modules that opted in."""
    call = _module_call(state, fullname)
    if call is None:
        return None, True
    return partial(state.hooks.MODULE_SIGNATURE, call, state), True


def decide_method(state: BuildState, fullname: str) -> Answer:
    """A method call: a standard layer's, a torch operation, a module's, or a
    method with neural ports."""
    if fullname.startswith(TORCH_NN) and fullname.endswith(_CALL):
        return partial(state.hooks.TORCH_LAYER_CALL, state), True
    op = torch_op_name(fullname)
    if op is not None:
        return partial(state.hooks.TORCH_OP, op, state), True
    if fullname.endswith(_CALL):
        call = _module_call(state, fullname)
        if call is None or not call.neural:
            return None, True  # nothing to check: the signature hook's return type it is
        return partial(state.hooks.MODULE_CALL, call, state), True
    cls, _, method = fullname.rpartition(".")
    if method.startswith("__") or skipped(cls):
        return None, True
    info = state.node(cls)
    if not isinstance(info, TypeInfo):
        return None, True
    sym = info.get(method)
    node = None if sym is None else sym.node
    return _function_call(state, node, f"{info.name}.{method}"), True


def decide_function(state: BuildState, fullname: str) -> Answer:
    """A function call: ``nn.Sequential``, ``reveal_neural_type``, a standard layer's
    constructor, a torch function, or a function with neural ports."""
    if fullname == SEQUENTIAL:
        return partial(state.hooks.SEQUENTIAL, state), True
    if fullname == REVEAL:
        return partial(state.hooks.REVEAL, state), True
    if fullname.startswith(TORCH_NN):
        if state.hooks.reads_constructor(fullname):
            return partial(state.hooks.TORCH_LAYER_INIT, state), True
        return None, True
    op = torch_op_name(fullname)
    if op is not None:
        return partial(state.hooks.TORCH_OP, op, state), True
    if skipped(fullname):
        return None, True
    node = state.node(fullname)
    if isinstance(node, TypeInfo):
        return None, True
    return _function_call(state, node, None), True


def decide_attribute(state: BuildState, fullname: str) -> Answer:
    """An attribute: a torch property of a tensor (``x.T``)."""
    op = torch_op_name(fullname)
    if op is None or op.rpartition(".")[2] not in TORCH_PROPERTIES:
        return None, True
    return partial(state.hooks.TORCH_ATTRIBUTE, op, state), True


def _function_call(state: BuildState, node: object, owner: str | None) -> Hook | None:
    """A hook for calls of a function with neural ports (its ports read here).
    Messages name a method by the class it was called through (``owner``:
    ``Child.forward`` for ``child.forward(x)``, as the runtime does), a function by
    its qualified name."""
    if node is None:
        return None
    ports = state.hooks.function_ports(state, node)
    if ports is None or not ports.any:
        return None
    return partial(state.hooks.FUNCTION_CALL, ports, owner or ports.owner, state)
