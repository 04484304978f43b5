"""Full names the plugin dispatches on (no imports: loading the plugin stays cheap)."""

ANNOTATED_NAMES = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
TENSOR_NAMES = frozenset({"torch._tensor.Tensor", "torch.Tensor"})
UNION_NAMES = frozenset({"typing.Union", "typing_extensions.Union"})
SEQUENTIAL = "torch.nn.modules.container.Sequential"
MODULE = "torch.nn.modules.module.Module"
#: torch's own modules: calls still go to their forward
TORCH_NN = "torch.nn.modules."
#: names that can't be neural: answered "not mine" before any lookup
SKIP = (
    "builtins.",
    "typing.",
    "typing_extensions.",
    "torch.",
    "collections.",
    "abc.",
    "enum.",
    "os.",
    "numpy.",
    "jaxtyping.",
    "mypy_extensions.",
    "_typeshed.",
    "functools.",
    "dataclasses.",
    "types.",
)
