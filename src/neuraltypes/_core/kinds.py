"""Axis kinds: what varying one axis of a tensor means (batch, time, channel, ...).

The values and the labels accepted by :meth:`AxisKind.from_str` are NeMo's, so that
code written against ``nemo.core.neural_types.AxisKind`` keeps working.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["AxisKind", "AxisKindAbstract", "kind_from_label", "KIND_LABELS", "canonical_label"]


class AxisKindAbstract(Enum):
    """Base of axis-kind enums. Subclass it to define your own kinds."""


class AxisKind(AxisKindAbstract):
    """What an axis means. ``Dimension`` and ``Channel`` are the same kind.

    ``Any`` on the expected side accepts an axis of any kind.
    """

    Batch = 0
    Time = 1
    Dimension = 2
    Channel = 2
    Width = 3
    Height = 4
    Any = 5
    Sequence = 6
    FlowGroup = 7
    Singleton = 8

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return self.name.lower()

    def t_with_string(self, text: str) -> bool:
        """True for a ``t_<kind>_`` label naming this kind (NeMo's helper)."""
        return text.startswith("t_") and text.endswith("_") and text[2:-1] == str(self)

    @staticmethod
    def from_str(label: str) -> AxisKind:
        """The kind for a NeMo label: ``B``/``N``/``batch``, ``T``/``time``/``T_*``,
        ``D``/``C``/``channel``, ``W``/``width``, ``H``/``height``, ``S``/``singleton``,
        ``seq``/``sequence``, ``flowgroup``, ``any`` (case-insensitive)."""
        if not isinstance(label, str):
            raise ValueError(f"axis kind label must be a string, got {type(label).__name__}")
        low = label.lower().strip()
        kind = KIND_LABELS.get(low)
        if kind is None and len(low) > 2 and low.startswith("t_"):
            kind = AxisKind.Time
        if kind is None:
            known = ", ".join(sorted(KIND_LABELS))
            raise ValueError(f"Can't create AxisKind from {label!r}: known labels are {known}")
        return kind


#: NeMo's labels (lower case) and the kind each one names.
KIND_LABELS: dict[str, AxisKind] = {
    "b": AxisKind.Batch,
    "n": AxisKind.Batch,
    "batch": AxisKind.Batch,
    "t": AxisKind.Time,
    "time": AxisKind.Time,
    "d": AxisKind.Dimension,
    "c": AxisKind.Dimension,
    "channel": AxisKind.Dimension,
    "w": AxisKind.Width,
    "width": AxisKind.Width,
    "h": AxisKind.Height,
    "height": AxisKind.Height,
    "s": AxisKind.Singleton,
    "singleton": AxisKind.Singleton,
    "seq": AxisKind.Sequence,
    "sequence": AxisKind.Sequence,
    "flowgroup": AxisKind.FlowGroup,
    "any": AxisKind.Any,
}

_CANONICAL: dict[AxisKind, str] = {
    AxisKind.Batch: "B",
    AxisKind.Time: "T",
    AxisKind.Dimension: "D",
    AxisKind.Width: "W",
    AxisKind.Height: "H",
    AxisKind.Singleton: "S",
    AxisKind.Sequence: "seq",
    AxisKind.FlowGroup: "flowgroup",
    AxisKind.Any: "any",
}


def canonical_label(kind: AxisKindAbstract) -> str:
    """The short label an axis string uses for ``kind`` (``B``, ``T``, ``D``, ...)."""
    if isinstance(kind, AxisKind):
        return _CANONICAL[kind]
    return kind.name


def kind_from_label(label: str, *, allow_prefix: bool) -> AxisKind | None:
    """The kind a token of an axis string names, or None for a plain named axis.

    A whole label (``B``, ``time``, ``c``) names its kind. With ``allow_prefix``, a
    token ``X_suffix`` takes its kind from ``X`` when ``X`` is an upper-case kind
    letter (``T_enc``, ``D_in``), a kind word (``time_steps``), or NeMo's ``t_``; a
    lower-case letter prefix (``d_model``, ``n_heads``) stays a plain name.
    """
    kind = KIND_LABELS.get(label.lower())
    if kind is not None or not allow_prefix or "_" not in label:
        return kind
    prefix = label.split("_", 1)[0]
    if not prefix:
        return None
    if len(prefix) == 1:
        if prefix.isupper() or prefix == "t":
            return KIND_LABELS.get(prefix.lower())
        return None
    return KIND_LABELS.get(prefix.lower())
