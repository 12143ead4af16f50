"""Right and wrong answers for lesson 04's exercises."""

import math

import numpy as np
import sympy as sp

from calcml.exercises.lesson04 import B45, B46, W45, W46, X46, problem_4_5

x, y = sp.symbols("x y", real=True)  # as the lesson's symbols, with an assumption

_x, _y = problem_4_5()
_r = W45 * _x + B45 - _y
_DW, _DB = 2 * np.mean(_r * _x), 2 * np.mean(_r)


def _s(z):
    return 1 / (1 + math.exp(-z))


_Z = W46[0] * X46[0] + W46[1] * X46[1] + B46
_DS = _s(_Z) * (1 - _s(_Z))

CASES = {
    "4.1": {
        "right": [
            "3x^2 y^2 + y e^(x y)",
            "3x^2y^2 + y exp(xy)",
            "3*x**2*y**2 + y*exp(x*y)",
            "y(3x^2 y + e^(xy))",
            sp.diff(x**3 * y**2 + sp.exp(x * y), x),
        ],
        "wrong": [
            ("3x^2 y^2 + e^(xy)", "inner derivative is missing"),
            ("3x^2 y^2 + x e^(xy)", "not with respect to y"),
            ("2x^3 y + x e^(xy)", "with respect to y; this one is with respect to x"),
            ("3x^2 y^2 + 2x^3 y + (x + y) e^(xy)", "held fixed"),
            ("6x^2 y + y e^(xy)", "constant factor when y is held fixed"),
            ("3x^2 + y e^(xy)", "does not disappear"),
            ("x^3 y^2 + e^(xy)", "the function itself"),
            ("-3x^2 y^2 - y e^(xy)", "wrong sign"),
            ("3x^2 y^2 + y e^(xy) + 1", "off by a constant"),
            ("3x^2 y^2 + y e^(x z)", "should depend on x and y only"),
            ("3x^2 y^2", "exp(x*y) is missing"),
            ("x^2 y^2 + y e^(xy)", "x^3*y^2 is off by a constant factor"),
            ("3x^3 y^2 + y e^(xy)", "x^3*y^2 is not right; the other term is right"),
            ("3x^2 y^2 + xy e^(xy)", "exp(x*y) is not right"),
            ("3x^2 y^2 - y e^(xy)", "exp(x*y) has the wrong sign"),
            ("(x + y)^100000", "too large to compute"),
        ],
    },
    "4.2": {
        "right": [
            "2y sin(x y) + (x^2 + y^2) x cos(x y)",
            "2y sin(xy) + (x^3 + x y^2) cos(xy)",
            sp.diff((x**2 + y**2) * sp.sin(x * y), y),
        ],
        "wrong": [
            ("2xy cos(xy)", "two terms"),
            ("2y sin(xy)", "only the first factor"),
            ("(x^2 + y^2) x cos(xy)", "only the second factor"),
            ("2y sin(xy) + (x^2 + y^2) cos(xy)", "inner derivative is missing"),
            ("2y sin(xy) + (x^2 + y^2) y cos(xy)", "not x"),
            ("(2x + 2y) sin(xy) + (x^2 + y^2) x cos(xy)", "x² is a constant"),
            ("2x sin(xy) + (x^2 + y^2) y cos(xy)", ("with respect to x; this one is with respect "
                                                  "to y")),
            ("2y sin(xy) - (x^2 + y^2) x cos(xy)", "no minus sign"),
            ("2y sin(xy) + (x^2 + y^2) x sin(xy)", "not sin(u)"),
            ("2 sin(xy) + (x^2 + y^2) x cos(xy)", "power rule"),
        ],
    },
    "4.3": {
        "right": [
            "(2y + 2x y^3) exp(x y^2)",
            "2y e^(xy^2) (1 + x y^2)",
            sp.diff(sp.exp(x * y**2), x, y),
            sp.diff(sp.exp(x * y**2), y, x),
        ],
        "wrong": [
            ("y^2 e^(xy^2)", "first partial ∂f/∂x"),
            ("2xy e^(xy^2)", "first partial ∂f/∂y"),
            ("y^4 e^(xy^2)", "f_xx"),
            ("(2x + 4x^2 y^2) e^(xy^2)", "f_yy"),
            ("2x y^3 e^(2x y^2)", "product f_x·f_y"),
            ("2x y^3 e^(xy^2)", "product rule is missing"),
            ("2y e^(xy^2)", "only the first factor"),
            ("2y e^(xy^2) + y^2 e^(xy^2)", "inner derivative is missing"),
            ("2y e^(xy^2) + x y^3 e^(xy^2)", "off by a factor"),
            ("2xy e^(xy^2) + y^2 e^(xy^2)", "f_x + f_y"),
        ],
    },
    "4.4": {
        "right": [5.04, "5.04", sp.Rational(126, 25), 5 + 0.6 * 0.2 + 0.8 * (-0.1)],
        "wrong": [
            (math.hypot(3.2, 3.9), "exact value"),
            (5.0, "f(3, 4) alone"),
            (5.1, "wrong steps"),
            (4.96, "wrong sign"),
            (5.12, "only the step in x"),
            (4.92, "only the step in y"),
            (5.2, "step in y taken as positive"),
            (5.4, "partial derivatives of x² + y²"),
            (5.08, "extra factor"),
            (5.01, "inner derivative"),
            (5.045, "exact value"),
            (5.0448, "exact value"),
            (5 + 0.2 * 3.2 / math.hypot(3.2, 3.9) - 0.1 * 3.9 / math.hypot(3.2, 3.9), "not at (3.2, 3.9)"),
            (5.1 + 0.0, "paired"),
            (5.0404, "don't round"),
        ],
    },
    "4.5": {
        "right": [[_DW, _DB], np.array([_DW, _DB]), (float(_DW), float(_DB))],
        "wrong": [
            ([_DB, _DW], "wrong order"),
            ([-_DW, -_DB], "wrong sign"),
            ([_DB, _DB], "∂L/∂w is missing a factor"),
            ([_DW, _DW], "extra factor xᵢ"),
            ([_DW * 442, _DB * 442], "not their sum"),
            ([_DW / 2, _DB / 2], "(u²)' = 2u"),
            ([[_DW, _DB]], "shape"),
            (_DW, "shape"),
            ([2 * np.mean(_r) * np.mean(_x), _DB], "product of two means"),
            ([2 * np.mean((5 * _x - _y) * _x), 2 * np.mean(5 * _x - _y)], "lesson's point"),
        ],
    },
    "4.6": {
        "right": [_DS * -1.5, str(_DS * -1.5)],
        "wrong": [
            (_DS, "inner derivative is missing"),
            (-1.5, "outer derivative is missing"),
            (_s(_Z) * -1.5, "not its slope"),
            (_DS * 0.5, "other weight"),
            (_DS * 0.3, "the derivative with respect to the input"),
            (-_DS * -1.5, "wrong sign"),
            (_s(-1.5) * (1 - _s(-1.5)), "not at an input"),
            (_s(_Z - B46) * (1 - _s(_Z - B46)) * -1.5, "bias is missing"),
        ],
    },
}
