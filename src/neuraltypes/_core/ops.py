"""How neural types flow through torch: operations, standard layers and losses.

The mypy plugin (and, for its messages, the runtime) asks two questions here:

- :func:`propagate`: the neural type of ``op(*args, **kwargs)`` for an operation
  in :data:`OPS` (``"torch.nn.functional.log_softmax"``, ``"Tensor.transpose"``,
  ``"Tensor.__add__"``, the property ``"Tensor.T"``);
- :func:`propagate_module`: the same for a call of a torch layer or loss in
  :data:`MODULES` (``"torch.nn.modules.linear.Linear"``), given the literal
  arguments of its constructor where they are known.

Arguments are :class:`TensorType` for tensors (:data:`UNKNOWN_TENSOR` for a plain
one) and literals for the rest (see :data:`Arg`): anything else is
:data:`NOT_LITERAL`, or :data:`SCALAR` for a number of unknown value. The answer
is an :class:`Outcome`: the result's type (None: not decided, a plain ``Tensor``)
and the problems to report. A rule fires only where its result is certain.

Do not call these for a call with ``*args`` or ``**kwargs`` unpacking: its
arguments are not known, and neither is its result.

``python -m neuraltypes._core.ops`` prints the tables of ``docs/propagation.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .ops_losses import loss_rule
from .ops_model import (
    NOT_DECIDED,
    NOT_LITERAL,
    SCALAR,
    UNKNOWN_TENSOR,
    Arg,
    Dtype,
    Outcome,
    Problem,
    Result,
    TensorType,
)
from .ops_modules import MODULES, propagate_layer
from .ops_rules import RULES, bind, known_tensor, where_operation
from .ops_shape_rules import SHAPE_RULES
from .ops_table import OPS

__all__ = [
    "Arg",
    "Dtype",
    "MODULES",
    "MODULE_NAMES",
    "NOT_DECIDED",
    "NOT_LITERAL",
    "OPS",
    "OP_NAMES",
    "Outcome",
    "Problem",
    "Result",
    "SCALAR",
    "TensorType",
    "UNKNOWN_TENSOR",
    "propagate",
    "propagate_module",
    "propagation_markdown",
    "reads_constructor",
    "where_operation",
]

#: the full names :func:`propagate` knows (a hook can return at once for others)
OP_NAMES: frozenset[str] = frozenset(OPS)
#: the full class names :func:`propagate_module` knows
MODULE_NAMES: frozenset[str] = frozenset(MODULES)

_ALL_RULES = {**RULES, **SHAPE_RULES, "loss": loss_rule}

_NO_KWARGS: Mapping[str, Arg] = {}


def _carries_type(values: Sequence[Arg]) -> bool:
    """Whether some argument (or an item of a tuple argument) is a tensor with a
    known type: without one, no rule has anything to propagate."""
    for value in values:
        if isinstance(value, TensorType):
            if not value.is_unknown:
                return True
        elif isinstance(value, tuple) and _carries_type(value):
            return True
    return False


def propagate(
    op: str, args: Sequence[Arg] = (), kwargs: Mapping[str, Arg] | None = None
) -> Outcome:
    """The neural type of ``op(*args, **kwargs)``.

    Args:
        op: the operation's full name, a key of :data:`OPS`. For a method or
            property, ``args[0]`` is the tensor it is called on.
        args: the positional arguments (see :data:`Arg`).
        kwargs: the keyword arguments.

    Returns:
        The result's type and the conflicts found; :data:`NOT_DECIDED` for an
        operation not in the table, arguments that do not bind to its parameters,
        or anything the rules cannot be certain of.
    """
    rule = OPS.get(op)
    kwargs = _NO_KWARGS if kwargs is None else kwargs
    if rule is None or not (_carries_type(args) or _carries_type(tuple(kwargs.values()))):
        return NOT_DECIDED
    bound = bind(rule.params, args, kwargs)
    if bound is None:
        return NOT_DECIDED
    return _ALL_RULES[rule.family](op, rule, bound)


def propagate_module(
    module: str,
    init: tuple[Sequence[Arg], Mapping[str, Arg]] | None,
    args: Sequence[Arg] = (),
    kwargs: Mapping[str, Arg] | None = None,
) -> Outcome:
    """The neural type of ``layer(*args, **kwargs)`` for an instance of ``module``.

    Args:
        module: the layer's full class name, a key of :data:`MODULES`.
        init: the positional and keyword arguments of the constructor call that
            made the layer, or None when that call is not known (then a result
            that depends on it, such as ``Linear``'s output size or ``LSTM``'s
            ``batch_first`` layout, is not decided).
        args: the arguments of the call (not the layer itself).
        kwargs: its keyword arguments.
    """
    kwargs = _NO_KWARGS if kwargs is None else kwargs
    if module not in MODULES or not (_carries_type(args) or _carries_type(tuple(kwargs.values()))):
        return NOT_DECIDED
    found = propagate_layer(module, init, args, kwargs)
    if isinstance(found, Outcome):
        return found
    layer, init_bound, bound = found
    if layer.detail == "identity":
        tensor = known_tensor(bound.get("input"))
        return NOT_DECIDED if tensor is None else Outcome(tensor)
    extra: dict[str, Arg] = {}
    if "dim" in layer.init:
        extra["dim"] = NOT_LITERAL if init_bound is None else init_bound.get("dim")
    return propagate(layer.detail, (bound.get("input"),), extra)


def reads_constructor(module: str) -> bool:
    """Whether the rule of ``module`` (a key of :data:`MODULES`) reads the arguments
    of the constructor call that made the layer (``nn.Linear(256, 80)``'s output
    size); an activation's or a dropout's does not."""
    layer = MODULES.get(module)
    return layer is not None and layer.init != ("*args",)


def propagation_markdown() -> str:
    """The tables of ``docs/propagation.md`` (imported on demand: only the docs and
    their test need them)."""
    from .ops_doc import propagation_markdown as markdown

    return markdown()


if __name__ == "__main__":  # pragma: no cover
    print(propagation_markdown())
