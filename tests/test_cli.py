"""The calcml command: clear one-line errors, the scoreboard and its exit status."""

import os

import nbformat
import pytest

from calcml.cli import main
from calcml.lessons import LESSONS
from conftest import ROOT


def _notebook(tmp_path, *cells, name="learner.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _exercise_cell(source):
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["exercise"]})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.ipynb", "no such file"),
        (lambda p: p, "is a folder"),
        (lambda p: (p / "notes.txt").write_text("hi") and p / "notes.txt", "not a notebook"),
        (lambda p: (p / "broken.ipynb").write_text("{not json") and p / "broken.ipynb",
         "not a readable notebook"),
    ],
    ids=["missing", "folder", "not-a-notebook", "invalid-json"],
)
def test_check_bad_files_give_one_line(tmp_path, capsys, make, message):
    code = main(["check", str(make(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_check_syntax_error_names_the_cell(tmp_path, capsys):
    path = _notebook(tmp_path, nbformat.v4.new_markdown_cell("### Exercise 1.1 — x"),
                     nbformat.v4.new_code_cell("x = (1,"))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cell 2 (Exercise 1.1 — x) has a syntax error" in err  # named as JupyterLab shows it
    assert "Traceback" not in err


def test_check_syntax_error_of_an_unquoted_expression_says_quotes(tmp_path, capsys):
    path = _notebook(tmp_path, nbformat.v4.new_markdown_cell("## Intro"),
                     nbformat.v4.new_code_cell("import math"),
                     nbformat.v4.new_markdown_cell("### Exercise 3.1 — product"),
                     nbformat.v4.new_code_cell("answer = 3x^2 sin x\ncheck('3.1', answer)"))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cell 4 (Exercise 3.1 — product)" in err
    assert "'answer = 3x^2 sin x'" in err
    assert "goes in quotes" in err
    assert "Traceback" not in err


def test_check_without_exercises(tmp_path, capsys):
    path = _notebook(tmp_path, nbformat.v4.new_code_cell("1 + 1"))
    assert main(["check", str(path)]) == 2
    assert "no exercises" in capsys.readouterr().err


def test_scoreboard_counts_pass_fail_and_not_attempted(tmp_path, capsys):
    md = nbformat.v4.new_markdown_cell
    path = _notebook(
        tmp_path,
        nbformat.v4.new_code_cell("from calcml.exercises import check"),
        md("### Exercise 1.1 — right"), _exercise_cell('check("1.1", 3.0)'),
        md("### Exercise 1.1 — wrong"), _exercise_cell('check("1.1", 1.0)'),
        md("### Exercise 1.1 — untouched"), _exercise_cell('answer = ...\ncheck("1.1", answer)'),
        md("### Exercise 1.1 — crashes"), _exercise_cell("1 / 0"),
    )
    code = main(["check", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "1/4 passed" in out
    assert out.count("failed") == 2
    assert "ZeroDivisionError" in out
    assert "not attempted" in out
    assert "3.0" not in out.split("passed")[-1]  # the answer is never printed


def test_list_shows_every_lesson(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for lesson in LESSONS:
        assert f"{lesson.number:02d}" in out


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "build" in capsys.readouterr().out


def test_root_is_found_from_a_subfolder(monkeypatch, capsys):
    monkeypatch.chdir(ROOT / "src")
    assert main(["list"]) == 0


def test_lab_passes_its_options_on_to_jupyterlab(monkeypatch):
    import subprocess

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert main(["lab", "--no-browser", "--port", "8899"]) == 0
    cmd = calls[0]
    assert cmd[1:3] == ["-m", "jupyterlab"]
    assert cmd[-3:] == ["--no-browser", "--port", "8899"]
    assert any(arg.startswith("--notebook-dir=") and arg.endswith("notebooks") for arg in cmd)


def test_lab_as_root_passes_allow_root_once(monkeypatch, capsys):
    import subprocess

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert main(["lab", "--no-browser"]) == 0
    assert calls[-1][-2:] == ["--no-browser", "--allow-root"]
    assert "running as root" in capsys.readouterr().err
    assert main(["lab", "--allow-root"]) == 0
    assert calls[-1].count("--allow-root") == 1


# --- calcml check with no notebook: the course's scoreboard ---------------------------------


def _verdict(exercise_id, status):
    from calcml.exercises.core import MIME_TYPE

    return nbformat.v4.new_output(
        "display_data",
        data={"text/plain": f"{status}",
              MIME_TYPE: {"exercise": exercise_id, "status": status, "message": "..."}},
    )


def _lesson_notebook(n_exercises, number, outputs=None):
    """A notebook with ``n_exercises`` exercises; ``outputs[k]`` are exercise k's outputs."""
    md = nbformat.v4.new_markdown_cell
    cells = [nbformat.v4.new_code_cell("from calcml.exercises import check")]
    for k in range(1, n_exercises + 1):
        cell = _exercise_cell(f'check("{number}.{k}", ...)')
        if outputs and k in outputs:
            cell.outputs = outputs[k]
            cell.execution_count = k
        cells += [md(f"### Exercise {number}.{k} — part {k}"), cell]
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course folder: lessons 01 (run), 02 (not run), 03 (text source only), 06 (run,
    with a cell that raised); the others do not exist."""
    import jupytext

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    error = nbformat.v4.new_output("error", ename="NameError", evalue="x", traceback=[])
    books = {
        1: _lesson_notebook(4, 1, {1: [_verdict("1.1", "passed")],
                                   2: [_verdict("1.2", "failed")],
                                   3: [_verdict("1.3", "passed")]}),
        2: _lesson_notebook(5, 2),
        3: _lesson_notebook(3, 3),
        6: _lesson_notebook(2, 6, {2: [error]}),
    }
    for lesson in LESSONS:
        if lesson.number in books:
            nb = books[lesson.number]
            jupytext.write(nb, notebooks / f"{lesson.stem}.md", fmt="md:myst")
            if lesson.number != 3:
                nbformat.write(nb, notebooks / f"{lesson.stem}.ipynb")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _board_lines(out):
    return {line.split()[0]: line for line in out.splitlines() if line[:2].isdigit()}


def test_course_scoreboard_one_line_per_existing_lesson(course, capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    lines = _board_lines(out)
    assert sorted(lines) == ["01", "02", "03", "06"]  # lessons without a source are left out
    assert lines["01"].split()[-3:] == ["2", "3", "4"]  # passed, attempted, total
    assert "not run yet" in lines["02"]
    assert lines["02"].split()[-1] == "5"
    assert "no notebook" in lines["03"]
    assert lines["03"].split()[-1] == "3"
    assert lines["06"].split()[-3:] == ["0", "1", "2"]  # the cell that raised: attempted
    total = next(line for line in out.splitlines() if "all lessons" in line)
    assert total.split()[-3:] == ["2", "4", "14"]
    assert "saved" in out  # where the numbers come from ...
    assert "--run" in out  # ... and the way to fresh ones


def test_course_scoreboard_with_run_executes_each_notebook(course, capsys, monkeypatch):
    import calcml.notebook

    ran = []

    def fake_execute(nb, cwd, **kwargs):  # every exercise passes when run
        ran.append(len(nb.cells))
        nb = nbformat.from_dict(nb)
        for i, cell in enumerate(nb.cells):
            if "exercise" in cell.get("metadata", {}).get("tags", []):
                cell.outputs = [_verdict(cell.source.split('"')[1], "passed")]
                cell.execution_count = i
        return nb, 0.1

    monkeypatch.setattr(calcml.notebook, "execute", fake_execute)
    assert main(["check", "--run"]) == 0
    lines = _board_lines(capsys.readouterr().out)
    assert len(ran) == 3  # 01, 02 and 06 have notebooks; 03 has only its text source
    assert lines["02"].split()[-3:] == ["5", "5", "5"]
    assert "no notebook" in lines["03"]
    assert (course / "notebooks" / "02-derivatives-basics.ipynb").read_text().count(
        "vnd.calcml") == 0  # the learner's file is not changed


def test_course_scoreboard_option_errors(course, capsys):
    assert main(["check", "--solutions"]) == 2
    assert "--solutions needs a notebook" in capsys.readouterr().err
    assert main(["check", "--run", "notebooks/02-derivatives-basics.ipynb"]) == 2
    assert "--run is for the whole course" in capsys.readouterr().err


def test_course_scoreboard_of_this_course(capsys, monkeypatch):
    from calcml.lessons import existing_lessons

    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    for lesson, _ in existing_lessons(ROOT):
        assert lesson.title[:30] in out


def test_check_help_says_where_the_scoreboard_comes_from(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for phrase in ("saved in the outputs", "--run", "not run yet"):
        assert phrase in out


def test_course_scoreboard_survives_a_broken_notebook(course, capsys):
    (course / "notebooks" / "02-derivatives-basics.ipynb").write_text("{not json")
    assert main(["check"]) == 0
    lines = _board_lines(capsys.readouterr().out)
    assert "unreadable" in lines["02"]
    assert lines["01"].split()[-3:] == ["2", "3", "4"]
