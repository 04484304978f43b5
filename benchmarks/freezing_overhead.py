"""Cost of ``FreezeScheduler.apply`` on a step with no transition.

Run: ``python benchmarks/freezing_overhead.py``. A model with 10 scheduled
sub-modules; ``apply(g)`` is called for many consecutive steps inside one frozen
segment, interleaved with a baseline measured in the same run (a call of a trivial
Python method). Prints microseconds per call and the difference.
"""

from __future__ import annotations

import statistics
import time

from torch import nn

from neuraltypes.freezing import FreezeScheduler


class Trivial:
    def apply(self, step: int) -> int:
        return step


def per_call(obj: object, start: int, n: int) -> float:
    apply = obj.apply  # type: ignore[attr-defined]
    begin = time.perf_counter()
    for step in range(start, start + n):
        apply(step)
    return (time.perf_counter() - begin) / n * 1e6


def main(rounds: int = 15, n: int = 50_000) -> None:
    model = nn.ModuleDict({f"layer{i}": nn.Linear(8, 8) for i in range(10)})
    cfg = {"modules": {f"layer{i}": [1 + i, 10**9] for i in range(10)}}
    schedule = FreezeScheduler(model, cfg)
    schedule.apply(100)  # all ten frozen; the next steps are inside one segment
    baseline = Trivial()
    samples: dict[str, list[float]] = {
        "baseline (trivial method)": [],
        "FreezeScheduler.apply": [],
    }
    for r in range(rounds):
        samples["baseline (trivial method)"].append(per_call(baseline, 200, n))
        samples["FreezeScheduler.apply"].append(per_call(schedule, 200 + r * n, n))
    base = statistics.median(samples["baseline (trivial method)"])
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:28s} {med:6.3f} us/call  (+{med - base:6.3f} us over baseline)")
    transition = FreezeScheduler(model, cfg)
    begin = time.perf_counter()
    transition.apply(5)
    print(f"first apply (freezes 6 modules): {(time.perf_counter() - begin) * 1e6:.0f} us")


if __name__ == "__main__":
    main()
