"""The ``calcml`` command: build the book, open the lab, list lessons, check exercises.

Every user error (missing file, not a notebook, a syntax error, an unknown command)
ends in one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

__all__ = ["main"]


class UserError(Exception):
    """An error to report in one line, with exit status 2."""


def _root() -> Path:
    from calcml.lessons import find_root

    try:
        return find_root()
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None


def cmd_build(args) -> int:
    from calcml.book import BuildError, build

    root = _root()
    try:
        index = build(root, jobs=args.jobs)
    except BuildError as exc:
        raise UserError(f"the book was not built:\n{exc}") from None
    print(f"Book built: {index}")
    return 0


def cmd_lab(args) -> int:
    root = _root()
    cmd = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={root / 'notebooks'}"]
    extra = list(args.lab_args)
    # In a container a learner is often root; JupyterLab then refuses to start without
    # --allow-root. It is their own machine: say so and pass the flag on.
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        print("calcml lab: running as root, so passing --allow-root to JupyterLab",
              file=sys.stderr)
        extra.append("--allow-root")
    return subprocess.call([*cmd, *extra])


def cmd_list(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from calcml.lessons import APPENDICES, LESSONS, count_exercises, existing_lessons
    from calcml.notebook import read_notebook

    root = _root()
    present = dict(existing_lessons(root))
    table = Table(title="calcml lessons")
    for column in ("#", "notebook", "teaches", "exercises"):
        table.add_column(column)
    for lesson in (*LESSONS, *APPENDICES):
        number = "app." if lesson.appendix else f"{lesson.number:02d}"
        if lesson in present:
            nb = read_notebook(present[lesson])
            n = count_exercises([c.source for c in nb.cells if c.cell_type == "markdown"])
            table.add_row(number, f"{lesson.stem}.ipynb", lesson.teaches, str(n))
        else:
            table.add_row(number, f"[dim]{lesson.stem}[/dim]",
                          f"[dim]{lesson.teaches}[/dim]", "[dim]coming[/dim]")
    Console().print(table)
    return 0


def cmd_check(args) -> int:
    from nbclient.exceptions import CellExecutionError
    from rich.console import Console

    from calcml.notebook import (
        NotebookError,
        execute,
        exercise_sections,
        grade,
        read_notebook,
        syntax_errors,
        with_solutions,
    )

    if args.notebook is None:
        if args.solutions:
            raise UserError("--solutions needs a notebook: calcml check --solutions NOTEBOOK")
        return _course_scoreboard(run=args.run)
    if args.run:
        raise UserError("--run is for the whole course (calcml check --run); a notebook "
                        "given by name is always run")
    path = Path(args.notebook)
    try:
        nb = read_notebook(path)
        if args.solutions:
            nb = with_solutions(nb)
    except NotebookError as exc:
        raise UserError(str(exc)) from None
    problems = syntax_errors(nb)
    if problems:
        raise UserError(f"{path}: {problems[0]}")
    if not exercise_sections(nb):
        raise UserError(f"{path} has no exercises (no heading starting with 'Exercise')")
    console = Console(stderr=False)
    with console.status(f"running {path.name} in a fresh kernel…"):
        try:
            nb, seconds = execute(nb, path.resolve().parent, allow_errors=True)
        except CellExecutionError as exc:  # only a kernel death gets here
            raise UserError(f"{path}: the kernel stopped ({exc})") from None
    verdicts = grade(nb)
    marks = {"passed": "[green]✓[/green]", "failed": "[red]✗[/red]",
             "not attempted": "[dim]·[/dim]"}
    for section, status, message in verdicts:
        detail = f" — {message}" if status == "failed" else ""
        console.print(f"{marks[status]} Exercise {section.id} {section.title}: {status}",
                      highlight=False, soft_wrap=True, end="")
        console.print(detail, highlight=False, markup=False, soft_wrap=True)
    passed = sum(status == "passed" for _, status, _ in verdicts)
    console.print(f"{passed}/{len(verdicts)} passed  ({seconds:.1f} s)", highlight=False)
    return 0 if passed == len(verdicts) else 1


def _has_run(nb) -> bool:
    """True if any code cell of ``nb`` was executed (it has outputs or an execution count)."""
    return any(cell.get("outputs") or cell.get("execution_count") is not None
               for cell in nb.cells if cell.cell_type == "code")


def _lesson_score(lesson, root: Path, *, run: bool) -> tuple[str, int, int, int | None]:
    """(state, passed, attempted, total) of one lesson from the learner's own notebook.

    ``state`` is "scored", "not run yet", "unreadable" or "no notebook" (then ``total``
    comes from the lesson's text source). With ``run``, the notebook is executed in a fresh kernel
    first (its file is not changed).
    """
    from calcml.notebook import (
        NotebookError,
        execute,
        exercise_sections,
        grade,
        read_notebook,
    )

    path = root / "notebooks" / f"{lesson.stem}.ipynb"
    if not path.is_file():
        try:
            total = len(exercise_sections(read_notebook(path.with_suffix(".md"))))
        except NotebookError:
            total = None
        return "no notebook", 0, 0, total
    try:
        nb = read_notebook(path)
    except NotebookError:  # one broken file does not hide the rest of the board
        return "unreadable", 0, 0, None
    if run:
        from nbclient.exceptions import CellExecutionError

        try:
            nb, _ = execute(nb, path.parent, allow_errors=True)
        except CellExecutionError as exc:
            raise UserError(f"{path}: the kernel stopped ({exc})") from None
    elif not _has_run(nb):
        return "not run yet", 0, 0, len(exercise_sections(nb))
    verdicts = grade(nb)
    passed = sum(status == "passed" for _, status, _ in verdicts)
    attempted = sum(status != "not attempted" for _, status, _ in verdicts)
    return "scored", passed, attempted, len(verdicts)


def _course_scoreboard(*, run: bool) -> int:
    """``calcml check`` with no notebook: one line per lesson of the course."""
    from rich.console import Console

    from calcml.lessons import existing_lessons

    root = _root()
    console = Console()
    lessons = [lesson for lesson, _ in existing_lessons(root)]
    source = ("running each notebook in a fresh kernel" if run
              else "from the outputs saved in your notebooks")
    console.print(f"Course scoreboard ({source}):", highlight=False)
    console.print(f"{'':5}{'lesson':34} {'passed':>6} {'attempted':>9} {'total':>5}",
                  highlight=False)
    sums = [0, 0, 0]
    stale = False
    for i, lesson in enumerate(lessons, start=1):
        number = "app." if lesson.appendix else f"{lesson.number:02d}"
        if run:
            with console.status(f"[{i}/{len(lessons)}] running {lesson.stem}.ipynb…"):
                state, passed, attempted, total = _lesson_score(lesson, root, run=True)
        else:
            state, passed, attempted, total = _lesson_score(lesson, root, run=False)
        shown_total = "?" if total is None else str(total)
        title = f"{lesson.title:34}"[:34]
        if state == "scored":
            line = f"{passed:>6} {attempted:>9} {shown_total:>5}"
            sums[0] += passed
            sums[1] += attempted
        else:
            line = f"[dim]{state:>16}[/dim] {shown_total:>5}"
            stale = stale or state == "not run yet"
        sums[2] += total or 0
        console.print(f"{number:5}{title} {line}", highlight=False)
    console.print(f"{'':5}{'all lessons':34} {sums[0]:>6} {sums[1]:>9} {sums[2]:>5}",
                  highlight=False)
    if stale:
        console.print("[dim]Run a notebook and save it to count it here, or use "
                      "calcml check --run.[/dim]", highlight=False)
    return 0


def _parser() -> argparse.ArgumentParser:
    from calcml import __version__

    parser = argparse.ArgumentParser(
        prog="calcml", description="Calculus for Machine Learning — the course's command line.")
    parser.add_argument("--version", action="version", version=f"calcml {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="execute every lesson and render the book to _build/html")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="lessons executed at once (default: number of cores)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("lab", help="open JupyterLab on the lessons")
    p.add_argument("lab_args", nargs=argparse.REMAINDER, help="passed on to jupyter lab")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("list", help="list the lessons and their exercise counts")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "check", help="run a notebook and print a scoreboard of its exercises; with no "
                      "notebook, the whole course's scoreboard",
        description="calcml check NOTEBOOK runs the notebook in a fresh kernel and prints "
                    "one line per exercise. calcml check (no notebook) prints one line per "
                    "lesson of the course (passed / attempted / total), read from the "
                    "verdicts saved in the outputs of your notebooks/NN-*.ipynb — instant, "
                    "and as of the last time you ran and saved each notebook; a notebook "
                    "with no outputs shows 'not run yet'. Add --run to execute every "
                    "lesson's notebook in a fresh kernel instead (seconds per lesson; the "
                    "files are not changed).")
    p.add_argument("notebook", nargs="?", default=None,
                   help="path to a lesson notebook (.ipynb or .md); leave out for the "
                        "course's scoreboard")
    p.add_argument("--solutions", action="store_true",
                   help="check the worked solutions instead of your answers")
    p.add_argument("--run", action="store_true",
                   help="course scoreboard only: execute each notebook first instead of "
                        "reading its saved outputs")
    p.set_defaults(func=cmd_check)

    _add_extra_commands(sub)
    return parser


def _add_extra_commands(sub) -> None:
    """Subcommands that live in modules of this package (``calcml/cli/<name>.py``).

    Each such module defines ``register(sub)``, which adds its subparser (with
    ``set_defaults(func=...)``), and may define ``VALUE_OPTIONS`` / ``FLAGS``: then an
    argument that starts with "-" but is none of them is read as an expression (so that
    ``calcml diff "-x^2"`` works). Modules import nothing heavy at import time.
    """
    for name in _plugin_names():
        importlib.import_module(f"calcml.cli.{name}").register(sub)


def _plugin_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(__path__)
                  if not info.name.startswith("_"))


def _expression_not_option(args: list[str], value_options, flags) -> list[str]:
    """Let ``calcml diff "-x^2"`` work: an expression that starts with "-" is no option.

    Options (``value_options`` with their value, ``flags``, ``-h``) are kept; every other
    word is an expression and goes after ``--``, where argparse reads no options.
    """
    value_options, flags = set(value_options), {"-h", "--help", *flags}
    options, words, i = [], [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            words += args[i + 1:]
            break
        if arg in value_options and i + 1 < len(args):
            options.append(f"{arg}={args[i + 1]}")  # joined: a value "-oo" is no option
            i += 2
            continue
        if arg.split("=", 1)[0] in value_options or arg in flags:
            options.append(arg)
        else:
            words.append(arg)
        i += 1
    return [*options, "--", *words] if words else options


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _plugin_names():
        module = importlib.import_module(f"calcml.cli.{argv[0]}")
        if hasattr(module, "VALUE_OPTIONS"):
            argv = [argv[0], *_expression_not_option(argv[1:], module.VALUE_OPTIONS,
                                                     getattr(module, "FLAGS", ()))]
    if argv[:1] == ["lab"] and not {"-h", "--help"} & set(argv[1:2]):
        args = parser.parse_args(["lab"])
        args.lab_args = argv[1:]  # everything else goes to jupyter lab as it is
    else:
        args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except UserError as exc:
        print(f"calcml: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("calcml: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
