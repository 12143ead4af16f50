"""How long each lesson takes to execute in a fresh kernel, and `import calcml`.

Targets (course foundation issue): at most 10 s per lesson and 60 s for the course
on two cores; `import calcml` at most 0.3 s. Prints medians of several runs.

    .venv/bin/python benchmarks/bench_lessons.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def import_time(repeats: int) -> float:
    code = "import time; t = time.perf_counter(); import calcml; print(time.perf_counter() - t)"
    runs = [float(subprocess.check_output([sys.executable, "-c", code], text=True))
            for _ in range(repeats)]
    return statistics.median(runs)


def main() -> None:
    from calcml.book import execute_lessons
    from calcml.lessons import existing_lessons
    from calcml.notebook import execute, read_notebook

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    print(f"import calcml: median {import_time(max(5, args.repeats)):.3f} s (target ≤ 0.3 s)")
    print(f"\n{'lesson':32s} {'median s':>9s} {'min s':>7s}   (sequential, fresh kernel)")
    total = 0.0
    for lesson, path in existing_lessons(ROOT):
        nb = read_notebook(path)
        times = [execute(nb, path.parent)[1] for _ in range(args.repeats)]
        total += statistics.median(times)
        print(f"{lesson.stem:32s} {statistics.median(times):9.2f} {min(times):7.2f}")
    print(f"{'sum of medians':32s} {total:9.2f}   (target per lesson ≤ 10 s)")
    walls = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        execute_lessons(ROOT, jobs=2, show_progress=False)
        walls.append(time.perf_counter() - start)
    print(f"{'whole course, 2 at a time':32s} {statistics.median(walls):9.2f}   (target ≤ 60 s)")


if __name__ == "__main__":
    main()
