"""Fuzz: random annotation metadata through real mypy runs. No crash, no internal
error, and the only errors are neural-spec ones."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .mypy_runner import run_mypy

HEADER = """\
from typing import Annotated
from jaxtyping import Float
from torch import Tensor
from neuraltypes.elements import SpectrogramType, LengthsType
"""

AXIS_TEXT = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\\\r\n\x00"), max_size=24),
    st.text(alphabet="BDT_*#.=()+-/0123456789 dxy,", min_size=1, max_size=16),
)
ELEMENT = st.sampled_from(["SpectrogramType", "LengthsType", "int", "3", "None", "Tensor"])


@st.composite
def annotation(draw: st.DrawFn) -> str:
    text = repr(draw(AXIS_TEXT))
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return f"Annotated[Tensor, {text}, {draw(ELEMENT)}]"
    if kind == 1:
        return f"Float[Tensor, {text}]"
    if kind == 2:
        return f"Annotated[Annotated[Tensor, {text}], {repr(draw(AXIS_TEXT))}]"
    if kind == 3:
        return f"Annotated[Tensor, {draw(ELEMENT)}, {text}, {text}]"
    return f"Annotated[Tensor, {text}]"


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(annotations=st.lists(annotation(), min_size=20, max_size=40))
def test_random_metadata_never_crashes_mypy(
    annotations: list[str], tmp_path_factory: object, mypy_cache: Path
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("fuzz")))  # type: ignore[attr-defined]
    # one known-bad annotation per file: proves each run reaches the plugin
    lines = [HEADER, 'def known_bad(x: Annotated[Tensor, "B D+"]) -> None: ...\n']
    for i, ann in enumerate(annotations):
        lines.append(f"def f{i}(x: {ann}) -> {ann}:\n    return x\n")
        lines.append(
            f"def g{i}(y: {ann}) -> None:\n    f{i}(y)\n    f{i}(f{(i + 1) % len(annotations)}(y))\n"
        )
    (folder / "fuzzed.py").write_text("\n".join(lines))
    run = run_mypy(folder, mypy_cache)
    output = run.stdout + run.stderr
    # (the fuzzed strings may be any text, and error messages quote axis strings:
    # the checks below look at what mypy itself writes, never at quoted text)
    assert "Traceback" not in run.stderr and "INTERNAL ERROR" not in run.stderr, output
    assert run.status in (0, 1), output
    assert not any(r.message.startswith("INTERNAL ERROR") for r in run.reports), output
    assert not any(r.message.endswith("[neural-internal]") for r in run.reports), output
    assert any(r.message.endswith("[neural-spec]") for r in run.reports), output
    for report in run.reports:
        if report.kind == "error":
            assert report.message.endswith(
                ("[neural-spec]", "[neural-element]", "[neural-axes]", "[neural-size]")
            ), report
