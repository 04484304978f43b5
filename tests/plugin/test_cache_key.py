"""mypy's cache holds the neural types the plugin carried when it wrote it; a
change of that encoding (or of the rules) must come with a new plugin version,
which invalidates the caches. This test pins the encoding of a few types for the
current version: it fails when the encoding changes and the version does not."""

from __future__ import annotations

from neuraltypes_mypy import PLUGIN_VERSION, NeuralTypesPlugin
from neuraltypes_mypy._carry import neural

#: version -> the encodings it writes (add a new entry with a new version; 0.3.0 is
#: unreleased, so its entry changed with the encoding: the element's full name only,
#: then jaxtyping's dtype category as a fourth item when there is one)
GOLDEN = {
    "neuraltypes-mypy 0.3.0": [
        '["B D T", false, "neuraltypes.elements.SpectrogramType"]',
        '["batch pos d_model", true, null]',
        '[null, false, "neuraltypes.elements.LengthsType"]',
        '["batch pos", true, null, "Int64"]',
    ],
}


def test_encoding_is_pinned_for_this_version() -> None:
    made = [
        neural("B D T", False, "neuraltypes.elements.SpectrogramType").encode(),
        neural("batch pos d_model", True, None).encode(),
        neural(None, False, "neuraltypes.elements.LengthsType").encode(),
        neural("batch pos", True, None, "Int64").encode(),
    ]
    assert PLUGIN_VERSION in GOLDEN, "a new plugin version: add its encodings to GOLDEN"
    assert made == GOLDEN[PLUGIN_VERSION], "the encoding changed: bump PLUGIN_VERSION"


def test_settings_are_part_of_the_cache_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mypy.options import Options

    def config(text: str) -> object:
        ini = tmp_path / "mypy.ini"
        ini.write_text(text)
        options = Options()
        options.config_file = str(ini)
        return NeuralTypesPlugin(options).report_config_data(None)  # type: ignore[arg-type]

    assert config("[mypy]\n") is None  # defaults: nothing to compare per module
    assert config("[mypy]\n[neuraltypes_mypy]\nmodule_call_returns = all\n") == {
        "version": PLUGIN_VERSION,
        "module_call_returns": "all",
    }


def test_encoding_round_trips() -> None:
    from neuraltypes_mypy._carry import decode

    for made in (
        neural("B D T", False, "neuraltypes.elements.SpectrogramType"),
        neural("batch pos", True, None, "Int64"),
    ):
        assert decode(made.encode()) is made
    assert decode('["b", true, null, 3]') is None  # a dtype is a name
    assert decode('["b", true, null, "Int", "Int"]') is None
    assert decode('["b", true]') is None
