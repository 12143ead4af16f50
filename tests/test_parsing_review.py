"""A reviewer's silent wrong answers, each now refused with a message or answered right.

The parser (``parse_expression``), the derivative explainer (``derivative_steps``) and
the numerical limits (``numeric_limit``, ``delta_works``, ``limit_table``) must never
answer a question other than the one asked: an ambiguous expression is refused with
both readings and how to write each, bad input gets an error naming the problem.
"""

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

from calcml.limits import Diagnosis, delta_works, limit_table, numeric_limit
from calcml.parsing import ExpressionError, parse_expression
from calcml.symbolic import derivative_steps

x, y = sp.symbols("x y")


# --- 1. implicit multiplication right after an exponent or a division -------------------
@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("e^2x", ["ambiguous", "e^(2x)", "e^2*x"]),
        ("e^-2x", ["ambiguous", "e^(-2x)", "e^-2*x"]),
        ("2^3x", ["ambiguous", "2^(3x)", "2^3*x"]),
        ("e^2sin x", ["ambiguous"]),
        ("10^-3x", ["ambiguous"]),
        ("1/2x", ["ambiguous", "1/(2x)", "(1/2)x"]),
        ("x^2/2x", ["ambiguous", "x^2/(2x)", "(x^2/2)x"]),
        ("2/3x", ["ambiguous", "2/(3x)", "(2/3)x"]),
        ("sin(x)/2x", ["ambiguous", "sin(x)/(2x)"]),
        ("1/x^2y", ["ambiguous"]),
        ("a/bx", ["unknown name 'bx'"]),
    ],
)
def test_an_implicit_product_after_an_exponent_or_a_division_is_refused(text, fragments):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, variables=("x",))
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("x^2y", x**2 * y),  # a power of a variable times a factor: as on paper (lesson 04)
    ("3x^2y^2 + y exp(x y)", 3 * x**2 * y**2 + y * sp.exp(x * y)),
    ("x^3cos x", x**3 * sp.cos(x)),
    ("x^2x", x**3),
    ("x**2x", x**3),
    ("x^-1x", sp.S.One),
    ("e^x(x+1)", sp.exp(x) * (x + 1)),  # a bracket after the exponent: a product
    ("(x+1)^2(x-1)", (x + 1) ** 2 * (x - 1)),
    # a space or a bracket after a denominator: the fraction times what follows (lessons
    # 09 and 10 take these answers)
    ("1/2 x", x / 2),
    ("1/2 ln(1+x^2)", sp.log(1 + x**2) / 2),
    ("1/2ln(1+x^2)", sp.log(1 + x**2) / 2),
    ("2 + 1/4(x-4) - 1/64(x-4)^2", 2 + (x - 4) / 4 - (x - 4) ** 2 / 64),
    ("1/x y", y / x),
    ("k(x-1)", sp.Symbol("k") * (x - 1)),  # a one-letter constant before brackets
])
def test_a_power_of_a_variable_times_a_factor_is_read_as_on_paper(text, expected):
    assert sp.simplify(parse_expression(text, variables=("x", "y")) - expected) == 0


@pytest.mark.parametrize("text", ["e^2x", "2^3x", "1/2x"])
def test_the_explainer_refuses_them_too(text):
    with pytest.raises(ExpressionError, match="ambiguous"):
        derivative_steps(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x", 2 * x),
        ("3x^2", 3 * x**2),
        ("e^x", sp.exp(x)),
        ("e^(2x)", sp.exp(2 * x)),
        ("e^2*x", sp.E**2 * x),
        ("e^2 x", sp.E**2 * x),  # a space ends the exponent
        ("e^(-2x)", sp.exp(-2 * x)),
        ("e^-x", sp.exp(-x)),
        ("x^2 y", x**2 * y),
        ("x²y", x**2 * y),  # a superscript ends itself
        ("x^(2)x", x**3),  # so does a parenthesised exponent
        ("e^(x)x", x * sp.exp(x)),
        ("(x+1)^2 (x-1)", (x + 1) ** 2 * (x - 1)),
        ("sin(x)^2", sp.sin(x) ** 2),
        ("sin^2(x)", sp.sin(x) ** 2),
        ("sin²(x)", sp.sin(x) ** 2),
        ("x(x+1)", x * (x + 1)),
        ("x (x+1)", x * (x + 1)),
        ("2(x+1)", 2 * (x + 1)),
        ("e(x+1)", sp.E * (x + 1)),
        ("exp(-x^2/2)", sp.exp(-(x**2) / 2)),
        ("1/(2x)", 1 / (2 * x)),
        ("(1/2)x", x / 2),
        ("x/2", x / 2),
        ("x/2 + 1", x / 2 + 1),
        ("2x/3", 2 * x / 3),
        ("x^2/2 + x", x**2 / 2 + x),
        ("3x^2 sin x + x^3 cos x", 3 * x**2 * sp.sin(x) + x**3 * sp.cos(x)),
        ("x^sin(x) cos(x)", x ** sp.sin(x) * sp.cos(x)),
        ("log(x, 2)", sp.log(x, 2)),
        ("log(x, e)", sp.log(x)),
        ("log(x, 1/2)", sp.log(x, sp.Rational(1, 2))),
        ("0^2 + x", x),
        ("sigmoid(x)(1 - sigmoid(x))", sp.exp(-x) / (1 + sp.exp(-x)) ** 2),
    ],
)
def test_what_a_learner_types_is_still_read(text, expected):
    assert sp.simplify(parse_expression(text, variables=("x", "y")) - expected) == 0


# --- 2. a name followed by parentheses -------------------------------------------------
@pytest.mark.parametrize("text", ["gamma(x)", "beta(x)", "psi(x)", "f(x)", "g(x + 1)",
                                  "x^2 f(x)", "sigma(x)"])
def test_a_name_before_parentheses_is_a_known_function_or_refused(text):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    message = str(info.value)
    name = text.split("(")[0].split()[-1]
    assert f"{name} is not a function the course knows" in message
    assert f"{name}*(" in message  # how to write the product
    assert "known functions: " in message
    assert "sin" in message


@pytest.mark.parametrize("text", ["gamma(x)", "f(x)"])
def test_the_explainer_does_not_differentiate_a_product_instead(text):
    with pytest.raises(ExpressionError, match="not a function the course knows"):
        derivative_steps(text)


def test_a_variable_before_parentheses_is_a_product():
    assert derivative_steps("x(x+1)").result == 2 * sp.Symbol("x", real=True) + 1
    assert parse_expression("y(x + 1)", variables=("x", "y")) == y * (x + 1)


def test_sigma_points_to_the_sigmoid():
    with pytest.raises(ExpressionError, match="sigmoid"):
        parse_expression("sigma(x)")


# --- 3. arguments, logarithm bases, 0^x ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("sqrt(x, 2)", "sqrt takes one argument, got 2"),
        ("sqrt(x, 3)", "x^(1/n)"),
        ("sin(x, 2)", "sin takes one argument, got 2"),
        ("exp(x, 2)", "exp takes one argument"),
        ("abs(x, 1)", "abs takes one argument"),
        ("ln(x, 2)", "ln takes one argument"),
        ("log10(x, 2)", "log10 takes one argument"),
        ("sigmoid(x, 1)", "sigmoid takes one argument"),
        ("log(x, 2, 3)", "log takes one or two arguments"),
        ("log(x, 0)", "base of a logarithm must be a positive number other than 1"),
        ("log(2, 0)", "base of a logarithm must be a positive number other than 1"),
        ("log(x, -1)", "base of a logarithm must be a positive number other than 1"),
        ("log(x, 1)", "base of a logarithm must be a positive number other than 1"),
        ("log(x, 2 - 1)", "base of a logarithm must be a positive number other than 1"),
        ("log(x, 1 - e)", "base of a logarithm must be a positive number other than 1"),
        ("0^x", "0^(x) is 0 where the exponent is positive"),
        ("0^(x^2 + 1)", "0^("),
        ("(x - x)^x", "0^(x)"),
    ],
)
def test_arguments_and_bases_are_checked(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize("text", ["sqrt(x, 2)", "log(x, 0)", "log(x, -1)", "0^x"])
def test_the_explainer_never_answers_them(text):
    with pytest.raises(ExpressionError):
        derivative_steps(text)


def test_no_derivative_is_written_with_zoo():
    xr = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="undefined"):
        derivative_steps(sp.Pow(sp.S.Zero, xr), xr)


# --- 4. |u|' = sign(u) u' only for a u that is real --------------------------------------
def _slope(expr, var, point):
    """d expr/d var at ``point`` by mpmath's numerical differentiation (complex-safe)."""
    f = sp.lambdify(var, expr, modules="mpmath")
    with mpmath.workdps(30):
        return complex(mpmath.diff(lambda t: f(t), mpmath.mpf(point)))


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("abs(acosh(x))", (0.5, -0.5, 1.5, 3.0)),
        ("abs(log(x))", (0.5, 2.0, -0.5, -2.0)),
        ("abs(sqrt(x))", (0.5, -0.5)),
        ("abs(asin(x))", (0.5, -0.5, 1.5)),
        ("abs(atanh(x))", (0.5, -0.5, 1.5)),
        ("abs(x^2 - 1)", (0.5, -2.0)),
        ("abs(sin(x))", (0.5, -2.0)),
    ],
)
def test_the_derivative_of_abs_is_right_wherever_it_has_a_value(text, points):
    steps = derivative_steps(text)
    for step in steps.steps:  # every step a true equation
        for p in points:
            got = complex(step.derivative.subs(steps.var, p).evalf(30))
            want = complex(sp.diff(step.expr, steps.var).subs(steps.var, p).evalf(30))
            assert abs(got - want) <= 1e-12 * max(1.0, abs(want)), (step, p, got, want)
    for p in points:  # and the answer the slope of |u| itself
        got = complex(steps.result.subs(steps.var, p).evalf(30))
        assert abs(got - _slope(steps.expr, steps.var, p)) <= 1e-9 * max(1.0, abs(got)), p


def test_abs_of_acosh_at_one_half_has_the_slope_of_arccos():
    # |acosh(x)| = arccos(x) on (-1, 1): the slope is -1/sqrt(1 - x^2) = -1.1547
    d = derivative_steps("abs(acosh(x))")
    value = complex(d.result.subs(d.var, sp.Rational(1, 2)).evalf(30))
    assert abs(value - (-2 / np.sqrt(3))) < 1e-12


def test_abs_of_a_real_inner_function_keeps_the_textbook_rule():
    d = derivative_steps("abs(x^2 - 1)")
    assert d.steps[0].rule == "chain"
    assert d.steps[0].outer == "abs"
    assert derivative_steps("abs(x)").steps[0].rule == "abs"


# --- 5. complex values are refused, not cut to their real part -------------------------
COMPLEX = [
    (np.emath.sqrt, -1.0),
    (np.emath.log, -1.0),
    (lambda t: np.exp(1j * (t + 1)), 0.0),
    (lambda t: complex(t, 1.0), 0.0),
]


@pytest.mark.parametrize(("f", "a"), COMPLEX)
def test_numeric_limit_refuses_complex_values(f, a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning either
        with pytest.raises(TypeError, match="complex number"):
            numeric_limit(f, a)


@pytest.mark.parametrize(("f", "a"), COMPLEX)
def test_limit_table_refuses_complex_values(f, a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="complex number"):
            limit_table(f, a)


@pytest.mark.parametrize(("f", "a"), COMPLEX)
def test_delta_works_refuses_complex_values(f, a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="complex number"):
            delta_works(f, a, 0.0, 0.1, 0.01)


def test_delta_works_refuses_complex_values_of_a_scalar_function():
    with pytest.raises(TypeError, match="complex number"):
        delta_works(lambda t: complex(t, 1.0), 0.0, 0.0, 0.1, 0.01)


def test_a_complex_number_with_no_imaginary_part_is_real():
    result = numeric_limit(lambda t: np.exp(1j * 0 * t) * np.sin(t) / t, 0.0)
    assert result.diagnosis is Diagnosis.CONVERGES
    assert abs(float(result) - 1) < 1e-9
    assert delta_works(lambda t: (t + 0j) ** 2, 0.0, 0.0, 0.1, 0.1)


def test_real_functions_outside_their_domain_are_still_undefined_there():
    result = numeric_limit(np.sqrt, 0.0)  # nan on the left: a one-sided limit
    assert result.diagnosis is Diagnosis.CONVERGES
    assert float(result) == 0.0


# --- 6. averaging the two sides does not overflow -------------------------------------
@pytest.mark.parametrize(
    ("f", "a"), [(lambda t: 1e308 + 0 * t, 0.0), (lambda t: t, 1e308), (lambda t: -t, 1e308)]
)
def test_averaging_two_huge_sides_does_not_overflow(f, a):
    result = numeric_limit(f, a)
    assert result.diagnosis is Diagnosis.CONVERGES
    assert np.isfinite(float(result))
    assert abs(abs(float(result)) - 1e308) <= 1e-6 * 1e308
    assert "∞" not in result.message


# --- 7. a value that is not a number ---------------------------------------------------
@pytest.mark.parametrize(
    ("f", "fragment"),
    [
        (lambda t: "1", "returned the string '1'"),
        (lambda t: "nan", "returned the string 'nan'"),
        (lambda t: None, "returned None"),
        (lambda t: t > 0, "boolean"),
        (lambda t: [t, t], "shape (2,)"),
        (lambda t: object(), "single real number"),
    ],
)
def test_a_value_that_is_not_a_number_is_a_type_error(f, fragment):
    for call in (lambda: numeric_limit(f, 0.0), lambda: limit_table(f, 0.0),
                 lambda: delta_works(f, 0.0, 0.0, 0.1, 0.01)):
        with pytest.raises(TypeError) as info:
            call()
        assert fragment in str(info.value), str(info.value)


def test_numbers_of_every_kind_are_still_accepted():
    import fractions

    assert float(numeric_limit(lambda t: sp.Float(2.0) + 0 * sp.Float(float(t)), 0.0)) == 2.0
    assert float(numeric_limit(lambda t: fractions.Fraction(3, 2), 0.0)) == 1.5
    assert float(numeric_limit(lambda t: np.array([t + 1.0]), 0.0)) == pytest.approx(1.0)
    assert float(numeric_limit(lambda t: 1, 0.0)) == 1.0
