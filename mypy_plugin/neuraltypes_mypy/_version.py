"""Versions: the plugin's own (part of mypy's cache key) and the mypy range it supports."""

#: Bump when a rule or the carried representation changes, so mypy caches are refreshed.
PLUGIN_VERSION = "neuraltypes-mypy 0.3.0"

#: The supported mypy releases: MIN_MYPY <= version < MAX_MYPY.
MIN_MYPY = (2, 0)
MAX_MYPY = (2, 5)
