"""``import neuraltypes`` leaves torch alone; the runtime names load it on first use."""

import subprocess
import sys


def run(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *flags, "-c", code], capture_output=True, text=True, check=True
    )


def test_import_does_not_import_torch_until_a_runtime_name_is_used() -> None:
    out = run(
        "import sys, neuraltypes, neuraltypes.elements\n"
        "print('torch' in sys.modules)\n"
        "from neuraltypes import NeuralModule, typecheck\n"
        "import neuraltypes._runtime as rt\n"
        "print('torch' in sys.modules, NeuralModule is rt.NeuralModule, typecheck is rt.typecheck)\n"
        "try:\n"
        "    neuraltypes.Nothing\n"
        "except AttributeError as err:\n"
        "    print(err)\n"
    )
    assert out.stdout.splitlines() == [
        "False",
        "True True True",
        "module 'neuraltypes' has no attribute 'Nothing'",
    ]


def test_import_loads_only_the_standard_library() -> None:
    """What keeps ``import neuraltypes`` cheap (its time is measured by
    ``benchmarks/import_time.py``, not here): it loads nothing outside the package
    and the standard library."""
    out = run(
        "import sys\n"
        "before = set(sys.modules)\n"
        "import neuraltypes, neuraltypes.elements\n"
        "new = {m.partition('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(new - set(sys.stdlib_module_names)))\n"
    )
    assert out.stdout.strip() == "['neuraltypes']"
