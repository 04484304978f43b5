"""The plugin's settings, read from the mypy config file and validated.

In ``mypy.ini`` / ``setup.cfg``::

    [neuraltypes_mypy]
    module_call_returns = all

or in ``pyproject.toml``::

    [tool.neuraltypes_mypy]
    module_call_returns = "all"

``module_call_returns``: what a call of an ``nn.Module`` instance returns to mypy.
``neural`` (the default): ``forward``'s return type for NeuralModule subclasses and
modules whose ``forward`` uses neuraltypes annotations, ``Any`` (mypy's own answer)
for other modules, so that turning the plugin on adds no errors to code that never
opted in. ``all``: ``forward``'s return type for every module.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path
from typing import Any

__all__ = ["read_settings", "DEFAULTS", "SettingsError"]

DEFAULTS: dict[str, str] = {"module_call_returns": "neural"}
_CHOICES = {"module_call_returns": ("neural", "all")}
_SECTION = "neuraltypes_mypy"


class SettingsError(ValueError):
    """An invalid ``[neuraltypes_mypy]`` setting."""


def _from_file(path: Path) -> dict[str, Any]:
    if path.suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib

            with path.open("rb") as handle:
                data = tomllib.load(handle)
            section = data.get("tool", {}).get(_SECTION, {})
            return dict(section) if isinstance(section, dict) else {}
        return {}  # Python 3.10: no TOML reader in the standard library
    parser = configparser.ConfigParser()
    parser.read(path)
    return dict(parser[_SECTION]) if parser.has_section(_SECTION) else {}


def read_settings(config_file: str | None) -> dict[str, str]:
    """The settings in force, or a clear :class:`SettingsError` naming the bad entry."""
    settings = dict(DEFAULTS)
    if not config_file or not Path(config_file).is_file():
        return settings
    path = Path(config_file)
    for key, value in _from_file(path).items():
        if key not in DEFAULTS:
            raise SettingsError(
                f"{path}: [{_SECTION}] has an unknown setting {key!r}; known settings: "
                f"{', '.join(sorted(DEFAULTS))}"
            )
        text = str(value).strip()
        if text not in _CHOICES[key]:
            raise SettingsError(
                f"{path}: [{_SECTION}] {key} = {text!r} is not one of {', '.join(_CHOICES[key])}"
            )
        settings[key] = text
    return settings
