"""Safe parsing of mathematical expressions typed by a learner.

Learner text never reaches :func:`eval` unguarded. The string is first read by Python's
tokenizer and checked against a whitelist: numbers, the operators of arithmetic,
parentheses, commas, known function names and known variable names. Anything else
(attribute access, underscores, strings, brackets, keywords such as ``lambda``, unknown
names) is rejected with a :class:`ExpressionError` naming the offending piece. Only then
is SymPy's parser run, with no builtins and a namespace of the allowed names only.

Exact arithmetic can also be an attack: ``9^9^9^9`` is a number with more digits than
there are atoms in the universe, and SymPy would try to compute it. The parser builds
the expression with guarded versions of ``Pow`` and ``exp`` that refuse to create an
exact number of more than :data:`MAX_EXACT_BITS` bits, and accepts decimal exponents
(``1.5e-3``) of at most three digits.

Accepted notation, as a learner would type it: ``x^2`` (power), ``2x`` and ``2 sin(x)``
(implicit multiplication), ``e^(-x)``, ``ln(x)``, ``|``-free ``abs(x)``, ``sqrt``,
``pi``, trig, hyperbolic and inverse trig functions, ``erf`` (in the GELU).
"""

from __future__ import annotations

import io
import keyword
import math
import re
import tokenize

__all__ = ["ALLOWED_FUNCTIONS", "MAX_EXACT_BITS", "ExpressionError", "parse_expression"]


class ExpressionError(ValueError):
    """A string that is not a mathematical expression calcml can read."""


#: function names a learner may use, mapped to SymPy's names
ALLOWED_FUNCTIONS = {
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "cot": "cot",
    "sec": "sec",
    "csc": "csc",
    "asin": "asin",
    "acos": "acos",
    "atan": "atan",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "asinh": "asinh",
    "acosh": "acosh",
    "atanh": "atanh",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "sqrt": "sqrt",
    "abs": "Abs",
    "Abs": "Abs",
    "erf": "erf",
}
_CONSTANTS = {"pi": "pi", "e": "E", "E": "E"}
_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "eta",
    "theta",
    "kappa",
    "mu",
    "nu",
    "xi",
    "rho",
    "sigma",
    "tau",
    "phi",
    "chi",
    "psi",
    "omega",
}
_ALLOWED_OPS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}
_MAX_LENGTH = 500
#: the largest exact number (in bits) that parsing may create: about 6000 decimal digits
MAX_EXACT_BITS = 20_000


def _tokens(text: str):
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise ExpressionError(f"cannot read {text!r} as an expression: {exc}") from None


def _check_tokens(text: str, variables: set[str]) -> None:
    depth = 0
    for tok in _tokens(text):
        kind, value = tok.type, tok.string
        if kind in (
            tokenize.NEWLINE,
            tokenize.NL,
            tokenize.ENDMARKER,
            tokenize.INDENT,
            tokenize.DEDENT,
        ):
            continue
        if kind == tokenize.NUMBER:
            if not re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value):
                raise ExpressionError(f"{value!r} is not a plain decimal number")
            if re.search(r"[eE][+-]?\d{4,}", value):
                raise ExpressionError(f"the exponent of {value!r} is too large")
            continue
        if kind == tokenize.NAME:
            if keyword.iskeyword(value) or value.startswith("_"):
                raise ExpressionError(f"{value!r} is not allowed in an expression")
            if (
                value not in ALLOWED_FUNCTIONS
                and value not in _CONSTANTS
                and value not in variables
                and value not in _GREEK
                and not re.fullmatch(r"[a-zA-Z]", value)
            ):
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


def _exact_bits(base, exponent) -> float:
    """About how many bits the exact number ``base**exponent`` takes (0 if not exact)."""
    if not (base.is_Rational and exponent.is_Rational) or base.is_zero:
        return 0.0
    p, q = abs(int(base.p)), int(base.q)
    return abs(float(exponent)) * math.log2(max(p, q, 2))


def _check_power(base, exponent) -> None:
    """Refuse ``base**exponent`` when SymPy would compute a gigantic exact number.

    ``e^(c*log(a) + ...)`` counts as ``a**c``: SymPy rewrites it so.
    """
    import sympy

    pairs = [(base, exponent)]
    if base is sympy.E:
        for term in sympy.Add.make_args(exponent):
            logs = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.log)]
            if len(logs) == 1:
                pairs.append((logs[0].args[0], term / logs[0]))
    for b, e in pairs:
        bits = _exact_bits(b, e)
        if bits > MAX_EXACT_BITS:
            raise ExpressionError(
                f"the power {_short(b)}^({_short(e)}) is too large to compute exactly "
                f"({_bits(bits)}, the limit is {MAX_EXACT_BITS} bits); "
                f"write a decimal such as 1e300 instead"
            )


def _bits(bits: float) -> str:
    return f"about {bits:.2g} bits" if math.isfinite(bits) else "more bits than a float counts"


def _short(number) -> str:
    text = str(number)
    return text if len(text) <= 24 else f"<a number of {len(text)} characters>"


def _guarded(function, name: str):
    """``function`` evaluated at once (whatever ``evaluate=`` says), with two checks.

    Every argument must be an expression (``()`` or ``(x, y)`` is a tuple, not a
    number), and a power must not be too large to compute exactly.
    """
    import sympy

    def call(*args, **_evaluate):
        args = [sympy.sympify(a) for a in args]
        for a in args:
            if not isinstance(a, sympy.Expr):
                raise ExpressionError(
                    f"{_short(a)} is not an expression: parentheses must hold one expression"
                )
        if name == "Pow" and len(args) == 2:
            _check_power(*args)
        elif name == "exp" and len(args) == 1:
            _check_power(sympy.E, args[0])
        return function(*args)

    call.__name__ = name
    return call


def _namespace() -> dict:
    """The only names the parsed text can reach: numbers, symbols, allowed functions."""
    import sympy

    namespace = {
        "__builtins__": {},
        "Integer": sympy.Integer,
        "Float": sympy.Float,
        "Rational": sympy.Rational,
        "Symbol": sympy.Symbol,
    }
    for name in ("Add", "Mul", "Pow"):
        namespace[name] = _guarded(getattr(sympy, name), name)
    for name, target in ALLOWED_FUNCTIONS.items():
        namespace[name] = _guarded(getattr(sympy, target), target)
    for name, target in _CONSTANTS.items():
        namespace[name] = getattr(sympy, target)
    return namespace


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

    namespace = _namespace()
    names = re.findall(r"[A-Za-z][A-Za-z0-9]*", stripped)
    for name in set(names) - set(namespace):
        namespace[name] = sympy.Symbol(name)
    transformations = (*standard_transformations, convert_xor, implicit_multiplication_application)
    try:
        # evaluate=False turns every operator into a call of namespace's guarded
        # Add/Mul/Pow, which evaluate one node at a time after checking its size
        expr = parse_expr(
            stripped,
            local_dict={},
            global_dict=namespace,
            transformations=transformations,
            evaluate=False,
        )
    except ExpressionError:
        raise
    except (SyntaxError, TypeError, ValueError, AttributeError, NameError) as exc:
        raise ExpressionError(f"cannot read {text!r} as an expression ({exc})") from None
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError(f"{text!r} is not a single expression")
    if expr.has(sympy.zoo, sympy.nan):
        raise ExpressionError(f"{text!r} is undefined (a division by zero?)")
    return expr
