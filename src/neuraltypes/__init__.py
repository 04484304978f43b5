"""neuraltypes: neural types (axes + semantic element types) for PyTorch modules.

Write them as ``typing.Annotated`` annotations on ``forward``::

    Spec = Annotated[Tensor, "B D T", SpectrogramType]

and check wiring statically (the ``neuraltypes_mypy`` plugin) and at call time
(``@typecheck()``). ``import neuraltypes`` does not import torch.
"""

from typing import TYPE_CHECKING, Any

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
)

if TYPE_CHECKING:
    from ._runtime import Dataset, IterableDataset, Loss, NeuralModule, typecheck

__version__ = "0.3.0"

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
    "typecheck",
]
