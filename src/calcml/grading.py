"""Grading a class: every student's notebook run in its own kernel and scored exercise by
exercise with the course's checkers (``calcml grade DIR --csv gradebook.csv``).

How one notebook is graded
--------------------------
1. The file is copied into a fresh temporary folder; the kernel runs there (its working
   directory), in a child process with a time limit and a memory limit. The submissions
   folder is only read, never written.
2. The outputs the student saved are thrown away: nothing the notebook printed counts.
3. Before any student cell runs, a first cell takes a private copy of every exercise's
   checker; after each exercise cell, a grader cell hands the answer that the course's
   own exercise cell passes to ``check`` (``answer``, ``f``, … read from the course's
   lesson, not from the student's cell) to that copy. The verdict travels back in an
   output type named with a random token of this run, so a printed "✓", a redefined
   ``check`` or a forged verdict from an earlier run is not read.
4. An exercise cell whose ``check("N.M", …)`` line the student changed or removed is
   flagged in the note, and still graded on the course's answer variable.

Statuses: ``passed``, ``failed``, ``not attempted`` (the placeholder ``...`` is still
there) and ``error`` (the exercise cell raised, or the answer was never defined).

What it does not defend against: code in the notebook that sets out to subvert the
grader inside its own kernel (for example by patching calcml's checker functions in
``sys.modules``), and file access by absolute path (the kernel runs with the grader's
own permissions; run the grader as an unprivileged user or in a container when that
matters). The instructors' page of the book says the same.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["STATUSES", "Row", "find_submissions", "grade_folder", "grade_notebook",
           "write_csv", "write_json"]

STATUSES = ("passed", "failed", "not attempted", "error")
DEFAULT_TIMEOUT = 180.0  # seconds per notebook
DEFAULT_MEMORY_MB = 4096  # address space per process (the kernel and its runner)
_GRACE = 20.0  # seconds the runner gets beyond the notebook's time limit


@dataclass
class Row:
    """One notebook's line of the gradebook."""

    student: str
    file: str
    lesson: str = ""
    statuses: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    note: str = ""
    seconds: float = 0.0
    kernel_seconds: float = 0.0  # of which: before a cell could run (process and kernel start)
    cached: bool = False

    @property
    def passed(self) -> int:
        return sum(s == "passed" for s in self.statuses.values())

    @property
    def total(self) -> int:
        return len(self.statuses)


# --- finding the submissions -----------------------------------------------------------------
def find_submissions(folder: str | Path) -> list[tuple[str, Path]]:
    """Every ``*.ipynb`` under ``folder`` with the student it belongs to: the name of the
    sub-folder it sits in (``alice/01-….ipynb`` → ``alice``), or its file name when it
    sits in ``folder`` itself. Checkpoint copies and hidden folders are skipped."""
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file; give the folder of submissions")
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue  # .ipynb_checkpoints, hidden folders
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem
        found.append((student, path))
    return found


# --- the course's side: which lesson, which answer variable ----------------------------------
def _check_calls(code: str) -> dict[str, str]:
    """``{"1.3": "answer"}`` for each ``check("1.3", EXPR)`` call in ``code``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {}
    calls = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "check" and len(node.args) == 2
                and isinstance(node.args[0], ast.Constant)):
            calls[str(node.args[0].value)] = ast.get_source_segment(code, node.args[1]) or ""
    return calls


def _exercise_cells(nb) -> dict[str, int]:
    """Exercise id → index of its code cell tagged ``exercise`` (or its first code cell)."""
    from calcml.notebook import exercise_sections

    cells = {}
    for section in exercise_sections(nb):
        code = [i for i in section.cells if nb.cells[i].cell_type == "code"]
        tagged = [i for i in code if "exercise" in nb.cells[i].get("metadata", {}).get("tags", [])]
        if tagged or code:
            cells[section.id] = (tagged or code)[0]
    return cells


def _course_templates(root: Path | None) -> dict[str, tuple[str, dict[str, str]]]:
    """For each lesson of the course: its stem and ``{exercise id: answer expression}``."""
    from calcml.lessons import existing_lessons
    from calcml.notebook import read_notebook

    templates = {}
    if root is None:
        return templates
    for lesson, path in existing_lessons(root):
        nb = read_notebook(path)
        answers = {}
        for index in _exercise_cells(nb).values():
            answers.update(_check_calls(nb.cells[index].source))
        templates[str(lesson.number)] = (lesson.stem, answers)
    return templates


# --- inside the student's kernel ---------------------------------------------------------------
def _kernel_grader(token: str):
    """Run in the student's kernel before any of their cells: a private copy of every
    checker, and the function the grader cells call. Not for use by lessons."""
    from IPython.display import display

    from calcml.exercises.core import Result, Status, evaluate_with, registry

    checkers = {ex_id: ex.checker for ex_id, ex in registry().items()}
    mime = f"application/vnd.calcml.grade-{token}+json"

    def grade_answer(exercise_id, get_answer):
        try:
            answer = get_answer()
        except NameError as exc:
            result = Result(exercise_id, Status.FAILED, f"no answer: {exc}")
            status = "error"
        else:
            result = evaluate_with(exercise_id, checkers[exercise_id], answer)
            status = result.status.value
        display({mime: {"exercise": exercise_id, "status": status,
                        "message": result.message}}, raw=True)

    return grade_answer


def _graded_copy(nb, lesson_answers: dict[str, str], token: str):
    """The student's notebook without outputs, with the grader's cells put in; and the
    index, in that copy, of each exercise's own cell."""
    import nbformat

    grader = f"_calcml_grader_{token}"
    cells = [nbformat.v4.new_code_cell(
        f"from calcml.grading import _kernel_grader\n{grader} = _kernel_grader({token!r})\n"
        "del _kernel_grader")]
    where = {index: ex_id for ex_id, index in _exercise_cells(nb).items()}
    own = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell(cell.source, metadata=cell.get("metadata", {}))
        if i in where:
            own[where[i]] = len(cells)
        cells.append(cell)
        if i in where and where[i] in lesson_answers:
            ex_id = where[i]
            cells.append(nbformat.v4.new_code_cell(
                f"{grader}({ex_id!r}, lambda: ({lesson_answers[ex_id]}))"))
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}
    return out, own


def _grade_in_this_process(path: Path, workdir: Path, root: Path | None,
                           timeout: float) -> dict:
    """Grade one notebook (run by the child process); return the row's fields."""
    from calcml.notebook import NotebookError, exercise_sections, read_notebook, syntax_errors

    try:
        nb = read_notebook(path)
    except NotebookError as exc:
        return {"note": f"not a notebook: {exc}"}
    ids = [s.id for s in exercise_sections(nb)]
    templates = _course_templates(root)
    lessons = {ex_id.split(".")[0] for ex_id in ids}
    if not ids or len(lessons) != 1 or next(iter(lessons)) not in templates:
        return {"note": "not a lesson of this course (no exercises of one lesson)"}
    stem, answers = templates[next(iter(lessons))]
    statuses = dict.fromkeys(answers, "not attempted")
    messages = dict.fromkeys(answers, "")
    notes = []
    cells = _exercise_cells(nb)
    altered = sorted((ex_id for ex_id, expr in answers.items()
                      if ex_id in cells and _check_calls(nb.cells[cells[ex_id]].source)
                      .get(ex_id) != expr), key=_id_key)
    missing = sorted(set(answers) - set(cells), key=_id_key)
    if altered:
        notes.append(f"exercise cell altered: {', '.join(altered)}")
    if missing:
        notes.append(f"exercise missing: {', '.join(missing)}")
        for ex_id in missing:
            statuses[ex_id], messages[ex_id] = "error", "the exercise is not in the notebook"
    broken = syntax_errors(nb)
    if broken:
        where = {index: ex_id for ex_id, index in cells.items()}
        bad = sorted({where.get(int(p.split()[1]) - 1) for p in broken} - {None}, key=_id_key)
        notes.append("syntax error" + (f" in exercise {', '.join(bad)}" if bad else
                                       " in a cell outside the exercises"))

    token = secrets.token_hex(8)
    graded, own = _graded_copy(nb, answers, token)
    mime = f"application/vnd.calcml.grade-{token}+json"
    started, kernel_ready, died = time.perf_counter(), None, None
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    client = NotebookClient(graded, timeout=max(1, int(timeout)), kernel_name="python3",
                            allow_errors=True, interrupt_on_timeout=True,
                            record_timing=False, resources={"metadata": {"path": str(workdir)}})
    interrupted = False
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            kernel_ready = time.perf_counter()
            for index, cell in enumerate(graded.cells):
                remaining = timeout - (time.perf_counter() - started)
                if remaining <= 0:
                    interrupted = True
                    break
                client.timeout = max(1, int(remaining))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    interrupted = True
    except DeadKernelError as exc:
        died = str(exc).splitlines()[0] if str(exc) else "the kernel died"
    except RuntimeError as exc:  # the kernel did not start
        died = str(exc).splitlines()[0]
    if interrupted or any(o.get("ename") == "KeyboardInterrupt" for c in graded.cells
                          if c.cell_type == "code" for o in c.get("outputs", [])):
        notes.append(f"timed out: a cell ran past the {timeout:g} s limit and was stopped")
    if died:
        notes.append(f"kernel died ({died})")

    # the verdicts; an exercise cell that raised is an error, whatever was defined before
    for cell in graded.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            verdict = out.get("data", {}).get(mime)
            if verdict and verdict.get("exercise") in statuses:
                statuses[verdict["exercise"]] = verdict["status"]
                messages[verdict["exercise"]] = verdict["message"]
    for ex_id, index in own.items():
        errors = [o for o in graded.cells[index].get("outputs", [])
                  if o.get("output_type") == "error"]
        if errors and ex_id in statuses and statuses[ex_id] != "passed":
            statuses[ex_id] = "error"
            messages[ex_id] = f"the cell raised {errors[0]['ename']}: {errors[0]['evalue']}"[:300]
    own_cells = set(own.values())
    for cell in graded.cells[1:]:
        if cell.cell_type != "code" or cell.source.startswith(f"_calcml_grader_{token}("):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors and graded.cells.index(cell) not in own_cells \
                and errors[0]["ename"] != "KeyboardInterrupt":
            notes.append(f"a cell outside the exercises raised {errors[0]['ename']}: "
                         f"{errors[0]['evalue']}"[:200])
            break
    if died or interrupted:
        for ex_id in statuses:  # never reached: the run stopped before the grader cell
            if statuses[ex_id] == "not attempted" and not messages[ex_id]:
                statuses[ex_id], messages[ex_id] = "error", "not reached: the run stopped"
    end = time.perf_counter()
    return {"lesson": stem, "statuses": statuses, "messages": messages,
            "note": "; ".join(notes), "seconds": end - (kernel_ready or end)}


def _id_key(ex_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ex_id.split(".") if p.isdigit())


# --- the parent's side: one child process per notebook ----------------------------------------
def grade_notebook(student: str, path: str | Path, *, root: Path | None,
                   timeout: float = DEFAULT_TIMEOUT,
                   memory_mb: int = DEFAULT_MEMORY_MB) -> Row:
    """Grade one notebook in a child process and a temporary folder of its own."""
    path = Path(path)
    row = Row(student, str(path))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="calcml-grade-") as tmp:
        tmp = Path(tmp)
        work = tmp / "work"
        work.mkdir()
        copy = work / path.name
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            row.note = f"cannot read the file ({exc.strerror})"
            return row
        result_file = tmp / "result.json"
        cmd = [sys.executable, "-m", "calcml.grading", str(copy), str(result_file),
               str(timeout), str(root) if root else "", str(int(memory_mb))]
        # its own session (process group): a time-out ends the kernel with it
        proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout + _GRACE)
        except subprocess.TimeoutExpired:
            with _quietly():
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            row.note = f"timed out after {timeout:g} s"
            row.seconds = time.perf_counter() - start
            return row
        finally:
            with _quietly():
                os.killpg(proc.pid, signal.SIGKILL)  # whatever the notebook left running
        if not result_file.is_file():
            last = (err or b"").decode(errors="replace").strip().splitlines()
            hint = " (out of memory?)" if any("MemoryError" in ln for ln in last) else ""
            row.note = f"the grader's process failed{hint}: {last[-1] if last else proc.returncode}"
            return row
        fields = json.loads(result_file.read_text(encoding="utf-8"))
    for key, value in fields.items():
        setattr(row, key, value)
    running = row.seconds  # the child's time with a kernel ready to run cells
    row.seconds = time.perf_counter() - start
    row.kernel_seconds = row.seconds - running  # process start, imports, kernel start
    return row


class _quietly:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], (ProcessLookupError, PermissionError))


def _checker_fingerprint() -> str:
    """Changes whenever calcml or its checkers change: then every notebook is re-graded."""
    from calcml import __version__, exercises

    digest = hashlib.sha256(__version__.encode())
    for path in [*sorted(Path(exercises.__path__[0]).glob("*.py")), Path(__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def grade_folder(folder: str | Path, *, root: Path | None, jobs: int = 1,
                 timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB,
                 cache: Path | None = None, force: bool = False,
                 show_progress: bool = True) -> list[Row]:
    """Grade every notebook under ``folder`` (see :func:`find_submissions`).

    ``cache``: a JSON file of earlier results; a notebook whose bytes (and the course's
    checkers) have not changed since is not run again, unless ``force``.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    submissions = find_submissions(folder)
    fingerprint = _checker_fingerprint()
    known = {}
    if cache is not None and cache.is_file() and not force:
        try:
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved.get("fingerprint") == fingerprint:
                known = saved.get("rows", {})
        except (OSError, ValueError):
            known = {}
    rows, todo = {}, []
    for student, path in submissions:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        key = f"{path}:{digest}"
        if key in known:
            rows[path] = Row(**{**known[key], "cached": True})
        else:
            todo.append((student, path, key))
    keys = {}
    with Progress(TextColumn("[bold]grading"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), disable=not show_progress) as progress:
        task = progress.add_task("grading", total=len(submissions), completed=len(rows))
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(grade_notebook, student, path, root=root, timeout=timeout,
                                   memory_mb=memory_mb): (path, key)
                       for student, path, key in todo}
            for future in as_completed(futures):
                path, key = futures[future]
                rows[path] = future.result()
                keys[key] = rows[path]
                progress.advance(task)
    if cache is not None:
        fresh = {k: v for k, v in known.items() if k.split(":")[0] in map(str, rows)}
        fresh.update({k: {**asdict(r), "cached": False} for k, r in keys.items()})
        cache.write_text(json.dumps({"fingerprint": fingerprint, "rows": fresh}, indent=1),
                         encoding="utf-8")
    return [rows[path] for _, path in submissions]


# --- writing the gradebook -----------------------------------------------------------------------
def _columns(rows: list[Row]) -> list[str]:
    ids = {ex_id for row in rows for ex_id in row.statuses}
    return sorted(ids, key=_id_key)


def write_csv(rows: list[Row], path: str | Path) -> None:
    """One row per notebook: student, file, lesson, one column per exercise, the total
    (passed/total) and a note."""
    ids = _columns(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "file", "lesson", *ids, "passed", "total", "note"])
        for row in rows:
            writer.writerow([row.student, row.file, row.lesson,
                             *(row.statuses.get(ex_id, "") for ex_id in ids),
                             row.passed, row.total, row.note])


def write_json(rows: list[Row], path: str | Path) -> None:
    """The same as :func:`write_csv`, with each exercise's message, for tools."""
    out = [{"student": r.student, "file": r.file, "lesson": r.lesson,
            "exercises": {ex_id: {"status": r.statuses[ex_id], "message": r.messages.get(ex_id, "")}
                          for ex_id in sorted(r.statuses, key=_id_key)},
            "passed": r.passed, "total": r.total, "note": r.note,
            "seconds": round(r.seconds, 3)} for r in rows]
    Path(path).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


def _main(argv: list[str]) -> int:  # the child: python -m calcml.grading NB OUT T ROOT MB
    import resource

    notebook, out, timeout, root, megabytes = argv
    limit = int(megabytes) * 1024 * 1024  # inherited by the kernel this process starts
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    result = _grade_in_this_process(Path(notebook), Path(notebook).parent,
                                    Path(root) if root else None, float(timeout))
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
