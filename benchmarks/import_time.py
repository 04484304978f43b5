"""How long ``import neuraltypes`` takes, against a bare interpreter start.

Run: ``python benchmarks/import_time.py``. Each round starts fresh interpreters,
interleaved: ``python -c pass`` (the baseline), ``import neuraltypes`` and
``import neuraltypes, neuraltypes.elements``; medians are printed with the
difference to the baseline, and whether torch got imported (it must not).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

ROUNDS = 15
CASES = {
    "baseline (python -c pass)": "pass",
    "import neuraltypes": "import neuraltypes",
    "import neuraltypes.elements": "import neuraltypes, neuraltypes.elements",
}


def run_once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(ROUNDS):
        for name, code in CASES.items():
            times[name].append(run_once(code))
    base = statistics.median(times["baseline (python -c pass)"])
    for name, samples in times.items():
        med = statistics.median(samples)
        print(f"{name:32s} {med * 1000:7.1f} ms   (+{(med - base) * 1000:6.1f} ms over baseline)")
    probe = "import sys, neuraltypes, neuraltypes.elements; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    print(f"torch imported by `import neuraltypes`: {out.stdout.strip()}")


if __name__ == "__main__":
    main()
