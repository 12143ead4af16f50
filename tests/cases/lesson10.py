"""Right and wrong answers for lesson 10's exercises."""

import sympy as sp

x = sp.Symbol("x", real=True)  # as the lesson's symbol, with an assumption

CASES = {
    "10.1": {
        "right": [1.75, "7/4", 0.5 * (0 + 0.25 + 1 + 2.25)],
        "wrong": [
            (3.75, "right end"),
            (2.625, "middle"),
            (8 / 3, "exact integral"),
            (3.5, "height × width"),
            (2.75, "trapezoid"),
            (0.5 * (0 + (2 / 3) ** 2 + (4 / 3) ** 2 + 4), "no left end"),
            (-1.75, "sign"),
        ],
    },
    "10.2": {
        "right": [
            "x*sin(x) + cos(x)",
            "x sin(x) + cos(x) + 5",
            x * sp.sin(x) + sp.cos(x) - 2,
            "cos(x) + x*sin(x) - pi",
        ],
        "wrong": [
            ("x*sin(x)", "second integral"),
            ("x*sin(x) - cos(x)", "integral of sin"),
            ("x^2/2*sin(x)", "product of two antiderivatives"),
            ("x*sin(x) + cos(x) + x", "k·x"),
            ("-x*sin(x) - cos(x)", "wrong sign"),
            ("2*(x*sin(x) + cos(x))", "constant factor"),
            ("x sin(x) + cos(x) + C", "leave out the constant"),
            ("cos(x) - x*sin(x)", "derivative of f"),
            ("-x*cos(x) + sin(x)", "x·sin x"),
            ("ln|x| + x", "Abs(u)"),
            ("-x*sin(x) + cos(x) + 1/x", "divides by zero"),
        ],
    },
    "10.3": {
        "right": ["ln(1 + x^2)/2", "log(2 + 2x^2)/2", "log(sqrt(1 + x^2))",
                  sp.log(1 + x**2) / 2 + 1],
        "wrong": [
            ("ln(1 + x^2)", "factor is missing"),
            ("atan(x)", "numerator is x"),
            ("-1/(2(1 + x^2))", "a logarithm"),
            ("log(1 + x^2)/2 + x", "k·x"),
            ("log(x)", "not a finite real number"),
            ("x/(1 + x^2)", "f itself"),
        ],
    },
    "10.4": {
        "right": ["ln(x) - ln(x + 1)", "ln(x/(x + 1))", "-log(1 + 1/x)",
                  "log(Abs(x)) - log(Abs(x + 1))", sp.log(x) - sp.log(x + 1) + 3],
        "wrong": [
            ("ln(x) + ln(x + 1)", "sign of the second fraction"),
            ("1/x - 1/(x + 1)", "now integrate each one"),
            ("ln(x)*ln(x + 1)", "product"),
            ("log(x + 1) - log(x)", "wrong sign"),
            ("-(2x + 1)/(x^2 (x + 1)^2)", "derivative of f"),
        ],
    },
    "10.5": {
        "right": [0.3989422804, "1/sqrt(2 pi)", 1 / sp.sqrt(2 * sp.pi), "(2pi)^(-1/2)"],
        "wrong": [
            (0.5641895835, "exponent is −x²/2"),
            ("sqrt(2 pi)", "integral itself"),
            ("sqrt(pi)", "c makes the area 1"),
            ("1/(2 pi)", "square root"),
            (0.4, "close but slightly"),
        ],
    },
    "10.6": {
        "right": [0.7975, "0.7975", 319 / 400],
        "wrong": [
            (0.725, "left riemann sum"),
            (0.87, "right riemann sum"),
            (0.6583333333333333, "ignores the widths"),
            (0.2025, "area to the left"),
            (3.45, "width"),
        ],
    },
    "10.7": {
        "right": [100, "100", 100.0],
        "wrong": [(10, "not like 1/n"), (1000, "n^(−1/3)"), (0.01, "fewer points"),
                  (50, "1/√n")],
    },
}
