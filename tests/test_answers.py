"""The generic diagnoses of calcml.exercises.answers: chain-rule factors, point values,
factor hints, values as typed, near misses, numbers in many forms, plural names."""

import dataclasses
import math
import os
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from calcml.exercises.answers import (
    CHAIN_RULE_FACTOR,
    as_number,
    expect_array,
    expect_expression,
    expect_function,
    expect_number,
)
from conftest import hint_of

MISSING = "missing a factor that depends on x"
EXTRA = "extra factor that depends on x"


# --- 1. the chain-rule factor diagnosis of expect_expression --------------------------------

@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("2x*sin(x^2)", "2x cos(x^2)"),  # wrong outer derivative
        ("2x*cos(2x)", "2x cos(x^2)"),  # wrong inner function
        ("2x*cos(x)^2", "2x cos(x^2)"),
        ("(1-2x^2)/(1+x^2)^2", "(1 - x^2)/(1 + x^2)^2"),  # a slip in the numerator
        ("x^(x-1)", "x^x (ln(x) + 1)"),  # the power rule on x^x
        ("e^x", "x^2"),
    ],
)
def test_a_different_function_is_no_factor_mistake(answer, expected):
    hint = hint_of(expect_expression, answer, expected, what="your derivative")
    assert "factor" not in hint
    assert hint.startswith("at x = ")  # the point-value message


def test_a_missing_inner_derivative_is_named():
    hint = hint_of(expect_expression, "cos(x^2)", "2x cos(x^2)")
    assert MISSING in hint
    assert "inner derivative" in hint
    # up to a constant: cos(x^2) for 4x cos(x^2) misses 2·(2x)
    assert MISSING in hint_of(expect_expression, "cos(x^2)", "4x cos(x^2)")
    # the sigmoid: the power rule alone misses the derivative of 1 + e^(-x)
    sigma_slope = "e^(-x)/(1 + e^(-x))^2"
    assert MISSING in hint_of(expect_expression, "-1/(1 + e^(-x))^2", sigma_slope)
    assert MISSING in hint_of(expect_expression, "1/(1 + e^(-x))^2", sigma_slope,
                            derivative_of="1/(1 + e^(-x))")


def test_an_extra_factor_has_its_own_wording():
    sigma_slope = "e^(-x)/(1 + e^(-x))^2"
    for kwargs in ({}, {"derivative_of": "1/(1 + e^(-x))"}):
        hint = hint_of(expect_expression, "-x*e^(-x)/(1 + e^(-x))^2", sigma_slope, **kwargs)
        assert EXTRA in hint
        assert "inner function itself" in hint
        assert MISSING not in hint
    hint = hint_of(expect_expression, "4x^2 cos(x^2)", "2x cos(x^2)")  # 2x applied twice
    assert EXTRA in hint
    assert "twice" in hint


def test_derivative_of_is_where_the_inner_functions_come_from():
    # d/dx sin(x^2): without derivative_of the expected 2x cos(x^2) also holds x^2
    assert MISSING in hint_of(expect_expression, "cos(x^2)", "2x cos(x^2)", derivative_of="sin(x^2)")
    # a factor 2x that no inner function of x^3 explains is not called a chain-rule slip
    assert "factor" not in hint_of(expect_expression, "3x^2/(2x)", "3x^2", derivative_of="x^3")


def test_a_constant_factor_still_goes_to_expect_function():
    assert "constant factor" in hint_of(expect_expression, "4x cos(x^2)", "2x cos(x^2)")
    assert "count" in hint_of(expect_expression, "4x cos(x^2)", "2x cos(x^2)", factor_hint="count")


# --- 2. point values: the learner's value and a direction, the variable's name -------------

def test_expect_function_point_message_names_var_value_and_direction():
    hint = hint_of(expect_function, lambda w: w**2 + 46, lambda w: 2 * (w - 3), [-2.0, 0.0],
                 what="your dL", var="w")
    assert hint == "at w = -2 your dL gives 50, which is too large"
    assert "-10" not in hint  # the expected value there
    hint = hint_of(expect_function, lambda w: -w**2, lambda w: 2 * (w - 3), [4.0, 5.0], var="w")
    assert hint == "at w = 4 your function gives -16, which is too small"
    assert "ZeroDivisionError at w = 1:" in hint_of(expect_function, lambda w: 1 / (w - 1), math.exp,
                                                  [1.0], var="w")


def test_expect_expression_point_message_never_shows_the_expected_value():
    hint = hint_of(expect_expression, "w^2", "2*(w - 3)", var="w", what="your dL")
    assert hint == "at w = 0.3 your dL gives 0.09, which is too large"
    assert "-5.4" not in hint


# --- 3. factor_hint of expect_function; the factor is never named ---------------------------

def test_expect_function_factor_hint():
    xs = [0.5, 1.0, 2.0]
    assert f"constant factor everywhere — {CHAIN_RULE_FACTOR}" in hint_of(
        expect_function, lambda t: 2 * math.cos(t), math.cos, xs)
    hint = hint_of(expect_function, lambda t: math.cos(t) / 3, math.cos, xs, factor_hint="count")
    assert hint.endswith("constant factor everywhere — count")
    hint = hint_of(expect_function, lambda t: 2 * math.cos(t), math.cos, xs, factor_hint=None)
    assert "factor" not in hint
    assert hint.startswith("at x = 0.5")
    # an odd factor is diagnosed but not named (its value would give the answer away)
    hint = hint_of(expect_function, lambda t: 1.37 * math.cos(t), math.cos, xs)
    assert "constant factor everywhere" in hint
    assert "1.37" not in hint


@pytest.mark.parametrize("k", [1 + 1e-7, 1.005, 0.998, -1.003])
def test_a_factor_that_reads_as_1_is_no_factor_mistake(k):
    hint = hint_of(expect_function, lambda t: k * math.cos(t), math.cos, [0.5, 1.0, 2.0],
                 rtol=1e-9, atol=0.0)
    assert "factor" not in hint
    assert hint.startswith("at x = 0.5")


# --- 4. values as typed, near misses for whole numbers --------------------------------------

def test_values_are_shown_as_typed():
    hint = hint_of(expect_number, 2.9999955, 3.0)
    assert "(2.9999955)" in hint
    assert "(3)" not in hint
    assert "(3.0400125) is too large" in hint_of(expect_number, 3.0400125, 3.0)
    assert "(123456.789123) is finite" in hint_of(expect_number, 123456.789123, math.inf)
    assert "(2.123456789) is too small" in hint_of(expect_number, 2.123456789, 7.5)
    assert "at x = 1 your function gives 2.9999955," in hint_of(
        expect_function, lambda t: 2.9999955 * t, lambda t: 3.0 * t, [1.0, 2.0], rtol=1e-9, atol=0,
        factor_hint=None)


def test_near_miss_for_a_whole_number():
    hint = hint_of(expect_number, 2.9999955, 3.0)  # a limit read from a table that stopped early
    assert "close but slightly too small, not within the tolerance" in hint
    assert "go further" in hint
    assert "don't round" in hint
    assert "close but slightly too large" in hint_of(expect_number, 10_050.4, 10_000, rtol=0,
                                                     atol=0.5)
    assert "close" not in hint_of(expect_number, 10_200.4, 10_000, rtol=0, atol=0.5)  # 2 %
    # a whole number for a whole number is a miscount, not rounding: no "don't round"
    for count in (10_001, 9_999, 10_050):
        hint = hint_of(expect_number, count, 10_000, rtol=0, atol=0.5)
        assert "round" not in hint
        assert "close" not in hint
        assert ("too large" if count > 10_000 else "too small") in hint
    assert "close" not in hint_of(expect_number, 0.001, 0.0)


# --- 5. as_number: __float__, .value, numeric strings, clean truncation ---------------------

def test_as_number_accepts_float_convertible_objects():
    from calcml.limits import numeric_limit

    assert as_number(Fraction(1, 6)) == 1 / 6
    assert as_number(Decimal("2.5")) == 2.5
    estimate = numeric_limit(lambda x: np.sin(3 * x) / x, 0.0)
    assert as_number(estimate) == pytest.approx(3.0)

    class Broken:
        def __float__(self):
            raise RuntimeError("no")

    assert "could not be converted" in hint_of(as_number, Broken())


def test_as_number_points_at_value():
    from calcml.limits import numeric_limit

    estimate = numeric_limit(lambda x: np.sin(3 * x) / x, 0.0)
    assert not hasattr(type(estimate.left), "__float__")
    hint = hint_of(as_number, estimate.left)
    assert hint == "your answer is an object of type OneSidedLimit, not a number — use its `.value`"

    @dataclasses.dataclass
    class Result:
        value: float

    assert "use its `.value`" in hint_of(as_number, Result(0.5))
    assert "`.value`" not in hint_of(as_number, estimate.diagnosis)  # an Enum's .value is a str


@pytest.mark.parametrize(
    ("text", "value"),
    [("1/6", 1 / 6), ("2.5", 2.5), ("-3/4", -0.75), ("pi/6", math.pi / 6), ("e", math.e),
     (" 3 ", 3.0), ("1e-3", 1e-3), ("π/6", math.pi / 6), ("−3/4", -0.75), ("sqrt(2)/2", 0.5**0.5)],
)
def test_as_number_reads_numeric_strings(text, value):
    assert as_number(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("x/2", "a number is expected, not an expression in x"),
     ("sin(t)", "not an expression in t"),
     ("three", "not a number"),
     ("1,5", "decimal point"),
     ("1/0", "not a number"),
     ("sqrt(-1)", "complex")],
)
def test_as_number_refuses_other_strings(text, fragment):
    assert fragment in hint_of(as_number, text)


def test_as_number_never_evaluates_a_string(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    for attack in ["__import__('os').system('ls')", "os.system('ls')", "().__class__"]:
        assert "not a number" in hint_of(as_number, attack)
    assert calls == []


@dataclasses.dataclass
class Report:
    a: float
    label: str
    diagnosis: str


def test_an_unreadable_object_is_described_cleanly():
    obj = Report(0.1234567, "a long label with several words in it", "converges")
    hint = hint_of(as_number, obj)
    shown = hint.removeprefix("your answer is Report ").removesuffix("…; a number is expected")
    assert hint.endswith("…; a number is expected")
    assert repr(obj).startswith(shown)
    assert repr(obj)[len(shown)] in " ,"  # cut between words, not inside one

    @dataclasses.dataclass
    class Local:  # repr "test_...<locals>.Local(...)": no word boundary early enough
        diagnosis: str

    hint = hint_of(as_number, Local("converges" * 5))
    assert hint == "your answer is an object of type Local; a number is expected"
    assert "an array of shape (101, 1)" in hint_of(as_number, [[i] for i in range(100)] + [["x"]])
    assert "a dict of 100 items" in hint_of(as_number, {i: i for i in range(100)})


# --- 6. expect_array: plain indices, plural names --------------------------------------------

def test_expect_array_nan_index_is_plain():
    hint = hint_of(expect_array, [0.0, math.nan], [0.0, 2.0])
    assert "NaN at index (1,)" in hint
    assert "np.int64" not in hint


@pytest.mark.parametrize(
    "answer",
    [None, "0 2", [[0.0], [2.0]], [0.0, 2.0, 1.0], [0.0, math.nan], [0.0, -2.0], [0.0, 1.0],
     [0.0, 1.9999], [[0.0, 2.0]]],
)
def test_expect_array_reads_well_for_a_plural_what(answer):
    what = "your [left, right] slopes"
    hint = hint_of(expect_array, answer, np.array([0.0, 2.0]), rtol=0, atol=1e-5, what=what)
    assert hint.startswith(f"{what}: ")
    for verb in ("is", "has", "differs", "contains"):
        assert f"slopes {verb} " not in hint


def test_expect_array_names_the_first_entry_and_its_direction():
    want = np.arange(6.0).reshape(2, 3)
    wrong = want.copy()
    wrong[0, 1] = 6.25
    hint = hint_of(expect_array, wrong, want, what="your grid")
    assert hint == ("your grid: the first entry that differs from the expected values is at "
                    "index (0, 1) — yours is 6.25, which is too large")


# --- 7. issue 10: the question is no answer, the engine's objects get pointers --------------

def test_an_unevaluated_derivative_or_integral_never_passes():
    import sympy as sp

    x = sp.Symbol("x")
    question = sp.Derivative(x**3 * sp.sin(x), x)
    hint = hint_of(expect_expression, question, "3x^2 sin(x) + x^3 cos(x)")
    assert "unevaluated SymPy Derivative" in hint
    assert "question itself" in hint
    expect_expression(question.doit(), "3x^2 sin(x) + x^3 cos(x)")  # evaluated: fine
    assert "Integral" in hint_of(as_number, sp.Integral(x, (x, 0, 1)))
    assert "Limit" in hint_of(expect_number, sp.Limit(sp.sin(x) / x, x, 0), 1.0)
    assert as_number(sp.Integral(x, (x, 0, 1)).doit()) == 0.5


def test_a_dual_number_points_to_deriv_and_a_tensor_to_item_and_grad():
    from calcml.autodiff import Dual, Tensor

    hint = hint_of(expect_number, Dual(0.4, 1.0), 2.0)
    assert "`.deriv` holds the derivative" in hint
    big = Tensor(np.ones((3, 3)))
    for hint in (hint_of(expect_number, big, 2.0), hint_of(as_number, big)):
        assert "shape (3, 3)" in hint
        assert "`t.item()`" in hint
        assert "w.grad" in hint
        assert "\n" not in hint  # no multi-line repr inside a hint
    assert as_number(Tensor(2.5)) == 2.5  # one entry: its value
    assert "w.grad" in hint_of(expect_number, Tensor(2.5), 3.0)
    assert "\n" not in hint_of(expect_array, [[object()] * 3] * 3, np.ones((3, 3)))


@pytest.mark.parametrize(("text", "value"), [("10 000", 10_000), ("10,000", 10_000),
                                             ("1 000 000.5", 1_000_000.5), ("−2 500", -2500),
                                             ("10\u202f000", 10_000)])
def test_numbers_with_grouped_thousands(text, value):
    assert as_number(text) == value


@pytest.mark.parametrize("text", ["1,5", "0,166", "10 00", "1,00,000", "10 000,000"])
def test_a_decimal_comma_or_odd_grouping_is_still_refused(text):
    assert "not a number" in hint_of(as_number, text)


def test_no_chain_rule_in_hints_before_lesson_03():
    from calcml.exercises.core import evaluate_with

    def factor_checker(answer):
        expect_number(answer, 2.0)

    def expression_checker(answer):
        expect_expression(answer, "2x cos(x^2)")

    for lesson, named in (("1.9", False), ("2.9", False), ("3.9", True), ("6.9", True)):
        message = evaluate_with(lesson, factor_checker, 4.0).message
        assert ("chain rule" in message) is named, message
        assert "factor" in message
        message = evaluate_with(lesson, expression_checker, "cos(x^2)").message
        assert ("chain rule" in message) is named, message
        assert "missing a factor that depends on x" in message


@pytest.mark.parametrize("huge", [10**400, -(10**400), [10**400]])
def test_an_integer_beyond_the_floats_gets_a_hint(huge):
    assert "too large for a float" in hint_of(as_number, huge)


def test_a_near_miss_in_the_primer_names_rounding_not_limits():
    # the primer (lesson 0) has no tables or limits to "go further toward"
    from calcml.exercises.core import evaluate_with

    def checker(answer):
        expect_number(answer, 5929.884896910383)

    for lesson, limits in (("0.9", False), ("1.9", True)):
        message = evaluate_with(lesson, checker, 5930.0).message
        assert ("toward the limit" in message) is limits, message
        assert "don't round" in message


def test_hostile_expressions_are_answered_not_computed():
    # each would keep SymPy busy for minutes (simplify of a degree-200 polynomial, a
    # tower of powers with billions of digits); the numbers come first, in floating point
    for text in ("(x+1)^200", "x^x^x^x^x^x", "x^(10^10)", "e^e^e^e^x"):
        hint = hint_of(expect_expression, text, "3x^2 sin(x) + x^3 cos(x)")
        assert hint
    import sympy as sp

    x = sp.Symbol("x")
    huge = sp.Add(*[sp.sin(k * x) for k in range(1, 1200)])  # a SymPy answer: no length limit
    assert "too large to check" in hint_of(expect_expression, huge, "x^2")
    expect_expression("(x+1)^200", "(1+x)^200")  # still accepted when right


def test_a_tail_error_is_no_constant_offset():
    # exact for large x, off by a term that fades: not "off by a constant"
    def patch(t):
        return t if t > 5.5 else float(np.log1p(np.exp(t)))

    def softplus(t):
        return float(np.logaddexp(0, t))

    hint = hint_of(expect_function, patch, softplus, [5.6, 6.0, 8.0, 12.0], rtol=1e-9)
    assert "constant" not in hint
    assert "at x = 5.6" in hint
    hint = hint_of(expect_function, lambda t: softplus(t) + 0.5, softplus, [1.0, 6.0, 20.0])
    assert "off by a constant" in hint


def test_domain_points_cover_the_domain():
    from calcml.exercises.answers import domain_points

    points = domain_points(-30, 30, 200, avoid=[0.0])
    assert points[0] == -30
    assert points[-1] == 30
    assert np.max(np.diff(points)) <= 60 / 199 + 1e-12
    assert not np.any(points == 0.0)
    assert np.array_equal(points, domain_points(-30, 30, 200, avoid=[0.0]))  # seeded
    logs = domain_points(1e-3, 1e3, 100, log=True)
    assert np.max(logs[1:] / logs[:-1]) <= 1e6 ** (1 / 99) + 1e-12
    with pytest.raises(ValueError, match="lo > 0"):
        domain_points(0, 1, log=True)


def test_a_small_relative_error_is_named_as_one():
    def softplus(t):
        return float(np.logaddexp(0, t))

    hint = hint_of(expect_function, lambda t: softplus(t) * (1 + 1e-7), softplus,
                   [-5.0, 0.0, 5.0], rtol=1e-9, atol=0)
    assert "relative error of 1.0e-07" in hint
    assert "at most 1e-09" in hint
    # far off: no relative error, just the direction
    hint = hint_of(expect_function, lambda t: 2 + t, softplus, [-5.0, 0.0, 5.0], rtol=1e-9)
    assert "relative error" not in hint


def test_an_expression_made_to_agree_at_a_few_points_does_not_pass():
    # the answer plus a polynomial that vanishes at the first seven sample points
    fooling = "3x^2 sin(x) + x^3 cos(x) + (x-0.3)(x-0.7)(x-1.1)(x-1.9)(x-2.6)(x-3.3)(x-4.2)"
    assert hint_of(expect_expression, fooling, "3x^2 sin(x) + x^3 cos(x)")
    from calcml.exercises import Status, evaluate

    lesson03 = ("3x^2 sin(x) + x^3 cos(x) + (x-0.35)(x-0.6)(x-0.9)(x-1.3)(x-1.7)(x-2.2)"
                "(x-2.9)")
    assert evaluate("3.1", lesson03).status is Status.FAILED


def test_an_unreadable_number_string_says_what_the_parser_stumbled_on():
    from calcml.exercises import Hint
    from calcml.exercises.answers import as_number

    with pytest.raises(Hint, match=r"not a number \(reading it: the symbol '\{' is not allowed"):
        as_number("3cos(1.2)e^{sin 1.2}")
    with pytest.raises(Hint, match="one decimal point per number"):
        as_number("1.5.2")
