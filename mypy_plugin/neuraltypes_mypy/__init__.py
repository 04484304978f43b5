"""mypy plugin for neuraltypes (enable with ``plugins = ["neuraltypes_mypy"]``)."""
