"""Static checking on real model code: what the neuraltypes plugin catches and covers.

Run: ``.venv/bin/python benchmarks/real_models/measure.py [--workdir DIR]``.

Per model (a clean file and a file of ten marked wiring bugs, see README.md) it prints:

- **added on clean**: errors that mypy reports on the clean file with the plugin and
  not without it (all codes; the ``neural-*`` ones counted apart). Must be 0.
- **bugs caught**: bug lines (``# BUG: <kind> | decidable: <class>``) that get a
  ``neural-*`` error, out of 10, per decidability class.
- **checked share**: of the tensor-typed arguments at calls of ``nn.Module``
  instances and of functions with neural ports, in the clean file, how many carry
  a neural type at that point (read from mypy's types, in process); "stale?"
  counts those that name a parameter reassigned earlier in the function, whose
  neural type may be the declaration's rather than the value's.

mypy runs twice over all eight files (without and with the plugin, each with its
own cache in one temporary folder), then in process with the plugin once per
clean file for the share (that file re-checked, everything else from the plugin's
cache). Exit
status 1 when the plugin adds any error to a clean file.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from neuraltypes_mypy._carry import KEY  # where the plugin carries a neural type

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PLUGIN_INI = ROOT / "tests" / "plugin" / "plugin.ini"
MODELS = ("ctc_speech", "vit", "gpt", "wav2vec2")
CLASSES = ("annotations", "op-rules", "sizes-or-undecidable")
BUG = re.compile(r"#\s*BUG:\s*(?P<kind>[^|]*?)\s*\|\s*decidable:\s*(?P<cls>[\w-]+)")
ERROR = re.compile(
    r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: (?P<msg>.*?)\s+\[(?P<code>[\w-]+)\]$"
)


@dataclass
class Bug:
    line: int
    kind: str
    cls: str
    caught: list[str] = field(default_factory=list)


def bugs_of(path: Path) -> list[Bug]:
    found = []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        match = BUG.search(text)
        if match:
            found.append(Bug(number, match["kind"], match["cls"]))
    return found


def run_mypy(
    config: Path | None, cache: Path, files: list[str]
) -> list[tuple[str, int, str, str]]:
    """(file, line, code, message) of every error of one mypy run over ``files``."""
    cmd = [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary"]
    cmd += ["--hide-error-context", "--no-pretty", "--show-error-codes", "--show-traceback"]
    cmd += ["--config-file", str(config) if config else os.devnull, *files]
    proc = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True,
                          env={**os.environ, "MYPY_FORCE_COLOR": "0"})  # fmt: skip
    out = proc.stdout + proc.stderr
    if proc.returncode not in (0, 1) or "Traceback" in out or "INTERNAL ERROR" in out:
        print(out[-3000:])
        raise SystemExit(f"mypy crashed (exit {proc.returncode}), config {config}")
    errors = []
    for line in out.splitlines():
        match = ERROR.match(line)
        if match:
            errors.append((match["file"], int(match["line"]), match["code"], match["msg"]))
    return errors


def reassigned_parameters(path: Path) -> list[tuple[int, int, dict[str, list[int]]]]:
    """Per function of ``path``: its line span and, for each parameter reassigned in
    its body, the lines of those assignments. An argument naming such a parameter
    after a reassignment may carry the parameter's declared neural type although
    the value is no longer what the declaration says (mypy narrows a declared
    variable back to its declaration when assigned an ``Any``)."""
    spans = []
    for fn in ast.walk(ast.parse(path.read_text())):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
        lines: dict[str, list[int]] = {}
        for node in ast.walk(fn):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            if not targets:
                continue
            assert isinstance(node, ast.stmt)
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id in params:
                        lines.setdefault(name.id, []).append(node.lineno)
        spans.append((fn.lineno, fn.end_lineno or fn.lineno, lines))
    return spans


def possibly_stale(
    spans: list[tuple[int, int, dict[str, list[int]]]], name: str, line: int
) -> bool:
    inner = [s for s in spans if s[0] <= line <= s[1]]
    if not inner:
        return False
    _, _, lines = min(inner, key=lambda s: s[1] - s[0])
    return any(at < line for at in lines.get(name, ()))


def checked_share(cache: Path) -> dict[str, tuple[int, int, int]]:
    """Per clean file: (tensor arguments carrying a neural type, of which possibly
    stale, tensor arguments) at calls of modules and of functions with neural
    ports, from an in-process build."""
    from mypy import build
    from mypy.config_parser import parse_config_file
    from mypy.modulefinder import BuildSource
    from mypy.nodes import CallExpr, Expression, FuncDef, NameExpr
    from mypy.options import Options
    from mypy.types import CallableType, Instance, Type, UnionType, get_proper_type

    options = Options()
    options.config_file = str(PLUGIN_INI)
    parse_config_file(options, lambda: None, str(PLUGIN_INI), sys.stdout, sys.stderr)
    options.cache_dir = str(cache)
    options.export_types = True

    def tensor(typ: Type | None) -> Instance | None:
        proper = get_proper_type(typ) if typ is not None else None
        if isinstance(proper, UnionType):  # Optional[Tensor]
            items = [get_proper_type(t) for t in proper.items]
            items = [t for t in items if isinstance(t, Instance)]
            proper = items[0] if len(items) == 1 else None
        if isinstance(proper, Instance) and proper.type.has_base("torch._tensor.Tensor"):
            return proper
        return None

    def carries(typ: Instance) -> bool:
        return typ.extra_attrs is not None and KEY in typ.extra_attrs.attrs

    def counted_callee(types: dict[Expression, Type], callee: Expression) -> bool:
        typ = get_proper_type(types.get(callee))
        if isinstance(typ, Instance):
            return typ.type.has_base("torch.nn.modules.module.Module")
        if isinstance(typ, CallableType) and isinstance(typ.definition, FuncDef):
            declared = typ.definition.type
            if isinstance(declared, CallableType):
                return any(
                    (t := tensor(arg)) is not None and carries(t) for arg in declared.arg_types
                )
        return False

    shares = {}
    old = os.getcwd()
    os.chdir(HERE)
    try:
        for module in MODELS:
            # one build per file, the file re-checked (given as text with a comment
            # added, so its cached hash differs): only its expressions get types;
            # torch and the rest come from the cache
            path = HERE / f"{module}.py"
            text = path.read_text() + "\n# measured in process\n"
            result = build.build([BuildSource(str(path), module, text=text)], options)
            spans = reassigned_parameters(path)
            neural = stale = total = 0
            for expr, _ in result.types.items():
                if not isinstance(expr, CallExpr) or not counted_callee(result.types, expr.callee):
                    continue
                for arg in expr.args:
                    typ = tensor(result.types.get(arg))
                    if typ is not None:
                        total += 1
                        if carries(typ):
                            neural += 1
                            stale += isinstance(arg, NameExpr) and possibly_stale(
                                spans, arg.name, arg.line
                            )
            shares[module] = (neural, stale, total)
    finally:
        os.chdir(old)
    return shares


def row(model: str, added: str, caught: str, per_class: list[str], share: str) -> str:
    classes = "  ".join(f"{c:>20}" for c in per_class)
    return f"{model:<11} {added:>15} {caught:>12}  {classes}  {share:>24}"


def added_text(errors: list[tuple[str, int, str, str]]) -> str:
    neural = [e for e in errors if e[2].startswith("neural-")]
    return f"{len(errors)} ({len(neural)} neural)"


def share_text(counts: tuple[int, int, int] | list[int]) -> str:
    neural, stale, total = counts
    return f"{neural}/{total} {100 * neural / max(total, 1):.0f}% ({stale} stale?)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="temporary folder (default: a new one)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nt-real-models-"))
    files = [f"{m}{suffix}.py" for m in MODELS for suffix in ("", "_bugs")]
    plain = run_mypy(None, workdir / "cache-plain", files)
    plugin = run_mypy(PLUGIN_INI, workdir / "cache-plugin", files)
    added = sorted(set(plugin) - set(plain))
    shares = checked_share(workdir / "cache-plugin")

    failed = False
    totals = {cls: [0, 0] for cls in CLASSES}
    share_totals = [0, 0, 0]
    print(row("model", "added on clean", "bugs caught", list(CLASSES), "checked share"))
    details = []
    for module in MODELS:
        clean = [e for e in added if e[0] == f"{module}.py"]
        failed |= bool(clean)
        bugs = bugs_of(HERE / f"{module}_bugs.py")
        for file, line, code, msg in plugin:
            for bug in bugs:
                if file == f"{module}_bugs.py" and line == bug.line and code.startswith("neural-"):
                    bug.caught.append(f"{msg} [{code}]")
        per_class = []
        for cls in CLASSES:
            of_class = [b for b in bugs if b.cls == cls]
            caught = sum(bool(b.caught) for b in of_class)
            totals[cls][0] += caught
            totals[cls][1] += len(of_class)
            per_class.append(f"{caught}/{len(of_class)}")
        for i, count in enumerate(shares[module]):
            share_totals[i] += count
        caught_here = f"{sum(bool(b.caught) for b in bugs)}/{len(bugs)}"
        print(row(module, added_text(clean), caught_here, per_class, share_text(shares[module])))
        details.append((module, clean, bugs))
    clean_all = [e for e in added if not e[0].endswith("_bugs.py")]
    caught_all = f"{sum(t[0] for t in totals.values())}/{sum(t[1] for t in totals.values())}"
    per_class_all = [f"{t[0]}/{t[1]}" for t in totals.values()]
    print(row("all", added_text(clean_all), caught_all, per_class_all, share_text(share_totals)))

    for module, clean, bugs in details:
        print(f"\n{module}:")
        for file, line, code, msg in clean:
            print(f"  added on clean: {file}:{line}: {msg} [{code}]")
        for bug in bugs:
            mark = "caught" if bug.caught else "missed"
            print(f"  {mark:<6} {module}_bugs.py:{bug.line} [{bug.cls}] {bug.kind}")
            for message in bug.caught:
                print(f"         {message}")
    print(f"\nmypy caches in {workdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
