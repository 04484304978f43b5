"""Full names the plugin dispatches on (no imports: loading the plugin stays cheap)."""

ANNOTATED_NAMES = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
TENSOR_NAMES = frozenset({"torch._tensor.Tensor", "torch.Tensor"})
UNION_NAMES = frozenset({"typing.Union", "typing_extensions.Union"})
OPTIONAL_NAMES = frozenset({"typing.Optional", "typing_extensions.Optional"})
TUPLE_NAMES = frozenset({"builtins.tuple", "typing.Tuple", "typing_extensions.Tuple"})
SEQUENTIAL = "torch.nn.modules.container.Sequential"
MODULE = "torch.nn.modules.module.Module"
#: the package whose NeuralModule and typecheck the plugin knows (matched by short
#: name under this prefix, wherever the runtime defines them)
PACKAGE = "neuraltypes."
NEURAL_MODULE_NAME = "NeuralModule"
#: the function whose calls get a note with the argument's neural type
REVEAL = "neuraltypes.reveal_neural_type"
#: decorators known to keep a function's signature (``@typecheck()``)
KEEPS_SIGNATURE_NAME = "typecheck"
#: torch's own modules: calls still go to their forward
TORCH_NN = "torch.nn.modules."
#: where mypy finds torch's operations -> how the core's rule table names them
TORCH_OP_PREFIXES = (
    ("torch._tensor.Tensor.", "Tensor."),
    ("torch._C.TensorBase.", "Tensor."),
    ("torch._C._VariableFunctions.", "torch."),
    ("torch.functional.", "torch."),
    ("torch.nn.functional.", "torch.nn.functional."),
    # torch.nn.functional re-exports these from torch._C._nn (F.gelu, F.softplus, F.pad)
    ("torch._C._nn.", "torch.nn.functional."),
)
#: full names whose torch.nn.functional name is another (``F.logsigmoid``)
TORCH_OP_RENAMED = {"torch._C._nn.log_sigmoid": "torch.nn.functional.logsigmoid"}


#: the tensor properties the rules know (``x.T``): the only attributes of a tensor
#: whose access gets a hook (``x.shape``, ``x.device`` and the rest get none)
TORCH_PROPERTIES = frozenset({"T", "mT", "H", "mH"})


def torch_op_name(fullname: str) -> str | None:
    """The rule table's name for the torch operation mypy names ``fullname``."""
    renamed = TORCH_OP_RENAMED.get(fullname)
    if renamed is not None:
        return renamed
    for prefix, ours in TORCH_OP_PREFIXES:
        if fullname.startswith(prefix):
            return ours + fullname[len(prefix) :]
    return None


#: top-level packages whose names can't be neural: answered "not mine" before any
#: lookup (one set lookup on the part of the full name before its first dot)
SKIP = frozenset(
    {
        "builtins",
        "typing",
        "typing_extensions",
        "torch",
        "collections",
        "_collections_abc",
        "abc",
        "enum",
        "os",
        "numpy",
        "jaxtyping",
        "mypy_extensions",
        "_typeshed",
        "functools",
        "dataclasses",
        "types",
        "re",
        "pathlib",
        "logging",
        "itertools",
        "contextlib",
        "einops",
        "math",
        "json",
        "warnings",
        "sys",
        "_pytest",
        "pytest",
        "unittest",
        "asyncio",
        "ast",
        "operator",
        "copy",
        "inspect",
        "argparse",
        "subprocess",
        "threading",
        "pickle",
        "random",
        "string",
        "textwrap",
        "time",
        "datetime",
    }
)
#: jaxtyping's dtype forms (``Float[Tensor, "b t"]``): static checkers see
#: ``typing.Annotated`` under these names (jaxtyping/_indirection.py)
JAXTYPING_NAMES = frozenset(
    {
        "BFloat16",
        "Bool",
        "Complex",
        "Complex128",
        "Complex64",
        "Float",
        "Float16",
        "Float32",
        "Float64",
        "Float8e4m3b11fnuz",
        "Float8e4m3fn",
        "Float8e4m3fnuz",
        "Float8e5m2",
        "Float8e5m2fnuz",
        "Inexact",
        "Int",
        "Int16",
        "Int2",
        "Int32",
        "Int4",
        "Int64",
        "Int8",
        "Integer",
        "Key",
        "Num",
        "Real",
        "Shaped",
        "UInt",
        "UInt16",
        "UInt2",
        "UInt32",
        "UInt4",
        "UInt64",
        "UInt8",
    }
)
