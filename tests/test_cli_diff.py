"""``calcml diff``: the steps and the answer on stdout; bad input is one line, exit 2."""

import os

import pytest

from calcml.cli import main


def test_prints_the_steps_and_the_answer(capsys):
    assert main(["diff", "x^2*sin(x)"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "d/dx[x^2*sin(x)]:"
    assert "product rule" in lines[1]
    assert "1.1. power rule: d/dx[x^2] = 2*x" in out
    assert "1.2. trigonometric function: d/dx[sin(x)] = cos(x)" in out
    assert lines[-1] == "Answer: d/dx[x^2*sin(x)] = x^2*cos(x) + 2*x*sin(x)"
    assert err == ""


def test_other_variable(capsys):
    assert main(["diff", "e^(-t^2/2)", "--var", "t"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "Answer: d/dt[exp(-t^2/2)] = -t*exp(-t^2/2)"
    assert "chain rule" in out


def test_expression_starting_with_minus_after_double_dash(capsys):
    assert main(["diff", "--var", "x", "--", "-x^3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Answer: d/dx[-x^3] = -3*x^2"


def test_latex_output(capsys):
    assert main(["diff", "--latex", "ln(x)"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(r"$\begin{aligned}")
    assert out.endswith(r"\end{aligned}$")
    assert r"\frac{1}{x}" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["diff", "x^2 +"], "cannot differentiate 'x^2 +'"),
        (["diff", "sin(x"], "unbalanced"),
        (["diff", "foo(x)"], "unknown name 'foo'"),
        (["diff", "__import__('os').system('echo pwned')"], "not allowed"),
        (["diff", "x.real"], "not allowed"),
        (["diff", "9^9^9^9"], "too large"),
        (["diff", "1/0"], "undefined"),
        (["diff", "x^2", "--var", "2x"], "var must be a variable name"),
        (["diff", "x^2", "--var", "sin"], "function or a constant"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, argv, fragment):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("calcml: ")
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_nothing_is_executed(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    assert main(["diff", "__import__('os').system('echo pwned')"]) == 2
    assert calls == []
    assert "pwned" not in capsys.readouterr().out


def test_missing_expression_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["diff"])
    assert info.value.code == 2
    assert "expression" in capsys.readouterr().err


def test_help_names_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "diff" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["diff", "-x^2"], ["diff", "-x^2", "--var", "x"], ["diff", "--var", "x", "--", "-x^2"]],
)
def test_diff_expression_may_start_with_a_minus(capsys, argv):
    assert main(argv) == 0
    assert "-2*x" in capsys.readouterr().out
