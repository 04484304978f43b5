"""The torch names the plugin hooks, against the rules' table."""

from __future__ import annotations


def test_every_tensor_property_the_rules_know_gets_a_hook() -> None:
    """The plugin hooks tensor attributes by name (TORCH_PROPERTIES), so that
    ``x.shape`` and the like cost nothing; the rules' properties must all be there."""
    import torch

    from neuraltypes._core.ops import OP_NAMES
    from neuraltypes_mypy._names import TORCH_PROPERTIES

    properties = {
        name.partition(".")[2]
        for name in OP_NAMES
        if name.startswith("Tensor.")
        and not callable(getattr(torch.Tensor, name.partition(".")[2], None))
    }
    assert properties == TORCH_PROPERTIES
