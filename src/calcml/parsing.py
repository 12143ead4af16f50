"""Safe parsing of mathematical expressions typed by a learner.

Learner text never reaches :func:`eval` unguarded. The string is first read by Python's
tokenizer and checked against a whitelist: numbers, the operators of arithmetic,
parentheses, commas, known function names and known variable names. Anything else
(attribute access, underscores, strings, brackets, keywords such as ``lambda``, unknown
names) is rejected with a :class:`ExpressionError` naming the offending piece. Only then
is SymPy's parser run, with no builtins and a namespace of the allowed names only.

Accepted notation, as a learner would type it: ``x^2`` (power), ``2x`` and ``2 sin(x)``
(implicit multiplication), ``e^(-x)``, ``ln(x)``, ``|``-free ``abs(x)``, ``sqrt``,
``pi``, trig, hyperbolic and inverse trig functions.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize

__all__ = ["ALLOWED_FUNCTIONS", "ExpressionError", "parse_expression"]


class ExpressionError(ValueError):
    """A string that is not a mathematical expression calcml can read."""


#: function names a learner may use, mapped to SymPy's names
ALLOWED_FUNCTIONS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "asin": "asin", "acos": "acos", "atan": "atan",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "asinh": "asinh", "acosh": "acosh", "atanh": "atanh",
    "exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "abs": "Abs", "Abs": "Abs",
}
_CONSTANTS = {"pi": "pi", "e": "E", "E": "E"}
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "mu", "nu",
    "xi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
}
_ALLOWED_OPS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}
_MAX_LENGTH = 500


def _tokens(text: str):
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise ExpressionError(f"cannot read {text!r} as an expression: {exc}") from None


def _check_tokens(text: str, variables: set[str]) -> None:
    depth = 0
    for tok in _tokens(text):
        kind, value = tok.type, tok.string
        if kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
                    tokenize.DEDENT):
            continue
        if kind == tokenize.NUMBER:
            if not re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value):
                raise ExpressionError(f"{value!r} is not a plain decimal number")
            continue
        if kind == tokenize.NAME:
            if keyword.iskeyword(value) or value.startswith("_"):
                raise ExpressionError(f"{value!r} is not allowed in an expression")
            if (value not in ALLOWED_FUNCTIONS and value not in _CONSTANTS
                    and value not in variables and value not in _GREEK
                    and not re.fullmatch(r"[a-zA-Z]", value)):
                raise ExpressionError(
                    f"unknown name {value!r}: use single-letter variables and known "
                    f"functions (write x*y for a product)"
                )
            continue
        if kind == tokenize.OP:
            if value not in _ALLOWED_OPS:
                raise ExpressionError(f"the symbol {value!r} is not allowed in an expression")
            depth += value == "("
            depth -= value == ")"
            if depth < 0:
                raise ExpressionError(f"unbalanced parentheses in {text!r}")
            continue
        raise ExpressionError(f"{value!r} is not allowed in an expression")
    if depth != 0:
        raise ExpressionError(f"unbalanced parentheses in {text!r}")


def parse_expression(text, variables=("x",)):
    """Parse a learner's expression safely into a SymPy expression.

    Parameters
    ----------
    text : str or sympy.Expr
        The expression, e.g. ``"x^2*sin(x)"``, ``"1/(1+e^(-x))"``, ``"2x"``.
        A SymPy expression is returned unchanged.
    variables : sequence of str
        Names of variables to accept beyond single letters and Greek letters.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        The text is empty, too long, or contains anything but arithmetic, known
        functions and variable names. Nothing in it is executed.
    TypeError
        ``text`` is neither a string nor a SymPy expression.

    Examples
    --------
    >>> parse_expression("x^2 + 2x")
    x**2 + 2*x
    """
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    if isinstance(text, sympy.Basic):
        return text
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise TypeError(f"expected an expression as a string, got {type(text).__name__}")
    if isinstance(text, (int, float)):
        return sympy.sympify(text)
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("the expression is empty")
    if len(stripped) > _MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {_MAX_LENGTH} characters")
    if stripped.count("(") != stripped.count(")"):
        raise ExpressionError(f"unbalanced parentheses in {text!r}")
    variables = {str(v) for v in variables}
    _check_tokens(stripped, variables)

    namespace = {"__builtins__": {}, "Integer": sympy.Integer, "Float": sympy.Float,
                 "Rational": sympy.Rational, "Symbol": sympy.Symbol}
    for name, target in {**ALLOWED_FUNCTIONS, **_CONSTANTS}.items():
        namespace[name] = getattr(sympy, target)
    names = re.findall(r"[A-Za-z][A-Za-z0-9]*", stripped)
    for name in set(names) - set(namespace):
        namespace[name] = sympy.Symbol(name)
    transformations = (*standard_transformations, convert_xor,
                       implicit_multiplication_application)
    try:
        expr = parse_expr(stripped, local_dict={}, global_dict=namespace,
                          transformations=transformations, evaluate=True)
    except (SyntaxError, TypeError, ValueError, AttributeError, NameError) as exc:
        raise ExpressionError(f"cannot read {text!r} as an expression ({exc})") from None
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError(f"{text!r} is not a single expression")
    return expr
