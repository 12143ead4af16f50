"""The exercise mechanism and the answer readers, independent of any lesson."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcml.exercises import MIME_TYPE, Hint, NotAttempted, Status, check, evaluate
from calcml.exercises.answers import (
    as_number,
    expect_array,
    expect_expression,
    expect_function,
    expect_number,
)


def _hint(fn, *args, **kwargs):
    with pytest.raises(Hint) as info:
        fn(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [(None, "None"), ("3", "string"), (True, "boolean"), (np.ones(3), "shape (3,)"),
     (float("nan"), "NaN"), (1 + 2j, "complex"), (object(), "a number is expected")],
)
def test_as_number_names_the_problem(answer, fragment):
    assert fragment in _hint(as_number, answer)


def test_as_number_accepts_numeric_kinds():
    import sympy as sp

    for value in (2, 2.0, np.float32(2.0), np.array(2.0), [2.0], sp.Integer(2), 2 + 0j):
        assert as_number(value) == 2.0


def test_expect_number_diagnoses():
    assert "sign" in _hint(expect_number, -2.0, 2.0)
    assert "factor of 2" in _hint(expect_number, 4.0, 2.0)
    assert "known" in _hint(expect_number, 7.0, 2.0, mistakes=[(7.0, "a known slip")])
    assert "too large" in _hint(expect_number, 2.5, 2.0)
    assert "too small" in _hint(expect_number, 1.5, 2.0)
    assert "finite" in _hint(expect_number, 1e6, math.inf)
    expect_number(2.0 + 1e-9, 2.0)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_expect_number_never_prints_the_answer(value):
    expected = 0.123456789
    if math.isclose(value, expected, rel_tol=1e-6):
        return
    assert "0.123457" not in _hint(expect_number, value, expected)


def test_expect_function_diagnoses():
    xs = [0.5, 1.0, 2.0]
    assert "wrong sign" in _hint(expect_function, lambda t: -math.cos(t), math.cos, xs)
    assert "constant" in _hint(expect_function, lambda t: math.cos(t) + 1, math.cos, xs)
    assert "factor of 2" in _hint(expect_function, lambda t: 2 * math.cos(t), math.cos, xs)
    assert "ZeroDivisionError" in _hint(expect_function, lambda t: 1 / 0, math.cos, xs)
    assert "None" in _hint(expect_function, lambda t: None, math.cos, xs)
    assert "function" in _hint(expect_function, 3.0, math.cos, xs)
    assert "expected about" in _hint(expect_function, math.sin, math.cos, xs)
    with pytest.raises(NotAttempted):
        expect_function(lambda t: ..., math.cos, xs)
    expect_function(lambda t: math.cos(t), math.cos, xs)


def test_expect_array_diagnoses():
    want = np.arange(6.0).reshape(2, 3)
    assert "transposed" in _hint(expect_array, want.T, want)
    assert "reshape" in _hint(expect_array, want.ravel(), want)
    assert "NaN" in _hint(expect_array, np.full((2, 3), np.nan), want)
    assert "sign" in _hint(expect_array, -want, want)
    assert "index (0, 1)" in _hint(expect_array, want + np.eye(2, 3)[[1, 0]] * 0 + [[0, 5, 0], [0, 0, 0]], want)
    expect_array(want.tolist(), want)


def test_expect_expression():
    expect_expression("2x*cos(x^2)", "2*x*cos(x**2)")
    assert "inner derivative" in _hint(expect_expression, "cos(x^2)", "2*x*cos(x**2)")
    assert "factor of 2" in _hint(expect_expression, "4x*cos(x^2)", "2*x*cos(x**2)")
    assert "missing" in _hint(expect_expression, "cos(x^2)", "2*x*cos(x**2)",
                              mistakes=[("cos(x^2)", "missing the inner derivative")])
    assert "could not be read" in _hint(expect_expression, "__import__('os')", "x")
    assert "depend on x only" in _hint(expect_expression, "x*y", "x")


def test_evaluate_and_check(capsys):
    assert evaluate("1.1", ...).status is Status.NOT_ATTEMPTED
    result = evaluate("1.1", "nonsense")
    assert result.status is Status.FAILED
    bundle = result._repr_mimebundle_()
    assert bundle[MIME_TYPE]["status"] == "failed"
    assert "✗" in bundle["text/plain"]
    check("1.1", ...)
    assert "not attempted" in capsys.readouterr().out
    with pytest.raises(KeyError, match="known exercises"):
        evaluate("99.9", 1)
