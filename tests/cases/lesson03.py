"""Right and wrong answers for lesson 03's exercises."""

import sympy as sp

x = sp.Symbol("x", real=True)  # as the lesson's symbol, with an assumption

CASES = {
    "3.1": {
        "right": [
            "3x^2 sin(x) + x^3 cos(x)",
            "x^2 (3 sin(x) + x cos(x))",
            3 * x**2 * sp.sin(x) + x**3 * sp.cos(x),
            "3x^2 sin x + x^3 cos x",  # as on paper, the lesson's promise
            "3x²·sin x + x³·cos x",  # the lesson's typography
            sp.Derivative(x**3 * sp.sin(x), x).doit(),
        ],
        "wrong": [
            ("3x^2 cos(x)", "two terms"),
            ("3x^2 sin(x)", "only the first factor"),
            ("x^3 cos(x)", "only the second factor"),
            ("3x^2 sin(x) - x^3 cos(x)", "added, not subtracted"),
            ("-3x^2 sin(x) - x^3 cos(x)", "wrong sign"),
            ("3x^2 sin(x) + x^3 cos(x) + 1", "off by a constant"),
            (sp.Derivative(x**3 * sp.sin(x), x), "question itself"),
            ("3x^2 sin x + x^3 cos x^2", "could mean either"),
            ("(x+1)^200", "too large"),
            ("x^x^x^x^x^x", "no real, finite value"),
            # right for x > 0 only: the derivative is asked for every x
            ("3x^2 sin(x) + x^3 cos(x) + (abs(x) - x)", "negative ones too"),
            # right up to x = 2.95 only: the dense points of the domain reach beyond
            (sp.Piecewise((3 * x**2 * sp.sin(x) + x**3 * sp.cos(x), x < 2.95), (0, True)),
             "too large"),
            # a rounded number: close everywhere, not equal (the old hint claimed 1e-06 asked)
            ("2.999999x^2 sin(x) + x^3 cos(x)", "rounded decimal"),
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
            ("(1 - x^2)/(1 + x^2)^2 * x/abs(x)", "negative ones too"),
        ],
    },
    "3.3": {
        "right": [
            "-3x^2 sin(x^3)",
            "-3*x**2*sin(x**3)",
            "-sin(x^3)*3x^2",
            "-3x^2 sin(x³)",
            sp.diff(sp.cos(x**3), x),
        ],
        "wrong": [
            ("-sin(x^3)", "chain-rule factor is missing"),
            ("3x^2 sin(x^3)", "derivative of cos"),
            ("-3x^2 sin(x)", "evaluated at the inner function"),
            ("-sin(3x^2)", "stays as it is"),
            ("-x^3 sin(x^3)", "not the inner function itself"),
            ("3x^2 cos(x^3)", "cos was not differentiated"),
            ("-3x sin(x^3)", "power rule on the inner"),
            (sp.Derivative(sp.cos(x**3), x), "question itself"),
            ("-3x^2 sin x^3", "could mean either"),
            ("-3 (x^(3/2))^(4/3) sin(x^3)", "no real, finite value at x = -"),
            ("-3x^2 sin(x^2.999)", "at most 1e-09"),  # the tolerance applied, stated
        ],
    },
    "3.4": {
        "right": [
            "(1 + e^(-x) + x e^(-x))/(1 + e^(-x))^2",
            "1/(1 + e^(-x)) + x e^(-x)/(1 + e^(-x))^2",
            "e^x (1 + x + e^x)/(1 + e^x)^2",
            "sigmoid(x)(1 + x(1 - sigmoid(x)))",
            "σ(x) + x σ(x)(1 − σ(x))",  # the lesson's σ
            sp.diff(x / (1 + sp.exp(-x)), x),
        ],
        "wrong": [
            ("(-1 - e^(-x) - x e^(-x))/(1 + e^(-x))^2", "wrong order"),
            ("(1 + e^(-x) + x e^(-x))/(1 + e^(-x))", "v squared"),
            ("(1 + e^(-x) - x e^(-x))/(1 + e^(-x))^2", "derivative of e^(-x)"),
            ("-e^x", "not u'/v'"),
            ("1/(1 + e^(-x))", "numerator x is differentiated"),
            ("x e^(-x)/(1 + e^(-x))^2", "denominator is differentiated"),
            ("e^(-x)/(1 + e^(-x))^2", "slope of the sigmoid"),
            ("(1 + e^(-x) + abs(x) e^(-x))/(1 + e^(-x))^2", "every real x"),
            ("(1 + 2.718^(-x) + x 2.718^(-x))/(1 + 2.718^(-x))^2", "rounded decimal"),
            # e to 8 digits: was "not equal", then "a part that holds only for some x"
            ("(1 + 2.7182818^(-x) + x 2.7182818^(-x))/(1 + 2.7182818^(-x))^2", "rounded decimal"),
        ],
    },
    "3.5": {
        "right": [
            "x^sin(x) (cos(x) ln(x) + sin(x)/x)",
            "e^(sin(x) ln(x)) (cos(x) ln(x) + sin(x)/x)",
            "x^sin(x) cos(x) ln(x) + sin(x) x^(sin(x) - 1)",
            "x^(sin x) (cos x ln x + sin x / x)",
        ],
        "wrong": [
            ("sin(x) x^(sin(x) - 1)", "exponent sin x as a constant"),
            ("x^sin(x) cos(x) ln(x)", "base x as a constant"),
            ("cos(x) ln(x) + sin(x)/x", "derivative of ln y"),
            ("x^sin(x)", "y itself"),
            ("x^sin(x) cos(x)/x", "product rule"),
            ("x^sin(x) (cos(x) ln(x) + sin(x))", "derivative of ln x"),
            ("x^sin(x) (sin(x)/x - cos(x) ln(x))", "derivative of sin x"),
            (sp.Derivative(x ** sp.sin(x), x), "question itself"),
            ("x^sin(x) (cos(x) 2.302585 log10(x) + sin(x)/x)", "rounded decimal"),
        ],
    },
    "3.6": {
        "right": [1 / 6, sp.Rational(1, 6), 0.166667, 0.1666667, "1/6"],  # 6 figures: enough
        "wrong": [
            (0.5, "factor 3"),
            (1.0, "do not drop to 1"),
            (1 / 3, "constants in the denominator"),
            (0.0, "0/0 is not 0"),
            (-1 / 6, "wrong sign"),
            (1 / 12, "no longer 0/0"),
            (1 / 24, "power rule brings down"),
            (0.16667, "at least 6 significant figures"),  # 5 figures: not enough
            (sp.Limit((x - sp.sin(x)) / x**3, x, 0), "question itself"),
        ],
    },
}
