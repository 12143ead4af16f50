"""Reading, executing and grading lesson notebooks.

Used by ``calcml check``, ``calcml build`` and the tests, so that all three agree on
what an exercise is:

* an exercise is a markdown heading that starts with "Exercise", e.g.
  ``### Exercise 1.3 — one-sided limits``; its id is the number after the word;
* the learner's code cell below it carries the tag ``exercise`` and calls
  ``check("1.3", answer)``;
* its worked solution is the Python code block inside the markdown cell that opens
  with ``<details>`` and a ``Solution`` summary, right after the exercise cell.
"""

from __future__ import annotations

import copy
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ExerciseSection",
    "NotebookError",
    "execute",
    "exercise_sections",
    "grade",
    "read_notebook",
    "solution_code",
    "with_solutions",
]

_HEADING = re.compile(r"^(#{1,6})\s+Exercise\s+([0-9]+(?:\.[0-9]+)*)\s*[—–:.-]*\s*(.*)$",
                      re.MULTILINE)
_ANY_HEADING = re.compile(r"^(#{1,6})\s+\S", re.MULTILINE)
_ANY_HEADING_TEXT = re.compile(r"^#{1,6}\s+(\S.*)$", re.MULTILINE)
_SOLUTION = re.compile(r"^\s*<details[^>]*>\s*<summary>\s*Solution", re.IGNORECASE)
_CODE_BLOCK = re.compile(r"```(?:python|ipython3?)?\s*\n(.*?)```", re.DOTALL)


class NotebookError(Exception):
    """A file that cannot be used as a lesson notebook; the message says why."""


@dataclass
class ExerciseSection:
    """One exercise: its id, title and the indices of the cells under its heading."""

    id: str
    title: str
    heading_cell: int
    cells: list[int] = field(default_factory=list)


def read_notebook(path: str | Path):
    """Read a ``.ipynb`` notebook or a MyST markdown (jupytext) notebook.

    Raises
    ------
    NotebookError
        Missing file, a folder, or a file that is not a notebook.
    """
    import jupytext
    import nbformat

    path = Path(path)
    if not path.exists():
        raise NotebookError(f"no such file: {path}")
    if path.is_dir():
        raise NotebookError(f"{path} is a folder, not a notebook")
    if path.suffix not in {".ipynb", ".md"}:
        raise NotebookError(f"{path} is not a notebook (expected a .ipynb or .md file)")
    try:
        nb = jupytext.read(path) if path.suffix == ".md" else nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 — any reader error means "not a notebook"
        raise NotebookError(f"{path} is not a readable notebook ({type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    if not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{path} is not a notebook (no cells)")
    return nb


def syntax_errors(nb) -> list[str]:
    """Describe each code cell that Python cannot parse (IPython magics allowed).

    Each description starts ``cell N`` (N counts every cell from 1) and names where a
    learner finds the cell in JupyterLab, which shows no cell numbers: the exercise it
    belongs to, or else the heading of its section —
    ``cell 86 (Exercise 3.2 — the quotient rule) has a syntax error on line 2: ...``.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    manager = TransformerManager()
    problems = []
    places = _cell_places(nb)
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        source = manager.transform_cell(cell.source)
        try:
            compile(source, f"cell {number}", "exec")
        except SyntaxError as exc:
            line = source.splitlines()[exc.lineno - 1].strip() if exc.lineno and \
                exc.lineno <= len(source.splitlines()) else ""
            shown = f" ({line[:60]!r})" if line else ""
            quotes = ""
            if re.match(r"answer\s*=\s*[^\s\"'.]", line) and not line.rstrip().endswith(
                    ("...", '"', "'")):
                quotes = (' — an expression typed as on paper goes in quotes, e.g. '
                          'answer = "3x^2 + sin x"')
            problems.append(f"cell {number} ({places[number - 1]}) has a syntax error on "
                            f"line {exc.lineno} of the cell{shown}: {exc.msg}{quotes}")
    return problems


def _cell_places(nb) -> list[str]:
    """For each cell, where a reader finds it: its exercise, or the heading above it."""
    exercise_of = {}
    for section in exercise_sections(nb):
        for i in section.cells:
            exercise_of[i] = f"Exercise {section.id}" + (f" — {section.title}"
                                                         if section.title else "")
    places, heading = [], "before the first heading"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found = _ANY_HEADING_TEXT.findall(cell.source)
            if found:
                heading = f"under the heading “{found[-1].strip()}”"
        places.append(exercise_of.get(i, heading))
    return places


def exercise_sections(nb) -> list[ExerciseSection]:
    """The exercises of a notebook, in order, with the cells that belong to each."""
    sections: list[ExerciseSection] = []
    current: ExerciseSection | None = None
    level = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                current = ExerciseSection(match.group(2), match.group(3).strip(), i)
                level = len(match.group(1))
                sections.append(current)
                continue
            if current is not None:
                current.cells.append(i)
                other = _ANY_HEADING.search(cell.source)
                if other and len(other.group(1)) <= level:
                    current = None  # a heading at the same level closes the exercise
            continue
        if current is not None:
            current.cells.append(i)
    return sections


def solution_code(markdown: str) -> str | None:
    """The Python code of a ``<details><summary>Solution`` markdown cell, if it is one."""
    if not _SOLUTION.match(markdown):
        return None
    blocks = _CODE_BLOCK.findall(markdown)
    return "\n".join(b.rstrip() for b in blocks) + "\n" if blocks else None


def with_solutions(nb):
    """A copy of ``nb`` in which each exercise cell is replaced by its worked solution.

    Raises
    ------
    NotebookError
        An exercise has no ``exercise``-tagged cell or no solution after it.
    """
    nb = copy.deepcopy(nb)
    for section in exercise_sections(nb):
        cells = [nb.cells[i] for i in section.cells]
        targets = [c for c in cells if c.cell_type == "code"
                   and "exercise" in c.get("metadata", {}).get("tags", [])]
        solutions = [solution_code(c.source) for c in cells if c.cell_type == "markdown"]
        solutions = [s for s in solutions if s]
        if not targets:
            raise NotebookError(f"exercise {section.id} has no code cell tagged 'exercise'")
        if len(solutions) != len(targets):
            raise NotebookError(f"exercise {section.id} has {len(targets)} exercise cell(s) "
                                f"but {len(solutions)} solution(s)")
        for target, code in zip(targets, solutions, strict=True):
            target.source = code.rstrip("\n")
    return nb


def execute(nb, cwd: str | Path, *, timeout: int = 600, allow_errors: bool = False):
    """Execute ``nb`` in a fresh kernel with working directory ``cwd``.

    Returns the executed notebook and the wall time in seconds. With
    ``allow_errors=False`` a failing cell raises ``nbclient`` 's ``CellExecutionError``.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    _, nb = nbformat.validator.normalize(nb)  # fills in cell ids a text notebook lacks
    nb = nbformat.from_dict(nb)
    for attempt in range(_KERNEL_START_ATTEMPTS):
        work = copy.deepcopy(nb)
        client = NotebookClient(work, timeout=timeout, kernel_name="python3",
                                allow_errors=allow_errors, record_timing=False,
                                coalesce_streams=True,  # chunking of prints depends on timing
                                resources={"metadata": {"path": str(cwd)}})
        start = time.perf_counter()
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's log lines are noise here
        except RuntimeError as exc:
            # a kernel can die while starting when several start at once (a port taken
            # between choosing and binding it); nothing has run yet, so start afresh
            if "before replying to kernel_info" not in str(exc) or \
                    attempt == _KERNEL_START_ATTEMPTS - 1:
                raise
            continue
        return work, time.perf_counter() - start
    raise AssertionError("unreachable")  # the loop returns or raises


_KERNEL_START_ATTEMPTS = 3


def grade(nb) -> list[tuple[ExerciseSection, str, str]]:
    """Read the verdicts out of an executed notebook.

    Returns one ``(section, status, message)`` per exercise heading, where ``status``
    is ``"passed"``, ``"failed"`` or ``"not attempted"``.
    """
    from calcml.exercises.core import MIME_TYPE

    verdicts = []
    for section in exercise_sections(nb):
        status, message = "not attempted", "no answer checked yet"
        for i in section.cells:
            cell = nb.cells[i]
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                data = out.get("data", {})
                if MIME_TYPE in data and data[MIME_TYPE].get("exercise") == section.id:
                    status = data[MIME_TYPE]["status"]
                    message = data[MIME_TYPE]["message"]
                elif out.get("output_type") == "error":
                    status = "failed"
                    message = f"the cell raised {out['ename']}: {out['evalue']}"[:300]
        verdicts.append((section, status, message))
    return verdicts
