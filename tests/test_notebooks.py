"""The lessons as files: pairs in sync, no outputs committed, exercises well formed,
solutions that pass, and the same text output on every run."""

import json

import jupytext
import nbformat
import pytest

from calcml.exercises import registry
from calcml.lessons import APPENDICES, LESSONS, existing_lessons
from calcml.notebook import execute, exercise_sections, grade, read_notebook, with_solutions
from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
PRESENT = existing_lessons(ROOT)
STEMS = [lesson.stem for lesson, _ in PRESENT]


def _cells(nb):
    return [(c.cell_type, c.source.strip(), sorted(c.get("metadata", {}).get("tags", [])))
            for c in nb.cells]


def test_only_course_lessons_exist():
    allowed = {lesson.stem for lesson in (*LESSONS, *APPENDICES)}
    for path in NOTEBOOKS.iterdir():
        if path.suffix in {".md", ".ipynb"}:
            assert path.stem in allowed, f"{path.name} is not one of the course's lessons"


@pytest.mark.parametrize("stem", STEMS)
def test_pair_in_sync(stem):
    md = jupytext.read(NOTEBOOKS / f"{stem}.md")
    ipynb_path = NOTEBOOKS / f"{stem}.ipynb"
    assert ipynb_path.exists(), f"run `make notebooks` to create {ipynb_path.name}"
    ipynb = nbformat.read(ipynb_path, as_version=4)
    assert _cells(md) == _cells(ipynb), f"{stem}: .md and .ipynb differ — run `make notebooks`"


@pytest.mark.parametrize("stem", STEMS)
def test_no_outputs_committed(stem):
    raw = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{stem}: outputs committed"
            assert cell["execution_count"] is None


@pytest.mark.parametrize(("lesson", "path"), PRESENT, ids=STEMS)
def test_exercises_well_formed(lesson, path):
    nb = read_notebook(path)
    sections = exercise_sections(nb)
    assert len(sections) >= 4, f"{lesson.stem} has {len(sections)} exercises; at least 4 expected"
    known = registry()
    ids = [s.id for s in sections]
    assert len(set(ids)) == len(ids), f"duplicate exercise ids in {lesson.stem}: {ids}"
    for section in sections:
        assert section.id.split(".")[0] == str(lesson.number), section.id
        assert section.id in known, f"exercise {section.id} has no registered checker"
    with_solutions(nb)  # raises when an exercise lacks its cell or its solution


@pytest.mark.notebooks
@pytest.mark.parametrize(("lesson", "path"), PRESENT, ids=STEMS)
def test_lesson_runs_solutions_pass_and_output_is_deterministic(lesson, path, executed_dir):
    """Two fresh kernels per lesson: the learner's version (placeholders in place) must
    run top to bottom with every exercise "not attempted"; the worked solutions must
    all pass; and the teaching cells (everything before the first exercise) must print
    the same text in both runs. The learner's run is kept for the book test."""
    learner = read_notebook(path.with_suffix(".ipynb"))  # what a learner opens
    keep = executed_dir / f"{lesson.stem}.ipynb"
    try:
        as_given, _ = execute(learner, path.parent)  # raises, naming the cell, on any error
    except BaseException:
        keep.with_suffix(".failed").touch()  # the book test stops waiting for it
        raise
    untouched = [(s.id, status) for s, status, _ in grade(as_given) if status != "not attempted"]
    assert not untouched, f"placeholders in {lesson.stem} do not read as not attempted: {untouched}"
    nbformat.write(as_given, keep.with_suffix(".tmp"))
    keep.with_suffix(".tmp").replace(keep)  # atomic: the book test may be reading

    solved, _ = execute(with_solutions(learner), path.parent)
    failing = [(s.id, status, msg) for s, status, msg in grade(solved) if status != "passed"]
    assert not failing, f"solutions that do not pass in {lesson.stem}: {failing}"
    first = min(i for s in exercise_sections(learner) for i in s.cells)
    assert _text_outputs(as_given, first) == _text_outputs(solved, first), \
        f"{lesson.stem} is not deterministic: two runs printed different text"


def _text_outputs(nb, stop=None):
    texts = []
    for i, cell in enumerate(nb.cells[:stop]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append((i, out["name"], out["text"]))
            elif "data" in out and "text/plain" in out["data"]:
                plain = out["data"]["text/plain"]
                if "Figure size" in plain or "widget" in plain.lower():
                    continue  # repr of figures/widgets carries object ids
                texts.append((i, "data", plain))
    return texts
