"""The exercise mechanism and the answer readers, independent of any lesson."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcml.exercises import MIME_TYPE, NotAttempted, Status, check, evaluate
from calcml.exercises.answers import (
    as_number,
    expect_array,
    expect_expression,
    expect_function,
    expect_number,
)
from conftest import hint_of


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [(None, "None"), ("three", "string"), (True, "boolean"), (np.ones(3), "shape (3,)"),
     (float("nan"), "NaN"), (1 + 2j, "complex"), (object(), "a number is expected")],
)
def test_as_number_names_the_problem(answer, fragment):
    assert fragment in hint_of(as_number, answer)


def test_as_number_accepts_numeric_kinds():
    import sympy as sp

    for value in (2, 2.0, np.float32(2.0), np.array(2.0), [2.0], sp.Integer(2), 2 + 0j):
        assert as_number(value) == 2.0


def test_expect_number_diagnoses():
    assert "sign" in hint_of(expect_number, -2.0, 2.0)
    assert "factor" in hint_of(expect_number, 4.0, 2.0)
    assert "known" in hint_of(expect_number, 7.0, 2.0, mistakes=[(7.0, "a known slip")])
    assert "too large" in hint_of(expect_number, 2.5, 2.0)
    assert "too small" in hint_of(expect_number, 1.5, 2.0)
    assert "finite" in hint_of(expect_number, 1e6, math.inf)
    expect_number(2.0 + 1e-9, 2.0)


def test_expect_number_near_miss_from_rounding():
    expected = 2.7608209785513926
    hint = hint_of(expect_number, 2.761, expected, rtol=1e-5)
    assert "close but slightly too large" in hint
    assert "don't round" in hint
    assert "at least 6 significant figures" in hint
    assert "2.76082" not in hint
    assert "slightly too small" in hint_of(expect_number, 2.76, expected, rtol=1e-5)
    assert "at least 7 significant figures" in hint_of(expect_number, 2.761, expected)
    expect_number(2.76082, expected, rtol=1e-5)  # six figures are enough
    # farther than 1 %: no longer a near miss
    assert "close" not in hint_of(expect_number, 2.8, expected, rtol=1e-5)
    # a whole number is approached by a table or an approximation: a near miss too
    hint = hint_of(expect_number, 9_999.2, 10_000, rtol=0, atol=0.5)
    assert "close but slightly too small" in hint
    assert "table or an approximation" in hint
    assert "close but slightly too large" in hint_of(expect_number, 2.01, 2.0)
    assert hint_of(expect_number, 9_000, 10_000, rtol=0, atol=0.5).endswith("(9000) is too small")


def test_expect_number_factor_hint():
    assert "chain rule" in hint_of(expect_number, 18.0, 36.0)
    hint = hint_of(expect_number, 18.0, 36.0, factor_hint="count the calls")
    assert "factor — count the calls" in hint
    assert "chain rule" not in hint
    hint = hint_of(expect_number, 18.0, 36.0, factor_hint=None)
    assert "factor" not in hint
    assert "too small" in hint
    # known mistakes still come first
    assert hint_of(expect_number, 12.0, 36.0, mistakes=[(12.0, "one call")], factor_hint=None) == "one call"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_expect_number_never_prints_the_answer(value):
    expected = 0.123456789
    if math.isclose(value, expected, rel_tol=1e-6):
        return
    assert "0.123457" not in hint_of(expect_number, value, expected)


def test_expect_function_diagnoses():
    xs = [0.5, 1.0, 2.0]
    assert "wrong sign" in hint_of(expect_function, lambda t: -math.cos(t), math.cos, xs)
    assert "constant" in hint_of(expect_function, lambda t: math.cos(t) + 1, math.cos, xs)
    assert "factor" in hint_of(expect_function, lambda t: 2 * math.cos(t), math.cos, xs)
    assert "ZeroDivisionError" in hint_of(expect_function, lambda t: 1 / 0, math.cos, xs)
    assert "None" in hint_of(expect_function, lambda t: None, math.cos, xs)
    assert "function" in hint_of(expect_function, 3.0, math.cos, xs)
    hint = hint_of(expect_function, math.sin, math.cos, xs)
    assert hint == "at x = 0.5 your function gives 0.479425538604, which is too small"
    with pytest.raises(NotAttempted):
        expect_function(lambda t: ..., math.cos, xs)
    expect_function(lambda t: math.cos(t), math.cos, xs)


def test_expect_array_diagnoses():
    want = np.arange(6.0).reshape(2, 3)
    assert "transposed" in hint_of(expect_array, want.T, want)
    assert "reshape" in hint_of(expect_array, want.ravel(), want)
    assert "NaN" in hint_of(expect_array, np.full((2, 3), np.nan), want)
    assert "sign" in hint_of(expect_array, -want, want)
    assert "index (0, 1)" in hint_of(expect_array, want + np.eye(2, 3)[[1, 0]] * 0 + [[0, 5, 0], [0, 0, 0]], want)
    expect_array(want.tolist(), want)


def test_expect_array_constant_factor():
    want = np.array([[0.3, -1.2, 0.7], [2.5, 0.0, -0.4]])
    assert "constant factor everywhere" in hint_of(expect_array, 2 * want, want)
    assert "constant factor everywhere" in hint_of(expect_array, want / 8, want)  # a mean
    assert "constant factor everywhere" in hint_of(expect_array, -3 * want, want)
    assert "chain rule" in hint_of(expect_array, 2 * want, want)
    assert "count it" in hint_of(expect_array, 2 * want, want, factor_hint="count it")
    assert "factor" not in hint_of(expect_array, 2 * want, want, factor_hint=None)
    # an odd factor is diagnosed, but not named
    hint = hint_of(expect_array, 1.37 * want, want)
    assert "constant factor everywhere" in hint
    assert "1.37" not in hint
    assert "sign" in hint_of(expect_array, -want, want)  # the sign check comes first
    assert "factor" not in hint_of(expect_array, want + 1, want)
    assert "factor" not in hint_of(expect_array, np.zeros_like(want), want)
    # with one non-zero entry any value there is "a factor": no factor diagnosis
    assert "differs" in hint_of(expect_array, [0.0, 1.0], [0.0, 2.0], rtol=0, atol=1e-4)


def test_expect_array_near_miss_from_rounding():
    want = np.array([[0.256507, -0.127562], [0.657863, 0.921306], [-0.0719518, 0.534467]])
    hint = hint_of(expect_array, np.round(want, 3), want)
    assert "close to the expected values everywhere" in hint
    assert "don't round" in hint
    assert "at least 7 significant figures" in hint
    expect_array(np.round(want, 9), want)
    # one entry far off: not a near miss
    far = np.round(want, 3)
    far[1, 1] = 2.0
    assert "differs from the expected values" in hint_of(expect_array, far, want)
    # whole-number entries get the near miss too (a table stopped too early)
    assert "close to the expected values everywhere" in hint_of(expect_array, [1.001, 2.0], [1.0, 2.0])


def test_expect_expression():
    expect_expression("2x*cos(x^2)", "2*x*cos(x**2)")
    assert "inner derivative" in hint_of(expect_expression, "cos(x^2)", "2*x*cos(x**2)")
    assert "factor" in hint_of(expect_expression, "4x*cos(x^2)", "2*x*cos(x**2)")
    assert "missing" in hint_of(expect_expression, "cos(x^2)", "2*x*cos(x**2)",
                              mistakes=[("cos(x^2)", "missing the inner derivative")])
    assert "could not be read" in hint_of(expect_expression, "__import__('os')", "x")
    assert "depend on x only" in hint_of(expect_expression, "x*y", "x")


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


def test_an_exercise_id_typed_as_a_number():
    assert evaluate(3.6, 1 / 6).status is Status.PASSED  # check(3.6, ...) without quotes
    assert evaluate(" 3.6", 1 / 6).status is Status.PASSED
    with pytest.raises(KeyError, match='as a string in quotes'):
        evaluate(9.99, 1)
    with pytest.raises(KeyError, match="must be a string"):
        evaluate(None, 1)


def test_a_check_that_takes_too_long_is_stopped():
    import time

    from calcml.exercises import core
    from calcml.exercises.core import evaluate_with

    def slow(answer):
        time.sleep(30)

    old, core.CHECK_SECONDS = core.CHECK_SECONDS, 0.2
    try:
        result = evaluate_with("9.1", slow, 1)
    finally:
        core.CHECK_SECONDS = old
    assert result.status is Status.FAILED
    assert "took more than 0.2 s" in result.message


def test_time_limits_nest():
    import time

    from calcml.exercises.core import TimeUp, time_limit, within_time

    assert within_time(0.1, lambda: time.sleep(5), "late") == "late"
    assert within_time(5, lambda: 42) == 42
    with pytest.raises(TimeUp), time_limit(0.2):  # the outer limit wins inside the inner
        within_time(10, lambda: time.sleep(5), "inner default")


def _spin(seconds):
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_time_limit_stops_a_block_that_swallows_its_first_timeup():
    import contextlib
    import signal
    import time

    from calcml.exercises.core import within_time

    def swallowing():  # a library's bare except:, as SymPy has here and there
        with contextlib.suppress(BaseException):
            _spin(3)
        _spin(3)
        return "ran on"

    start = time.monotonic()
    assert within_time(0.1, swallowing, "stopped") == "stopped"
    assert time.monotonic() - start < 1.0
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_time_limit_raises_neither_in_a_finalizer_nor_in_a_gc_callback():
    import gc
    import sys

    from calcml.exercises.core import within_time

    class SpinsWhenFreed:
        def __del__(self):
            _spin(0.2)

    def slow_callback(phase, info):
        if phase == "stop":
            _spin(0.2)

    def work():
        SpinsWhenFreed()
        gc.collect()
        _spin(3)

    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    gc.callbacks.append(slow_callback)
    try:
        assert within_time(0.05, work, "stopped") == "stopped"
    finally:
        gc.callbacks.remove(slow_callback)
        sys.unraisablehook = hook
    assert unraisable == []
