"""Grading throughput: a synthetic class graded by ``calcml.grading`` at 1 and 2 jobs.

The class is generated here: ``--students`` copies of one lesson (default 03), a mix of
right (the worked solutions), wrong (``None`` as every answer), empty (as handed out)
and broken (a syntax error in the first exercise) notebooks. Prints notebooks per
minute, the median seconds per notebook and the share of each notebook's time spent
before its kernel could run a cell (child process start + kernel start).

    .venv/bin/python benchmarks/bench_grade.py [--students 40] [--lesson 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def make_class(folder: Path, students: int, lesson_number: int) -> None:
    from calcml.grading import _check_calls, _exercise_cells
    from calcml.lessons import existing_lessons
    from calcml.notebook import read_notebook, with_solutions

    path = {lesson.number: p for lesson, p in existing_lessons(ROOT)}[lesson_number]
    handed_out = read_notebook(path.with_suffix(".ipynb"))
    solved = with_solutions(handed_out)
    cells = _exercise_cells(handed_out)
    for k in range(students):
        kind = ("right", "wrong", "empty", "broken")[k % 4]
        nb = nbformat.from_dict(solved if kind == "right" else handed_out)
        nb = nbformat.reads(nbformat.writes(nb), as_version=4)
        for j, (ex_id, index) in enumerate(cells.items()):
            expr = _check_calls(handed_out.cells[index].source)[ex_id]
            if kind == "wrong":
                nb.cells[index].source = f"{expr} = None\ncheck({ex_id!r}, {expr})"
            elif kind == "broken" and j == 0:
                nb.cells[index].source = f'{expr} = "unterminated\ncheck({ex_id!r}, {expr})'
        nbformat.write(nb, folder / f"student{k:02d}-{kind}.ipynb")


def main() -> None:
    from calcml.grading import grade_folder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lesson", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        make_class(folder, args.students, args.lesson)
        print(f"{args.students} notebooks of lesson {args.lesson:02d} "
              "(right, wrong, empty, broken in turn)")
        print(f"{'jobs':>4s} {'wall s':>8s} {'notebooks/min':>14s} {'median s/nb':>12s} "
              f"{'kernel start share':>19s}")
        for jobs in (1, 2):
            start = time.perf_counter()
            rows = grade_folder(folder, root=ROOT, jobs=jobs, show_progress=False)
            wall = time.perf_counter() - start
            per = [r.seconds for r in rows]
            share = sum(r.kernel_seconds for r in rows) / max(sum(per), 1e-9)
            notes = sum(bool(r.note) for r in rows)
            print(f"{jobs:4d} {wall:8.1f} {60 * len(rows) / wall:14.1f} "
                  f"{statistics.median(per):12.2f} {share:18.0%}   ({notes} rows with a note)")


if __name__ == "__main__":
    main()
