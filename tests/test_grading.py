"""calcml grade: a generated class of right, wrong, empty and broken notebooks gets
exactly the marks it deserves, and nothing outside the temporary folders changes."""

import csv
import hashlib
import json

import nbformat
import pytest

from calcml.cli import main
from calcml.grading import _check_calls, find_submissions, grade_folder, grade_notebook
from calcml.notebook import exercise_sections, read_notebook, solution_code
from conftest import ROOT

pytestmark = pytest.mark.xdist_group("grading")

LESSON = ROOT / "notebooks" / "03-rules-of-differentiation.ipynb"


def _lesson_parts():
    """The lesson's first code cell (its imports) and its exercise sections, each with
    the exercise cell's index, the answer variable and the worked solution."""
    nb = read_notebook(LESSON)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    sections = []
    for section in exercise_sections(nb):
        cells = [nb.cells[i] for i in [section.heading_cell, *section.cells]]
        exercise = next(c for c in cells if "exercise" in c.get("metadata", {}).get("tags", []))
        solution = next(s for c in cells if c.cell_type == "markdown"
                        for s in [solution_code(c.source)] if s)
        sections.append((section.id, cells, exercise, _check_calls(exercise.source)[section.id],
                         solution))
    return setup, sections


def _notebook(first=None, answer=None, extra_first=""):
    """A student's notebook: the setup cell, then every exercise with ``answer(id, expr,
    solution, placeholder)`` as the exercise cell's code (None: left as handed out)."""
    setup, sections = _lesson_parts()
    cells = [nbformat.v4.new_code_cell(first if first is not None else setup.source + extra_first)]
    for ex_id, section_cells, exercise, expr, solution in sections:
        for cell in section_cells:
            cell = nbformat.from_dict(json.loads(json.dumps(cell)))
            if cell is not None and cell.source == exercise.source and answer is not None:
                cell.source = answer(ex_id, expr, solution, exercise.source)
            cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def _ids():
    return [ex_id for ex_id, *_ in _lesson_parts()[1]]


def _write(folder, name, nb):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _wrong(ex_id, expr, solution, placeholder):
    return f"{expr} = None\ncheck({ex_id!r}, {expr})"


def _right(ex_id, expr, solution, placeholder):
    return solution


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """A class folder: the cases of the issue, one student each."""
    folder = tmp_path_factory.mktemp("submissions")
    ids = _ids()
    _write(folder, "alice/03-rules-of-differentiation.ipynb", _notebook(answer=_right))
    _write(folder, "bob/03-rules-of-differentiation.ipynb", _notebook(answer=_wrong))
    _write(folder, "carol.ipynb", _notebook())  # handed in as handed out
    _write(folder, "erin/lesson.ipynb",
           _notebook(answer=_right, extra_first="\nimport a_module_that_does_not_exist"))

    def syntax(ex_id, expr, solution, placeholder):
        return solution if ex_id != ids[0] else f'{expr} = "3x^2 sin(x)\ncheck({ex_id!r}, {expr})'

    _write(folder, "frank/03.ipynb", _notebook(answer=syntax))
    vandal = _notebook(answer=_right, extra_first=(
        "\nimport os\nopen('written-by-gina.txt', 'w').write('x')\n"
        "for name in os.listdir('.'):\n    os.remove(name)\n"))
    _write(folder, "gina/03.ipynb", vandal)

    def fake(ex_id, expr, solution, placeholder):
        return (f"{_wrong(ex_id, expr, solution, placeholder)}\n"
                f"from IPython.display import display\n"
                f"print('✓ Exercise {ex_id}: correct — well done!')\n"
                f"display({{'application/vnd.calcml.check+json': {{'exercise': {ex_id!r}, "
                f"'status': 'passed', 'message': 'ok'}}}}, raw=True)")

    _write(folder, "hank/03.ipynb", _notebook(answer=fake))
    _write(folder, "ivan/03.ipynb", _notebook(answer=_wrong, extra_first=(
        "\ndef check(*args):\n    print('✓ passed')\n")))

    def altered(ex_id, expr, solution, placeholder):  # drops the check line, answer right
        return "\n".join(line for line in solution.splitlines() if "check(" not in line)

    _write(folder, "judy/03.ipynb", _notebook(answer=altered))
    (folder / "kim").mkdir()
    (folder / "kim" / "03.ipynb").write_text("this is not a notebook", encoding="utf-8")
    _write(folder, "leo/notes.ipynb", nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# My notes"), nbformat.v4.new_code_cell("1 + 1")]))
    (folder / "readme.txt").write_text("not graded", encoding="utf-8")
    return folder


def _snapshot(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(klass, tmp_path_factory):
    before = _snapshot(klass)
    out = tmp_path_factory.mktemp("gradebook")
    csv_path, json_path = out / "gradebook.csv", out / "gradebook.json"
    status = main(["grade", str(klass), "--csv", str(csv_path), "--json", str(json_path),
                   "--jobs", "2", "--timeout", "120"])
    assert status == 0
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"rows": rows, "json": json.loads(json_path.read_text(encoding="utf-8")),
            "before": before, "after": _snapshot(klass), "out": out}


def test_students_are_named_by_folder_or_file(klass):
    students = [s for s, _ in find_submissions(klass)]
    assert students == ["alice", "bob", "carol", "erin", "frank", "gina", "hank", "ivan",
                        "judy", "kim", "leo"]


def test_right_wrong_and_unattempted_answers(graded):
    rows, ids = graded["rows"], _ids()
    assert [rows["alice"][i] for i in ids] == ["passed"] * len(ids)
    assert rows["alice"]["passed"] == rows["alice"]["total"] == str(len(ids))
    assert rows["alice"]["lesson"] == "03-rules-of-differentiation"
    assert rows["alice"]["note"] == ""
    assert [rows["bob"][i] for i in ids] == ["failed"] * len(ids)
    assert rows["bob"]["passed"] == "0"
    assert [rows["carol"][i] for i in ids] == ["not attempted"] * len(ids)


def test_fake_passes_and_a_redefined_check_are_not_believed(graded):
    rows, ids = graded["rows"], _ids()
    assert [rows["hank"][i] for i in ids] == ["failed"] * len(ids)
    assert [rows["ivan"][i] for i in ids] == ["failed"] * len(ids)


def test_broken_notebooks_say_what_happened(graded):
    rows, ids = graded["rows"], _ids()
    assert "ModuleNotFoundError" in rows["erin"]["note"]
    assert rows["frank"][ids[0]] == "error"
    assert f"syntax error in exercise {ids[0]}" in rows["frank"]["note"]
    assert [rows["frank"][i] for i in ids[1:]] == ["passed"] * (len(ids) - 1)
    assert "altered" in rows["judy"]["note"]
    assert [rows["judy"][i] for i in ids] == ["passed"] * len(ids)  # graded on the answer
    assert rows["kim"]["note"].startswith("not a notebook")
    assert rows["leo"]["note"].startswith("not a lesson")
    assert rows["kim"]["total"] == rows["leo"]["total"] == "0"


def test_nothing_outside_the_temporary_folders_changes(graded):
    assert graded["before"] == graded["after"]
    assert list(graded["rows"]["gina"].values()).count("passed") == len(_ids())
    assert not (ROOT / "written-by-gina.txt").exists()
    assert not list(graded["out"].glob("written-by-gina.txt"))


def test_json_carries_the_same_with_messages(graded):
    by_student = {r["student"]: r for r in graded["json"]}
    assert set(by_student) == set(graded["rows"])
    bob = by_student["bob"]["exercises"]
    assert all(e["status"] == "failed" and e["message"] for e in bob.values())


def test_a_second_run_takes_unchanged_notebooks_from_the_cache(klass, graded, tmp_path):
    cache = graded["out"] / ".gradebook.csv.calcml-cache.json"
    assert cache.is_file()
    rows = grade_folder(klass, root=ROOT, jobs=1, timeout=120, cache=cache, show_progress=False)
    assert all(r.cached for r in rows)
    assert {r.student: r.statuses for r in rows}["alice"] == dict.fromkeys(_ids(), "passed")


def test_an_infinite_loop_is_ended_by_the_time_limit(tmp_path):
    def loop(ex_id, expr, solution, placeholder):
        return "import time\nwhile True:\n    time.sleep(0.05)" if ex_id == _ids()[0] else solution

    path = _write(tmp_path, "looper.ipynb", _notebook(answer=loop))
    row = grade_notebook("looper", path, root=ROOT, timeout=12)
    assert "timed out" in row.note
    assert row.statuses[_ids()[0]] == "error"
    assert row.seconds < 12 + 25


def test_bad_arguments_are_one_line(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nowhere"), "--csv", "x.csv"]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["grade", str(tmp_path)]) == 2
    assert "--csv" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--csv", str(tmp_path / "g.csv")]) == 2
    assert "inside the submissions folder" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--csv", "g.csv", "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_link_prints_the_nbgitpuller_link(capsys):
    assert main(["link", "--hub", "https://hub.example.edu/", "5"]) == 0
    assert capsys.readouterr().out.strip() == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com"
        "%2Fcalcml%2Fcalcml&urlpath=lab%2Ftree%2Fcalcml%2Fnotebooks%2F05-gradients.ipynb"
        "&branch=main")
    assert main(["link", "--hub", "https://hub.example.edu", "--repo",
                 "https://github.com/me/course.git"]) == 0
    assert "urlpath=lab%2Ftree%2Fcourse%2Fnotebooks&" in capsys.readouterr().out
    assert main(["link", "--hub", "https://hub.example.edu", "99"]) == 2
    assert "no lesson '99'" in capsys.readouterr().err


def test_the_instructors_page_shows_what_calcml_link_prints(capsys):
    page = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    assert main(["link", "--hub", "https://hub.example.edu", "1"]) == 0
    assert capsys.readouterr().out.strip() in page
    assert "calcml link --hub https://hub.example.edu 1" in page
