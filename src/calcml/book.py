"""Build the course book: execute every lesson in a fresh kernel, then render with Sphinx.

The lessons' text sources (``notebooks/NN-*.md``) are executed here, not by Sphinx,
so a learner sees a progress bar with each lesson's time, and a failing lesson is
named with its cell. The executed notebooks are staged with the book's sources
(``book/``) in ``_build/src`` and rendered by Sphinx + myst-nb into ``_build/html``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from calcml.lessons import Lesson, existing_lessons

__all__ = ["BuildError", "build", "execute_lessons"]

TOC_MARKER = "<!-- lessons -->"


class BuildError(Exception):
    """The book could not be built; the message names the lesson and the cause."""


def _run_one(lesson: Lesson, path: Path, executed: Path | None = None):
    from nbclient.exceptions import CellExecutionError

    from calcml.notebook import execute, read_notebook

    done = executed / f"{lesson.stem}.ipynb" if executed is not None else None
    if done is not None and done.is_file():
        import nbformat

        return nbformat.read(done, as_version=4), 0.0
    nb = read_notebook(path)
    try:
        return execute(nb, path.parent)
    except CellExecutionError as exc:
        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        raise BuildError(f"lesson {lesson.stem} failed: {lines[-1] if lines else exc}") from None


def execute_lessons(root: Path, *, jobs: int = 2, show_progress: bool = True,
                    executed: Path | None = None):
    """Execute every existing lesson; return ``[(lesson, executed_nb, seconds)]``.

    ``executed``: a folder of lessons already executed in fresh kernels
    (``NN-slug.ipynb``, as the test suite leaves them); those are used as they are
    (0.0 s), the others are executed.

    Raises
    ------
    BuildError
        One or more lessons failed; all failures are listed.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    lessons = existing_lessons(root)
    done, failures = [], []
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  disable=not show_progress, transient=False) as progress:
        task = progress.add_task("executing lessons", total=len(lessons))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(_run_one, lesson, path, executed): lesson
                       for lesson, path in lessons}
            for future in as_completed(futures):
                lesson = futures[future]
                try:
                    nb, seconds = future.result()
                except BuildError as exc:
                    failures.append(str(exc))
                    if show_progress:
                        progress.console.print(f"[red]✗ {lesson.stem}[/red]  {exc}")
                else:
                    done.append((lesson, nb, seconds))
                    if show_progress:
                        progress.console.print(f"[green]✓[/green] {lesson.stem:30s} {seconds:5.1f} s")
                progress.advance(task)
    if failures:
        raise BuildError("\n".join(sorted(failures)))
    return sorted(done, key=lambda item: (item[0].appendix, item[0].number))


def _toc(lessons: list[Lesson]) -> str:
    """The front page's lesson table and the (hidden) tables of contents: the lessons,
    then the appendices (the primer) under their own caption."""
    def row(lesson: Lesson) -> str:
        number = "Appendix" if lesson.appendix else f"{lesson.number:02d}"
        return (f"| [{number} — {lesson.title}](notebooks/{lesson.stem}.ipynb) "
                f"| {lesson.teaches} | {lesson.ml_connection} |")

    def toctree(caption: str, pages: list[Lesson]) -> str:
        entries = "\n".join(f"notebooks/{lesson.stem}" for lesson in pages)
        return f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: {caption}\n\n{entries}\n```\n"

    main = [lesson for lesson in lessons if not lesson.appendix]
    extra = [lesson for lesson in lessons if lesson.appendix]
    rows = "\n".join(row(lesson) for lesson in main + extra)
    table = f"| lesson | what it teaches | its ML connection |\n|---|---|---|\n{rows}\n"
    out = f"{table}\n{toctree('Lessons', main)}"
    if extra:
        out += f"\n{toctree('Appendix', extra)}"
    return out


def build(root: Path, *, out: Path | None = None, jobs: int = 2,
          show_progress: bool = True, executed: Path | None = None) -> Path:
    """Execute the lessons and render the book; return the path of ``index.html``.

    ``executed``: a folder of already executed lessons to use instead of running them
    again (see :func:`execute_lessons`).
    """
    import nbformat

    out = out or root / "_build"
    stage, html = out / "src", out / "html"
    lessons = execute_lessons(root, jobs=jobs, show_progress=show_progress,
                              executed=executed)
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(root / "book", stage)
    (stage / "notebooks").mkdir()
    for lesson, nb, _ in lessons:
        nbformat.write(nb, stage / "notebooks" / f"{lesson.stem}.ipynb")
    index = (stage / "index.md").read_text(encoding="utf-8")
    (stage / "index.md").write_text(index.replace(TOC_MARKER, _toc([x[0] for x in lessons])),
                                    encoding="utf-8")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
           "-d", str(out / "doctrees"), str(stage), str(html)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"Sphinx failed:\n{proc.stderr.strip() or proc.stdout.strip()}")
    return html / "index.html"
