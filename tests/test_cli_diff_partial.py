"""``calcml diff EXPR --wrt VAR``: partial derivatives (lesson 04), with multi-letter
variables (w, b, x1, w12); the other variables are held fixed, and the steps say ∂/∂VAR."""

import pytest
import sympy as sp

from calcml.cli import main
from calcml.parsing import parse_expression
from calcml.symbolic import derivative_steps


def answer_of(capsys, *args):
    assert main(["diff", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.parametrize(
    ("expr", "var"),
    [
        ("x^2*y + sin(x*y)", "y"),
        ("x^2*y + sin(x*y)", "x"),
        ("(w*x + b - y)^2", "w"),
        ("(w*x + b - y)^2", "b"),
        ("x1^2*x2 + exp(x1*x2)", "x1"),
        ("x1^2*x2 + exp(x1*x2)", "x2"),
        ("tanh(w1*x1 + w2*x2 + b)", "w2"),
        ("1/(1 + e^(-(w12*x + b)))", "w12"),
        ("ln(1 + e^(w*x))*b^2", "b"),
    ],
)
def test_partial_derivative_agrees_with_sympy(capsys, expr, var):
    out = answer_of(capsys, expr, "--wrt", var)
    lines = out.splitlines()
    assert lines[0].startswith(f"∂/∂{var}[")
    assert lines[-1].startswith(f"Answer: ∂/∂{var}[")
    parsed = parse_expression(expr, variables=(var,))
    symbol = next(s for s in parsed.free_symbols if s.name == var)
    steps = derivative_steps(expr, var=var)
    exact = sp.diff(parsed, symbol)
    assert sp.simplify(steps.result.xreplace({steps.var: symbol}) - exact) == 0


def test_the_other_variable_is_a_constant_factor(capsys):
    out = answer_of(capsys, "x^2*y", "--wrt", "y")
    assert "constant multiple rule: ∂/∂y[x^2*y] = x^2*∂/∂y[y] = x^2" in out
    assert out.splitlines()[-1] == "Answer: ∂/∂y[x^2*y] = x^2"


def test_w_and_b_of_a_squared_error(capsys):
    assert answer_of(capsys, "(w*x + b - y)^2", "--wrt", "b").splitlines()[-1] == (
        "Answer: ∂/∂b[(b + w*x - y)^2] = 2*b + 2*w*x - 2*y")
    out = answer_of(capsys, "(w*x + b - y)^2", "--wrt", "w")
    assert "chain rule" in out


def test_subscripted_variables_are_distinct_from_their_letter(capsys):
    out = answer_of(capsys, "x1*x2 + x^2", "--wrt", "x1")
    assert out.splitlines()[-1] == "Answer: ∂/∂x1[x^2 + x1*x2] = x2"


def test_one_variable_keeps_d_not_partial(capsys):
    assert answer_of(capsys, "w^3", "--wrt", "w").splitlines()[-1] == "Answer: d/dw[w^3] = 3*w^2"


def test_a_variable_that_does_not_occur_gives_zero(capsys):
    assert answer_of(capsys, "x*y", "--wrt", "z").splitlines()[-1] == "Answer: ∂/∂z[x*y] = 0"


def test_latex_uses_partial(capsys):
    out = answer_of(capsys, "x*y", "--wrt", "y", "--latex")
    assert r"\frac{\partial}{\partial y}\left[x y\right]" in out
    assert r"\frac{d}" not in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["x*y", "--wrt", "sin"], "function or a constant"),
        (["x*y", "--wrt", "2x"], "variable name"),
        (["x*y", "--wrt", "x_1"], "variable name"),
        (["2wx", "--wrt", "w"], "unknown name 'wx'"),
        (["x1x2", "--wrt", "x1"], "unknown name 'x1x2'"),
    ],
)
def test_bad_input_is_one_line(capsys, args, fragment):
    assert main(["diff", *args]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
