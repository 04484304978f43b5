"""The plugin's mypy error codes, one ``ErrorCode`` per neuraltypes code.

They are made when the plugin is imported: mypy checks the codes named in
``disable_error_code`` / ``enable_error_code`` (config file or command line) right
after it loads the plugins, and a code is known to mypy once its ``ErrorCode``
exists. The names and descriptions are the core's (``neuraltypes._core.ERROR_CODES``),
written out here because importing the core at plugin load would cost every warm
mypy run its import time; ``tests/plugin/test_codes.py`` keeps the two equal.
"""

from __future__ import annotations

from mypy.errorcodes import ErrorCode

__all__ = ["CODES", "SPEC", "INTERNAL"]

_DESCRIPTIONS = {
    "neural-element": "Element type of a tensor does not fit the port (e.g. logits into probs)",
    "neural-axes": "Axes of a tensor do not fit the port (rank, axis kinds, transposition)",
    "neural-size": "A fixed axis size or a size bound within one call differs",
    "neural-spec": "Malformed neural type annotation (axis string, element type)",
    "neural-port": "Wrong port use at run time (unknown or missing port, non-tensor value)",
    "neural-internal": "Internal error of the neuraltypes mypy plugin (please report it)",
}

CODES: dict[str, ErrorCode] = {
    name: ErrorCode(name, description, "neuraltypes")
    for name, description in _DESCRIPTIONS.items()
}
SPEC = CODES["neural-spec"]
INTERNAL = CODES["neural-internal"]
