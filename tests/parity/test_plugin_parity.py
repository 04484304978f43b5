"""The parity table through the mypy plugin: one generated file, one mypy run; each
case's errors must be the table's, as the plugin words them
(:func:`.cases.static_messages`, :mod:`.spec_cases`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..plugin.mypy_runner import run_mypy
from .cases import (
    CASES,
    INHERITED,
    SWAP_CASES,
    Case,
    Side,
    SwapCase,
    free_names,
    params,
    static_messages,
    static_swap_messages,
)
from .spec_cases import SPEC_CASES, Element, Jax, SpecCase

HEADER = """\
from typing import Annotated
import torch
from jaxtyping import Float
from torch import Tensor
import neuraltypes.elements as E
from neuraltypes import NeuralModule, typecheck
"""


def annotation(side: Side) -> str:
    if side.jaxtyping:
        return f'Float[Tensor, "{side.axes}"]'
    if side.element is None:
        return f'Annotated[Tensor, "{side.axes}"]'
    return f'Annotated[Tensor, "{side.axes}", E.{side.element}]'


def connection_lines(case: Case) -> list[str]:
    """The case's source; its last line is the connection."""
    name = case.ident
    produce = f"def produce_{name}() -> {annotation(case.producer)}: raise NotImplementedError"
    if case.via == INHERITED:
        return [
            produce,
            f"class Base_{name}(NeuralModule):",
            "    @typecheck()",
            f"    def forward(self, x: {annotation(case.consumer)}) -> None: ...",
            f"class Child_{name}(Base_{name}): ...",
            f"Child_{name}()(produce_{name}())",
        ]
    names = free_names(case.consumer)
    if names:  # as the runtime's table does: an earlier port binds the names
        sizes = f'Float[Tensor, "{" ".join(names)}"]'
        return [
            produce,
            f"def {case.owner}(sizes: {sizes}, x: {annotation(case.consumer)}) -> None: ...",
            f"{case.owner}(torch.zeros(1), produce_{name}())",
        ]
    return [
        produce,
        f"def {case.owner}(x: {annotation(case.consumer)}) -> None: ...",
        f"{case.owner}(produce_{name}())",
    ]


def swap_lines(case: SwapCase) -> list[str]:
    """The case's source; its last line is the call."""
    name = case.ident
    return [
        f"def a_{name}() -> {annotation(case.a)}: raise NotImplementedError",
        f"def b_{name}() -> {annotation(case.b)}: raise NotImplementedError",
        f"def {case.owner}(x: {annotation(case.x)}, y: {annotation(case.y)}) -> None: ...",
        f"{case.owner}(a_{name}(), b_{name}())",
    ]


def spec_annotation(case: SpecCase) -> str:
    base = f'Float[Tensor, "{case.base.axes}"]' if isinstance(case.base, Jax) else case.base
    items = [
        f"E.{item.name}" if isinstance(item, Element) else repr(item).replace("'", '"')
        for item in case.metadata
    ]
    return f"Annotated[{', '.join([base, *items])}]"


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path) -> dict[str, list[str]]:
    """Each case's errors (message and code), from one mypy run over all cases."""
    lines = HEADER.splitlines()
    case_of_line: dict[int, str] = {}
    for case in CASES:
        lines += connection_lines(case)
        case_of_line[len(lines)] = case.id
    for swap in SWAP_CASES:
        lines += swap_lines(swap)
        case_of_line[len(lines)] = swap.id
    for spec in SPEC_CASES:
        lines.append(f"def {spec.owner}(x: {spec_annotation(spec)}) -> None: ...")
        case_of_line[len(lines)] = spec.id
    folder = tmp_path_factory.mktemp("parity")
    (folder / "parity_cases.py").write_text("\n".join(lines) + "\n")
    run = run_mypy(folder, mypy_cache)
    assert "Traceback" not in run.stdout + run.stderr
    found: dict[str, list[str]] = {case_id: [] for case_id in case_of_line.values()}
    for report in run.reports:
        assert report.kind == "error" and report.line in case_of_line, report
        found[case_of_line[report.line]].append(report.message)
    return found


@pytest.mark.parametrize("case", params(CASES, "plugin"))
def test_plugin_verdict(case: Case, messages: dict[str, list[str]]) -> None:
    assert messages[case.id] == static_messages(case)


@pytest.mark.parametrize("case", params(SWAP_CASES, "plugin"))
def test_plugin_swap(case: SwapCase, messages: dict[str, list[str]]) -> None:
    assert messages[case.id] == static_swap_messages(case)


@pytest.mark.parametrize("case", params(SPEC_CASES, "plugin"))
def test_plugin_spec_error(case: SpecCase, messages: dict[str, list[str]]) -> None:
    if case.plugin_silent is not None:  # a difference by design, said in the table
        assert messages[case.id] == []
        return
    assert messages[case.id] == [f"neural type annotation: {case.reason}  [neural-spec]"]
