"""Right and wrong answers for lesson 03's exercises."""

import sympy as sp

x = sp.Symbol("x", real=True)  # as the lesson's symbol, with an assumption

CASES = {
    "3.1": {
        "right": [
            "3x^2 sin(x) + x^3 cos(x)",
            "x^2 (3 sin(x) + x cos(x))",
            3 * x**2 * sp.sin(x) + x**3 * sp.cos(x),
        ],
        "wrong": [
            ("3x^2 cos(x)", "two terms"),
            ("3x^2 sin(x)", "only the first factor"),
            ("x^3 cos(x)", "only the second factor"),
            ("3x^2 sin(x) - x^3 cos(x)", "added, not subtracted"),
            ("-3x^2 sin(x) - x^3 cos(x)", "wrong sign"),
            ("3x^2 sin(x) + x^3 cos(x) + 1", "off by a constant"),
        ],
    },
    "3.2": {
        "right": [
            "(1 - x^2)/(1 + x^2)^2",
            "1/(1+x^2) - 2x^2/(1+x^2)^2",
            sp.diff(x / (1 + x**2), x),
        ],
        "wrong": [
            ("(x^2 - 1)/(1 + x^2)^2", "wrong order"),
            ("(1 - x^2)/(1 + x^2)", "v squared"),
            ("(1 + 3x^2)/(1 + x^2)^2", "subtracted"),
            ("1/(2x)", "not u'/v'"),
        ],
    },
    "3.3": {
        "right": ["2x cos(x^2)", "2*x*cos(x**2)", 2 * x * sp.cos(x**2)],
        "wrong": [
            ("cos(x^2)", "chain-rule factor is missing"),
            ("cos(2x)", "stays as it is"),
            ("2x cos(x)", "evaluated at the inner function"),
            ("2 cos(x^2)", "power rule"),
            ("-2x cos(x^2)", "wrong sign"),
            ("4x cos(x^2)", "constant factor of 2"),
        ],
    },
    "3.4": {
        "right": [
            "e^(-x)/(1 + e^(-x))^2",
            "1/(1+e^(-x)) * (1 - 1/(1+e^(-x)))",
            "e^x/(1 + e^x)^2",
            "1/(4 cosh(x/2)^2)",
        ],
        "wrong": [
            ("-e^(-x)/(1 + e^(-x))^2", "factor −1"),
            ("-1/(1 + e^(-x))^2", "derivative of the inner"),
            ("1/(1 + e^(-x))^2", "power rule alone"),
            ("1/(1 + e^(-x))", "σ itself"),
        ],
    },
    "3.5": {
        "right": ["x^x (ln(x) + 1)", "x^x ln(x) + x^x", "e^(x ln(x)) (1 + ln(x))"],
        "wrong": [
            ("x*x^(x - 1)", "constant exponent"),
            ("x^x ln(x)", "base as a constant"),
            ("x^x", "take ln of both sides"),
            ("ln(x) + 1", "multiply by y"),
        ],
    },
    "3.6": {
        "right": [1 / 6, sp.Rational(1, 6), 0.1666667],
        "wrong": [
            (0.5, "factor 3"),
            (1.0, "not 1"),
            (1 / 3, "3x², 6x, 6"),
            (0.0, "0/0 is not 0"),
            (-1 / 6, "wrong sign"),
        ],
    },
}
