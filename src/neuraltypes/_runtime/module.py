"""The three kinds of neural module: NeuralModule, Dataset/IterableDataset, Loss."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.reduction import ForkingPickler
from typing import Any, ClassVar

import torch
from torch.multiprocessing import reductions
from torch.utils import data
from typing_extensions import Self

from .._core import NeuralType
from ..elements import LossType
from .ports import PORTS_STATE, Port, Ports, intern
from .typecheck import DERIVED_PROPERTIES, ports_of

__all__ = ["NeuralModule", "Dataset", "IterableDataset", "Loss"]

_DERIVED: dict[tuple[type, str], tuple[dict[str, NeuralType], dict[str, NeuralType]]] = {}


def _declared(port: Port) -> NeuralType:
    ntype = port.type.ntype
    if port.optional == ntype.optional:
        return ntype
    return ntype.with_parts(ntype.axes, port.optional)


def derived_types(cls: type, method: str) -> tuple[dict[str, NeuralType], dict[str, NeuralType]]:
    """Input and output ports of ``cls.<method>``, from its annotations (or the
    overrides given to its ``@typecheck()``); cached per class."""
    key = (cls, method)
    found = _DERIVED.get(key)
    if found is None:
        ports = ports_of(getattr(cls, method, None)) or Ports((), (), None)
        outputs = {p.name: _declared(p) for p in ports.output_ports}
        defaults: Mapping[str, NeuralType] | None = getattr(
            cls, "_neuraltypes_default_outputs", None
        )
        if not outputs and defaults and method == "forward":
            outputs = dict(defaults)
        found = _DERIVED[key] = ({p.name: _declared(p) for p in ports.inputs}, outputs)
    return found


class _ReadsPortsAgain:
    """NeMo-style ports (``input_types``/``output_types`` properties) may depend on the
    instance's attributes (``m.time_major = True``): assigning an attribute renews a
    token, and the next checked call reads the ports again. Assigning a tensor (a
    cache, a buffer) does not, so that a ``forward`` that keeps a tensor does not make
    every call read them."""

    _neuraltypes_ports_state: object = None

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        # under torch.compile nothing is checked, and a new object would break the graph
        if not isinstance(value, torch.Tensor) and not torch.compiler.is_compiling():
            object.__setattr__(self, PORTS_STATE, object())


class NeuralModule(_ReadsPortsAgain, torch.nn.Module):
    """A ``torch.nn.Module`` with neural types.

    Annotate ``forward`` (``Annotated[Tensor, "B D T", SpectrogramType]``) and decorate
    it with ``@typecheck()``; ``input_types``/``output_types`` are then derived from the
    annotations. NeMo-style modules may instead override the two properties.
    """

    _frozen_grad_map: dict[str, bool] | None = None
    #: TorchScript compiles a module's properties; the port properties stay Python,
    #: also where a subclass overrides them NeMo-style (torch.jit.script reads this
    #: list, inherited, for every module class)
    __jit_unused_properties__ = ["input_types", "output_types"]

    @property
    def input_types(self) -> dict[str, NeuralType] | None:
        """Ordered ``{port name: NeuralType}`` of ``forward``'s inputs (None: none)."""
        return dict(derived_types(type(self), "forward")[0]) or None

    @property
    def output_types(self) -> dict[str, NeuralType] | None:
        """Ordered ``{port name: NeuralType}`` of ``forward``'s outputs (None: none)."""
        return dict(derived_types(type(self), "forward")[1]) or None

    def freeze(self) -> None:
        """Stop training every parameter and switch to eval mode.

        The previous ``requires_grad`` of each parameter is kept for :meth:`unfreeze`;
        a second ``freeze()`` does not overwrite it (NeMo's did).
        """
        if self._frozen_grad_map is None:
            self._frozen_grad_map = {n: p.requires_grad for n, p in self.named_parameters()}
        for param in self.parameters():
            param.requires_grad_(False)
        self.eval()

    def unfreeze(self, partial: bool = False) -> None:
        """Train again and switch to train mode.

        With ``partial=True`` only the parameters that were trainable before
        :meth:`freeze` become trainable (the others stay as they are); otherwise every
        parameter does.
        """
        saved = self._frozen_grad_map or {}
        for name, param in self.named_parameters():
            if not partial or saved.get(name, False):
                param.requires_grad_(True)
        self._frozen_grad_map = None
        self.train()

    @contextlib.contextmanager
    def as_frozen(self) -> Iterator[Self]:
        """Frozen and in eval mode inside the block; exactly as before afterwards
        (every parameter's ``requires_grad``, every sub-module's mode)."""
        modes = [(m, m.training) for m in self.modules()]
        grads = [(p, p.requires_grad) for p in self.parameters()]
        saved = self._frozen_grad_map
        self.freeze()
        try:
            yield self
        finally:
            for param, grad in grads:
                param.requires_grad_(grad)
            for module, training in modes:
                module.training = training
            self._frozen_grad_map = saved

    @property
    @torch.jit.unused  # torch.jit.script compiles properties; this one stays Python
    def num_weights(self) -> int:
        """The number of trainable parameter elements."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad)


class Loss(NeuralModule):
    """A neural module computing a loss: typed inputs; the output is
    ``NeuralType(None, LossType())`` unless ``forward`` annotates another."""

    _neuraltypes_default_outputs: ClassVar[Mapping[str, NeuralType]] = {
        "loss": NeuralType(None, LossType())
    }


class _TypedBatches(_ReadsPortsAgain):
    """Ports of a dataset: no inputs; outputs from ``collate_fn``'s return annotation."""

    @property
    def input_types(self) -> dict[str, NeuralType] | None:
        return None

    @property
    def output_types(self) -> dict[str, NeuralType] | None:
        """Ordered ``{port name: NeuralType}`` of the batches ``collate_fn`` returns."""
        return dict(derived_types(type(self), "collate_fn")[1]) or None


class Dataset(_TypedBatches, data.Dataset[Any]):
    """A ``torch.utils.data.Dataset`` whose batches are typed by the return annotation
    of its ``collate_fn`` (decorate it with ``@typecheck()`` to check and tag them),
    or by an ``output_types`` property, NeMo's way.

    The tags stay on batches made in ``DataLoader`` worker processes
    (``num_workers > 0``, every start method). A tensor operation makes a new tensor,
    which carries no tag: so do ``.to(device)`` to another device and the loader's
    ``pin_memory=True``, after which element types are no longer checked (shapes are).
    """


class IterableDataset(_TypedBatches, data.IterableDataset[Any]):
    """An iterable dataset typed like :class:`Dataset`."""


# -- batches from DataLoader workers -------------------------------------------------
#
# A worker process (num_workers > 0) sends its batches to the main process through
# torch's multiprocessing pickler, whose tensor reducer keeps the data and drops
# the attributes, the ``neural_type`` tag among them. The reducer below wraps
# torch's: a tagged tensor is rebuilt by torch and then tagged again. It is
# registered wherever the runtime is imported, which includes every worker: a
# worker unpickles the dataset or its collate_fn, and so imports their module.


_Reduced = tuple[Callable[..., torch.Tensor], tuple[Any, ...]]
_torch_reduce: Callable[[torch.Tensor], _Reduced] = reductions.reduce_tensor


def _reduce_tensor(tensor: torch.Tensor) -> _Reduced:
    rebuild, args = _torch_reduce(tensor)
    tag = getattr(tensor, "neural_type", None)
    if not isinstance(tag, NeuralType):
        return rebuild, args
    return _rebuild_tagged, (rebuild, args, tag)


def _rebuild_tagged(
    rebuild: Callable[..., torch.Tensor], args: tuple[Any, ...], tag: NeuralType
) -> torch.Tensor:
    tensor = rebuild(*args)
    tensor.neural_type = intern(tag)  # type: ignore[attr-defined]
    return tensor


ForkingPickler.register(torch.Tensor, _reduce_tensor)


DERIVED_PROPERTIES.update(
    cls.__dict__[name]
    for cls in (NeuralModule, _TypedBatches)
    for name in ("input_types", "output_types")
)
