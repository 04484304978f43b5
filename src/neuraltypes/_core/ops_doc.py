"""The propagation tables as markdown (``docs/propagation.md`` shows them, and a
test checks that it shows what the code does)."""

from __future__ import annotations

from .ops_elements import CLASS_AXIS_MEANINGS, describe_meaning
from .ops_losses import CLASS_TARGETS, LOSSES
from .ops_modules import MODULES, Layer
from .ops_rules import Op
from .ops_table import OPS

__all__ = ["propagation_markdown"]

#: family -> what the result's axes are
AXES_OUT: dict[str, str] = {
    "same": "kept",
    "type": "kept (with a literal dtype; `x.type()` gives a str)",
    "unary": "kept",
    "softmax": "kept",
    "binary": "broadcast as torch does, aligned from the right (a conflict is an error)",
    "transpose": "the two dims swapped",
    "permute": "reordered by the literal dims",
    "movedim": "the literal dims moved, the others in order",
    "mT": "the last two dims swapped",
    "T": "reversed (`.t()`: rank 2 or less)",
    "unsqueeze": "a size-1 axis `1` at the literal dim",
    "squeeze": "the dims of size 1 removed (each must be known to be 1 or not)",
    "flatten": "`start_dim`..`end_dim` merged into one (`_`, or the product of fixed sizes)",
    "unflatten": "the dim split into one axis per literal size (`_` for a size not written)",
    "reshape": "one axis per entry of the shape (fixed where literal, `-1` worked out "
    "when the sizes allow, else `_`)",
    "index": "ints drop an axis, slices keep it (kind kept, size from literal bounds), "
    "None adds `1`, `...` keeps the rest",
    "reduce": "the literal `dim` removed (all without one), `1` with `keepdim=True`",
    "argmax": "as a reduction; no `dim`: a scalar",
    "max": "no `dim`: a scalar; with a literal `dim`: (values, indices), reduced; "
    "a tensor as second argument: elementwise",
    "cat": "same axes, joined along the literal dim (size summed when fixed)",
    "matmul": "batch dims broadcast, the contracted dims go: `... n k @ k m -> ... n m`",
    "einsum": "from the literal equation's letters (`...` broadcast)",
    "loss": "a scalar for a literal `reduction` of `mean`/`sum`; CTC with `none`: `B`",
}

_CLASS = "over a `D`/`C` axis (the class axis): "


def element_out(op: Op) -> str:
    """What the result's element is, in words."""
    family = op.family
    if family == "same":
        if op.dtype:
            return "kept; jaxtyping's dtype category: the method's (`x.long()`: `Int64`)"
        return "kept; jaxtyping's dtype category follows a literal dtype"
    if family in ("unary", "reduce"):
        base = "kept" if op.keep and family == "unary" else "unknown"
        return base + (f"; {describe_meaning(op.meaning)}" if op.meaning else "")
    if family in ("softmax", "argmax"):
        if op.meaning in CLASS_AXIS_MEANINGS:
            return _CLASS + describe_meaning(op.meaning) + "; else unknown"
        return "unknown"
    if family == "binary":
        if not op.elements:
            return "unknown"
        if op.elements == ("input",):
            return "the input's"
        return "kept when the operands that have one agree, else unknown"
    if family == "max":
        meanings = describe_meaning(op.meaning) if op.meaning else "none"
        return f"values: unknown ({meanings}); indices: as `argmax`"
    if family == "cat":
        return "kept when the tensors that have one agree, else unknown"
    if family in ("matmul", "einsum"):
        return "unknown"
    if family == "loss":
        return "`LossType`"
    return "kept"


def _short(name: str) -> str:
    """``F.relu`` for ``torch.nn.functional.relu``, ``nn.Linear`` for
    ``torch.nn.modules.linear.Linear``."""
    if name.startswith("torch.nn.modules."):
        return "nn." + name.rpartition(".")[2]
    return name.replace("torch.nn.functional.", "F.")


def _table(rows: list[tuple[str, str, str]], header: tuple[str, str, str]) -> str:
    lines = [f"| {' | '.join(header)} |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def ops_markdown() -> str:
    """One row per rule: the operations that follow it, axes out, element out."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name, op in OPS.items():
        key = (AXES_OUT[op.family], element_out(op))
        groups.setdefault(key, []).append(f"`{_short(name)}`")
    rows = [(", ".join(names), axes, element) for (axes, element), names in groups.items()]
    return _table(rows, ("operations", "axes out", "element out"))


_LAYER_AXES: dict[str, str] = {
    "op": "as the operation",
    "norm": "kept",
    "conv": "channels: the channel axis keeps its kind (size: `out_channels` when literal), "
    "spatial axes keep their kind, not their size",
    "pool": "channels kept, spatial axes keep their kind, not their size",
    "linear": "`... in` -> `... out` (the last axis: `_`, `out_features` when literal)",
    "embedding": "the input's axes plus `_` (`embedding_dim`)",
    "rnn": "(output: the input's axes, the last `_` (hidden size), hidden: none)",
    "attention": "(output: the query's axes, weights: none)",
    "loss": AXES_OUT["loss"],
}


def _layer_input(layer: Layer) -> str:
    if layer.family == "op":
        return f"as `{_short(layer.detail)}`" if layer.detail != "identity" else "anything"
    if layer.family == "loss":
        ports = LOSSES[layer.detail]
        checked = [
            f"{p.name}: "
            + " or ".join(f"`{a}`" if a else "a scalar" for a in p.axes)
            + (f" `{p.element[0].rpartition('.')[2]}`" if p.element else "")
            for p in ports
            if p.axes or p.element
        ]
        target = CLASS_TARGETS.get(layer.detail)
        return "; ".join(checked + ([f"target: {target}"] if target else []))
    if layer.family in ("rnn", "attention"):
        return "`T B D` (`B T D` with a literal `batch_first=True`) or `T D`"
    if layer.family == "linear":
        return "`... in` (in: `in_features` when literal)"
    if layer.family == "embedding":
        return "anything"
    return " or ".join(f"`{a}`" for a in layer.detail.split("|"))


def _layer_element(layer: Layer) -> str:
    if layer.family == "op":
        return "as the operation"
    if layer.family == "norm":
        return "kept"
    return "`LossType`" if layer.family == "loss" else "unknown"


def modules_markdown() -> str:
    """One row per layer: the input it checks, axes out, element out."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for name, layer in MODULES.items():
        key = (_layer_input(layer), _LAYER_AXES[layer.family], _layer_element(layer))
        groups.setdefault(key, []).append(f"`{_short(name)}`")
    lines = ["| layers | input checked | axes out | element out |", "|---|---|---|---|"]
    for (checked, axes, element), names in groups.items():
        lines.append(f"| {', '.join(names)} | {checked} | {axes} | {element} |")
    return "\n".join(lines)


def propagation_markdown() -> str:
    """Both tables, as ``docs/propagation.md`` shows them."""
    return f"### Operations\n\n{ops_markdown()}\n\n### Layers and losses\n\n{modules_markdown()}\n"
