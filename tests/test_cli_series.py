"""``calcml series``: the verdict and its steps on stdout; bad input is one line, exit 2."""

import pytest

from calcml.cli import main


def test_prints_verdict_and_steps(capsys):
    assert main(["series", "1/n^2"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("Σ_{n≥1} n**(-2): converges — p-series")
    assert "p = 2 > 1" in out
    assert err == ""


def test_sympy_counterexample(capsys):
    assert main(["series", "1 - cos(1/n)", "--time-limit", "30"]) == 0
    out = capsys.readouterr().out
    assert "converges — limit comparison with 1/n**2" in out.splitlines()[0]


def test_start_and_other_index(capsys):
    assert main(["series", "1/log(k)", "--var", "k", "--start", "2", "--time-limit", "30"]) == 0
    assert "diverges" in capsys.readouterr().out.splitlines()[0]


def test_term_starting_with_minus(capsys):
    assert main(["series", "-1/n^2"]) == 0
    assert "converges" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "fragment"), [
    (["series", "1/log(n)"], "undefined at n = 1"),
    (["series", "x/n"], "depends on x"),
    (["series", "1/n", "--start", "1.5"], "--start must be a whole number"),
    (["series", "1/n", "--time-limit", "soon"], "--time-limit"),
    (["series", "1/(n"], "cannot"),
])
def test_bad_input_is_one_line(args, fragment, capsys):
    assert main(args) == 2
    _out, err = capsys.readouterr()
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
