"""``calcml grade DIR --csv gradebook.csv``: run and score a whole class's notebooks.

Every ``*.ipynb`` under DIR is one student's notebook (its sub-folder, or its file name,
names the student). Each runs in a fresh kernel, in a temporary folder of its own, with a
time and a memory limit; the course's checkers score it exercise by exercise. The
submissions folder is never written to. See :mod:`calcml.grading` for what the grader
trusts and what it does not.
"""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    from calcml.grading import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

    p = sub.add_parser(
        "grade", help="grade a folder of students' notebooks into a CSV gradebook",
        description="Run every student's notebook under DIR in its own fresh kernel and "
                    "score it with the course's checkers. Notebooks unchanged since the "
                    "last run (same bytes, same checkers) are taken from the cache.")
    p.add_argument("folder", metavar="DIR", help="the submissions: DIR/student/NN-….ipynb "
                                                 "or DIR/student.ipynb")
    p.add_argument("--csv", metavar="FILE", type=Path, help="write the gradebook here")
    p.add_argument("--json", metavar="FILE", type=Path, help="the same as JSON, with messages")
    p.add_argument("-j", "--jobs", type=int, default=1, help="notebooks graded at once (default 1)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit per notebook (default {DEFAULT_TIMEOUT:g} s)")
    p.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory (address space) limit per process (default {DEFAULT_MEMORY_MB} MB)")
    p.add_argument("--force", action="store_true", help="grade every notebook again, ignoring the cache")
    p.set_defaults(func=run)


def run(args) -> int:
    from calcml.cli import UserError
    from calcml.grading import grade_folder, write_csv, write_json
    from calcml.lessons import find_root

    if args.csv is None and args.json is None:
        raise UserError("say where to write the gradebook: --csv FILE and/or --json FILE")
    if args.jobs < 1:
        raise UserError(f"--jobs must be at least 1, got {args.jobs}")
    if args.timeout <= 0:
        raise UserError(f"--timeout must be positive, got {args.timeout:g}")
    if args.memory < 256:
        raise UserError(f"--memory must be at least 256 MB, got {args.memory}")
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UserError(f"no such folder: {folder}" if not folder.exists()
                        else f"{folder} is a file; give the folder of submissions")
    try:
        root = find_root()
    except FileNotFoundError as exc:
        raise UserError(f"run calcml grade inside the course repository ({exc})") from None
    first = args.csv or args.json
    for out in (args.csv, args.json):
        if out is not None and folder.resolve() in out.resolve().parents:
            raise UserError(f"{out} is inside the submissions folder, which is never written to")
    cache = first.with_name(f".{first.name}.calcml-cache.json")
    rows = grade_folder(folder, root=root, jobs=args.jobs, timeout=args.timeout,
                        memory_mb=args.memory, cache=cache, force=args.force)
    if args.csv is not None:
        write_csv(rows, args.csv)
    if args.json is not None:
        write_json(rows, args.json)
    graded = sum(not r.cached for r in rows)
    noted = sum(bool(r.note) for r in rows)
    print(f"{len(rows)} notebooks: {graded} graded, {len(rows) - graded} unchanged since the "
          f"last run; {noted} with a note; gradebook in {', '.join(str(p) for p in (args.csv, args.json) if p)}")
    return 0
