"""What a warm worker's start costs, module by module: the imports every zygote pays (5-6 s of CPU),
and every kernel that imports TensorFlow. Finds a dependency whose import got slow (ml_dtypes 0.7.0
took 0.55 s; pyproject pins 0.6.0, 0.06 s).

    .venv/bin/python benchmarks/import_time.py [runs]

Prints the CPU of the whole start, and the modules with the most time of their own (median of the runs),
measured with the cyclic garbage collector off: on, its pauses land on whichever module imports then.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections import defaultdict

from graders._runner import DEFAULT_WARM
from graders._runner.zygote import WARM_ALWAYS

MODULES = (*WARM_ALWAYS, *DEFAULT_WARM)
SHOWN = 12


def one_start(collector: bool) -> tuple[float, dict[str, float], dict[str, float]]:
    """(CPU seconds of a process that imports what a zygote warms, {module: seconds of its own},
    {module: seconds with what it imports})."""
    code = ("import gc, importlib, resource\n"
            + ("" if collector else "gc.disable()\n") +
            f"for name in {MODULES!r}: importlib.import_module(name)\n"
            "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
            "print('CPU', usage.ru_utime + usage.ru_stime)")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True)
    cpu = float(next(line for line in done.stdout.splitlines() if line.startswith("CPU")).split()[1])
    own, whole = {}, {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
            own[name.strip()], whole[name.strip()] = int(self_us) / 1e6, int(cumulative_us) / 1e6
    return cpu, own, whole


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cpus, own, ml_dtypes = [], defaultdict(list), []
    for _ in range(runs):
        cpus.append(one_start(collector=True)[0])
        _, modules, whole = one_start(collector=False)
        for name, seconds in modules.items():
            own[name].append(seconds)
        ml_dtypes.append(whole.get("ml_dtypes", 0.0))
    print(f"warm imports ({', '.join(DEFAULT_WARM)}): {statistics.median(cpus):.2f} s CPU "
          f"(median of {runs}; min {min(cpus):.2f}, max {max(cpus):.2f})")
    print("modules with the most time of their own (median, s, collector off):")
    for name, times in sorted(own.items(), key=lambda item: -statistics.median(item[1]))[:SHOWN]:
        print(f"  {statistics.median(times):6.3f}  {name}")
    print(f"ml_dtypes with its extension: {statistics.median(ml_dtypes):.3f} s "
          f"({statistics.median(ml_dtypes) / statistics.median(cpus):.1%} of the start)")


if __name__ == "__main__":
    main()
