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
