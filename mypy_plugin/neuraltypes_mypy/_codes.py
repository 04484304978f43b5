"""One mypy ErrorCode per neuraltypes error code (the core lists them)."""

from __future__ import annotations

from mypy.errorcodes import ErrorCode

from neuraltypes._core import ERROR_CODES, NEURAL_INTERNAL, NEURAL_SPEC

CODES: dict[str, ErrorCode] = {
    name: ErrorCode(name, description, "neuraltypes") for name, description in ERROR_CODES.items()
}
SPEC = CODES[NEURAL_SPEC]
INTERNAL = CODES[NEURAL_INTERNAL]
