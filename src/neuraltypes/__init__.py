"""neuraltypes: neural types (axes + semantic element types) for PyTorch modules.

Write them as ``typing.Annotated`` annotations on ``forward``::

    Spec = Annotated[Tensor, "B D T", SpectrogramType]

and check wiring statically (the ``neuraltypes_mypy`` plugin) and at call time
(``@typecheck()``). ``import neuraltypes`` does not import torch.
"""

import sys
from typing import TYPE_CHECKING, Any, TypeVar

from ._core import (
    AxisKind,
    AxisKindAbstract,
    AxisSpecError,
    AxisType,
    ElementType,
    NeuralType,
    NeuralTypeComparisonResult,
    NeuralTypeError,
    VoidType,
    reveal_text,
)

if TYPE_CHECKING:
    from ._runtime import Dataset, IterableDataset, Loss, NeuralModule, typecheck

__version__ = "0.3.0"

_T = TypeVar("_T")


def reveal_neural_type(value: _T) -> _T:
    """Show the neural type ``value`` carries, and return ``value`` unchanged.

    mypy's ``reveal_type(x)`` shows a neural tensor as a plain ``Tensor`` (a plugin
    can't change how mypy prints a type); with the ``neuraltypes_mypy`` plugin,
    ``reveal_neural_type(x)`` makes mypy print a note with the neural type it
    follows::

        note: Neural type is Tensor["B D T" SpectrogramType]

    At run time it prints the same line, to stderr, for the tag a tensor carries
    (``@typecheck()`` tags the outputs of checked modules).
    """
    tag = getattr(value, "neural_type", None)
    print(reveal_text(tag.describe() if isinstance(tag, NeuralType) else None), file=sys.stderr)
    return value


_RUNTIME = frozenset({"Dataset", "IterableDataset", "Loss", "NeuralModule", "typecheck"})


def __getattr__(name: str) -> Any:
    # the runtime shim needs torch: import it on first use, not with the package
    if name in _RUNTIME:
        from . import _runtime

        return getattr(_runtime, name)
    raise AttributeError(f"module 'neuraltypes' has no attribute {name!r}")


__all__ = [
    "AxisKind",
    "AxisKindAbstract",
    "AxisSpecError",
    "AxisType",
    "Dataset",
    "ElementType",
    "IterableDataset",
    "Loss",
    "NeuralModule",
    "NeuralType",
    "NeuralTypeComparisonResult",
    "NeuralTypeError",
    "VoidType",
    "__version__",
    "reveal_neural_type",
    "typecheck",
]
