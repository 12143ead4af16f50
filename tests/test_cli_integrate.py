"""``calcml integrate``: steps and answer on stdout; bounds incl. ±oo; bad input is one line."""

import pytest

from calcml.cli import main


def test_prints_the_steps_and_the_answer(capsys):
    assert main(["integrate", "x*exp(x)"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "∫ x*exp(x) dx:"
    assert "integration by parts with u = x, dv = exp(x) dx" in lines[1]
    assert lines[-1] == "Answer: ∫ x*exp(x) dx = (x - 1)*exp(x) + C"
    assert err == ""


def test_infinite_bounds_that_start_with_a_minus(capsys):
    assert main(["integrate", "exp(-x^2)", "--from", "-oo", "--to", "oo"]) == 0
    out = capsys.readouterr().out
    assert "error function" in out
    assert out.splitlines()[-1] == "Answer: ∫_-oo^oo exp(-x^2) dx = sqrt(pi)"


def test_an_expression_that_starts_with_a_minus(capsys):
    assert main(["integrate", "-x^2", "--from", "-1", "--to", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Answer: ∫_-1^2 -x^2 dx = -3"


def test_other_variable_and_latex(capsys):
    assert main(["integrate", "t*sin(t)", "--var", "t", "--latex"]) == 0
    out = capsys.readouterr().out
    assert "**parts**" in out
    assert r"\,dt" in out


def test_divergent(capsys):
    assert main(["integrate", "1/x", "--from", "1", "--to", "oo"]) == 0
    assert "diverges" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "fragment"), [
    (["integrate", "x+*"], "cannot integrate"),
    (["integrate", "x", "--from", "0"], "both --from and --to"),
    (["integrate", "x", "--from", "0", "--to", "y"], "real number"),
    (["integrate", "x", "--var", "sin"], "variable"),
])
def test_bad_input_is_one_line(capsys, argv, fragment):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
