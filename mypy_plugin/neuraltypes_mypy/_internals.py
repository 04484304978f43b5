"""The mypy internals the plugin reads beyond the plugin API, checked once at load.

mypy's plugin API hands hooks the type checker or the semantic analyser as
``ctx.api``; reading neural types needs a few of their attributes that are not
part of the documented interface. If a mypy release renames one, every hook would
quietly find no neural type; instead, :func:`missing_internals` names what is
missing when the plugin is loaded, mypy says so once, and the plugin checks nothing.
"""

from __future__ import annotations

from typing import Final

__all__ = ["REQUIRED", "missing_internals"]

#: (module, class, attribute): what the hooks read
REQUIRED: Final = (
    ("mypy.checker", "TypeChecker", "binder"),  # the type a variable was last assigned
    ("mypy.checker", "TypeChecker", "lookup_type_or_none"),
    ("mypy.checker", "TypeChecker", "scope"),
    ("mypy.checker", "CheckerScope", "current_function"),  # typed Any values
    ("mypy.binder", "ConditionalTypeBinder", "get"),
    ("mypy.semanal", "SemanticAnalyzer", "cur_mod_node"),  # alias definitions
    ("mypy.semanal", "SemanticAnalyzer", "statement"),
    ("mypy.semanal", "SemanticAnalyzer", "add_plugin_dependency"),  # the daemon
    ("mypy.typeanal", "TypeAnalyser", "api"),
    ("mypy.typeanal", "TypeAnalyser", "lookup_qualified"),
    ("mypy.typeanal", "TypeAnalyser", "anal_type"),
    ("mypy.typeanal", "TypeAnalyser", "anal_array"),
    ("mypy.typeanal", "TypeAnalyser", "analyze_type_with_type_info"),
    ("mypy.typeanal", "TypeAnalyser", "aliases_used"),
    ("mypy.typeanal", "TypeAnalyser", "allow_typed_dict_special_forms"),
)


def _has(cls: type, name: str) -> bool:
    """Whether instances of ``cls`` have ``name``: a class attribute or method (also
    a compiled class's attribute descriptor), or an instance attribute declared in
    the class body (interpreted mypy)."""
    if hasattr(cls, name):
        return True
    return any(name in getattr(klass, "__annotations__", {}) for klass in cls.__mro__)


def missing_internals() -> tuple[str, ...]:
    """``Class.attribute`` for each required internal this mypy lacks."""
    import importlib

    missing = []
    for module_name, class_name, attribute in REQUIRED:
        cls = getattr(importlib.import_module(module_name), class_name, None)
        if not isinstance(cls, type) or not _has(cls, attribute):
            missing.append(f"{class_name}.{attribute}")
    return tuple(missing)
