"""The per-signature checker: built once, then run on every call.

All rules come from the core: ``check_connection`` for tagged values,
``plan_ports``/``check_shape`` for shapes and size bindings, ``Mismatch.render``
for the wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from .._core import (
    NEURAL_PORT,
    NEURAL_SPEC,
    Mismatch,
    NeuralType,
    NeuralTypeError,
    PortShape,
    ShapeProblem,
    ShapeSpecError,
    check_connection,
    check_shape,
    plan_ports,
    where_port,
    where_return,
)
from .annotations import PortSpec, list_depth

__all__ = ["SignatureChecker", "describe_found"]

_MISSING = object()
_Tensor = torch.Tensor


@dataclass
class _Port:
    name: str
    position: int | None
    required: bool
    leaf: NeuralType  # the type of each tensor (list axes removed)
    depth: int  # nesting depth of lists
    plan: PortShape | None
    where: str
    check_tags: bool
    verdicts: dict[int, tuple[NeuralType, tuple[Mismatch, ...]]] = field(default_factory=dict)


def describe_found(value: torch.Tensor, tag: object) -> str:
    shape = tuple(value.shape)
    if isinstance(tag, NeuralType):
        return f"{tag.describe()}, shape {shape}"
    return f"a tensor of shape {shape}"


class SignatureChecker:
    """Checks the inputs and outputs of one function against its ports."""

    def __init__(
        self,
        owner: str,
        inputs: Sequence[PortSpec],
        outputs: Sequence[PortSpec],
        param_names: Sequence[str],
        var_keyword: bool,
        required: frozenset[str] = frozenset(),
        offset: int = 0,
    ) -> None:
        """``offset``: positional arguments before the first port (1 for ``self``)."""
        self.owner = owner
        self.names = frozenset(param_names)
        self.var_keyword = var_keyword
        leaves = [(p, _leaf(p.type)) for p in (*inputs, *outputs)]
        shaped = [(p.name, leaf.axes) for p, leaf in leaves if leaf.axes is not None]
        try:
            plans = iter(plan_ports(owner, shaped))
        except ShapeSpecError as err:
            raise NeuralTypeError(str(err), code=NEURAL_SPEC) from None
        ports = []
        for i, (spec, leaf) in enumerate(leaves):
            is_input = i < len(inputs)
            ports.append(
                _Port(
                    spec.name,
                    None if spec.position is None else spec.position + offset,
                    spec.name in required and not spec.type.optional,
                    leaf,
                    list_depth(spec.type),
                    next(plans) if leaf.axes is not None else None,
                    where_port(owner, spec.name) if is_input else where_return(owner, spec.name),
                    leaf != NeuralType(),
                )
            )
        self.inputs = tuple(ports[: len(inputs)])
        self.outputs = tuple(ports[len(inputs) :])

    # -- inputs ---------------------------------------------------------------

    def check_inputs(
        self, args: Sequence[Any], kwargs: Mapping[str, Any], semantic: bool = True
    ) -> dict[str, Any]:
        if kwargs and not self.var_keyword:
            for key in kwargs:
                if key not in self.names:
                    raise NeuralTypeError(
                        f'{self.owner}: unknown port "{key}"; its ports are '
                        f"{', '.join(sorted(self.names))}",
                        code=NEURAL_PORT,
                    )
        env: dict[str, Any] = {}
        nargs = len(args)
        for port in self.inputs:
            pos = port.position
            value = (
                args[pos] if pos is not None and pos < nargs else kwargs.get(port.name, _MISSING)
            )
            if value is _MISSING or value is None:
                if port.required:
                    what = "is missing" if value is _MISSING else "is None"
                    raise NeuralTypeError(
                        f"{port.where}: required port {what} (expected {port.leaf.describe()})",
                        code=NEURAL_PORT,
                    )
                continue
            if not self._fast(port, value, env, semantic):
                self._check(port, value, env, semantic, 0)
        return env

    # -- outputs --------------------------------------------------------------

    def check_outputs(self, result: Any, env: dict[str, Any], semantic: bool = True) -> Any:
        outputs = self.outputs
        if not outputs:
            return result
        if len(outputs) == 1:
            values: Sequence[Any] = (result,)
        elif isinstance(result, (tuple, list)) and len(result) == len(outputs):
            values = result
        else:
            got = f"{len(result)} values" if isinstance(result, (tuple, list)) else "one value"
            raise NeuralTypeError(
                f"{where_return(self.owner)}: returned {got}, expected {len(outputs)} "
                f"({', '.join(p.name for p in outputs)})",
                code=NEURAL_PORT,
            )
        for port, value in zip(outputs, values):
            if value is None:
                continue
            if not self._fast(port, value, env, semantic):
                self._check(port, value, env, semantic, 0)
            if port.check_tags:
                if port.depth == 0:
                    value.neural_type = port.leaf
                else:
                    _tag(value, port.leaf, port.depth)
        return result

    # -- one value ------------------------------------------------------------

    @staticmethod
    def _fast(port: _Port, value: Any, env: dict[str, Any], semantic: bool) -> bool:
        """The common case in one step: a plain tensor port, a value whose tag (if
        any) is known to fit. False sends the value to :meth:`_check`."""
        if port.depth or not isinstance(value, _Tensor):
            return False
        tag = getattr(value, "neural_type", None)
        if tag is not None and semantic and port.check_tags:
            cached = port.verdicts.get(id(tag))
            if cached is None or cached[0] is not tag or cached[1]:
                return False
        plan = port.plan
        if plan is not None:
            problem = check_shape(plan, value.shape, env)
            if problem is not None:
                raise _shape_error(port, value, tag, problem)
        return True

    def _check(
        self, port: _Port, value: Any, env: dict[str, Any], semantic: bool, level: int
    ) -> None:
        if level < port.depth:
            if not isinstance(value, (list, tuple)):
                raise NeuralTypeError(
                    f"{port.where}: expected a list (nesting level {level + 1} of "
                    f"{port.depth}), got {type(value).__name__}",
                    code=NEURAL_PORT,
                )
            for item in value:
                self._check(port, item, env, semantic, level + 1)
            return
        if not isinstance(value, _Tensor):
            raise NeuralTypeError(
                f"{port.where}: expected a tensor ({port.leaf.describe()}), "
                f"got {type(value).__name__}",
                code=NEURAL_PORT,
            )
        tag = getattr(value, "neural_type", None)
        if semantic and tag is not None and port.check_tags:
            cached = port.verdicts.get(id(tag))
            if cached is None or cached[0] is not tag:
                mismatches = (
                    check_connection(tag, port.leaf) if isinstance(tag, NeuralType) else ()
                )
                port.verdicts[id(tag)] = cached = (tag, mismatches)
            if cached[1]:
                raise _error(port, cached[1], value, tag)
        if port.plan is not None:
            problem = check_shape(port.plan, value.shape, env)
            if problem is not None:
                raise _shape_error(port, value, tag, problem)


def _shape_error(
    port: _Port, value: torch.Tensor, tag: Any, problem: ShapeProblem
) -> NeuralTypeError:
    found = describe_found(value, tag)
    mismatch = Mismatch(problem.code, problem.problem, port.leaf.describe(), found)
    return NeuralTypeError(mismatch.render(port.where), (mismatch,))


def _error(
    port: _Port, mismatches: tuple[Mismatch, ...], value: torch.Tensor, tag: Any
) -> NeuralTypeError:
    found = describe_found(value, tag)
    shown = [Mismatch(m.code, m.problem, m.expected, found, m.hint) for m in mismatches]
    text = "; ".join(m.render(port.where) for m in shown[:1]) + "".join(
        f"; also {m.problem}" for m in shown[1:]
    )
    return NeuralTypeError(text, shown)


def _leaf(ntype: NeuralType) -> NeuralType:
    depth = list_depth(ntype)
    if depth == 0 or ntype.axes is None:
        return NeuralType(ntype.axes, ntype.elements_type, ntype.optional)
    return NeuralType(ntype.axes[depth:], ntype.elements_type, ntype.optional)


def _tag(value: Any, ntype: NeuralType, depth: int) -> None:
    if depth:
        if isinstance(value, (list, tuple)):
            for item in value:
                _tag(item, ntype, depth - 1)
        return
    if isinstance(value, _Tensor):
        value.neural_type = ntype  # type: ignore[attr-defined]
