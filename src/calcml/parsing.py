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
``pi``, trig, hyperbolic and inverse trig functions, ``erf`` (in the GELU), and the
typography copied from a lesson's text: ``·`` ``×`` (product), ``−`` (minus), ``π``,
``σ(…)`` (the sigmoid) and superscripts (``x²``, ``(1 + x²)²``, ``x⁻¹``, ``sin²(x)``).

A function's argument may go without parentheses when it is a single variable and
nothing else can be meant, as on paper: ``3x^2 sin x + x^3 cos x`` and ``2 sin x cos x``
read as ``3x^2 sin(x) + x^3 cos(x)`` and ``2 sin(x) cos(x)`` (never as SymPy's implicit
application would, ``2 sin(x cos(x))``). Anything else needs parentheses: ``2x cos x^2``
could mean ``cos(x)^2`` or ``cos(x^2)``, and is refused with a hint rather than guessed.
An implicit product right after the exponent of an exponential, or after a
denominator, is ambiguous too, and refused with both readings: ``e^2x`` (``e^(2x)`` or
``e^2*x``?), ``2^3x``, ``1/2x`` (``1/(2x)`` or ``(1/2)x``?). A space or parentheses end
an exponent (``e^2 x``, ``e^(2x)x``, ``e^x(x + 1)``) or a denominator (``1/2 x``,
``1/4(x - 4)``, ``1/2 ln(1 + x^2)`` multiply the fraction, left to right), and a power of
a variable times a factor is read as on paper (``x^2y`` is ``x²y``). A name before
parentheses is a known function, a variable (``x(x + 1)``, a product) or ``e``/``pi``;
``f(x)``, ``gamma(x)`` are refused, never multiplied. Functions get the number of
arguments they take (``sqrt(x, 2)`` is refused), a logarithm's base must be a positive
number other than 1, and ``0^x`` (0, 1 or undefined, by the sign of x) is refused.
``sigmoid``, ``softplus``, ``log10`` and ``log2`` are known too. Every
refusal is a one-line :class:`ExpressionError` in the learner's terms; no Python
``SyntaxError`` or tokenizer message is passed on.
"""

from __future__ import annotations

import io
import itertools
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
    "arsinh": "asinh",
    "arcosh": "acosh",
    "artanh": "atanh",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "sqrt": "sqrt",
    "abs": "Abs",
    "Abs": "Abs",
    "sign": "sign",
    "erf": "erf",
    "sigmoid": "sigmoid",
    "softplus": "softplus",
    "log10": "log10",
    "log2": "log2",
}
#: functions of the course that SymPy has no name for, written with the ones it has
_DEFINED_FUNCTIONS = {
    "sigmoid": lambda u: 1 / (1 + _sympy().exp(-u)),
    "softplus": lambda u: _sympy().log(1 + _sympy().exp(u)),
    "log10": lambda u: _sympy().log(u, 10),
    "log2": lambda u: _sympy().log(u, 2),
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
#: operators that need an operand on both sides
_BINARY_OPS = {"*", "/", "**", "^"}
#: typography copied from a lesson's text, and what it means in the plain notation
_TYPOGRAPHY = {
    "\u00b7": "*",  # · middle dot
    "\u22c5": "*",  # ⋅ dot operator
    "\u2219": "*",  # ∙ bullet operator
    "\u00d7": "*",  # × multiplication sign
    "\u00f7": "/",  # ÷ division sign
    "\u2212": "-",  # − minus sign
    "\u2013": "-",  # – en dash, as a minus
    "\u03c0": " pi ",  # π (spaces: 2πx is 2 pi x)
}
_SUPERSCRIPTS = {
    "\u2070": "0", "\u00b9": "1", "\u00b2": "2", "\u00b3": "3", "\u2074": "4",
    "\u2075": "5", "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9",
    "\u207b": "-", "\u207a": "+",
}  # fmt: skip
_SUPERSCRIPT_RUN = re.compile("[" + "".join(_SUPERSCRIPTS) + "]+")


def _normalize(text: str) -> str:
    """The plain notation of ``text``: typography replaced, superscripts as powers.

    ``x²`` becomes ``x^(2)`` (also after a parenthesis or a function name: ``sin²(x)``
    is ``sin^(2)(x)``, which SymPy reads as ``sin(x)^2``), and every kind of white space
    (a newline too) becomes a space, so that nothing after a line break is dropped.
    """
    for char, plain in _TYPOGRAPHY.items():
        text = text.replace(char, plain)
    text = re.sub("\u03c3\\s*\\(", " sigmoid(", text)  # σ(z), the course's sigmoid
    text = _SUPERSCRIPT_RUN.sub(
        lambda m: "^(" + "".join(_SUPERSCRIPTS[c] for c in m.group()) + ")", text
    )
    return re.sub(r"\s", " ", text)


def _sympy():
    import sympy

    return sympy


def _tokens(text: str, shown: str):
    """The significant tokens of ``text``; ``shown`` is the learner's text, for messages."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        if "'" in text or '"' in text:
            raise ExpressionError(f"quotes are not allowed in an expression: {shown!r}") from None
        raise ExpressionError(f"cannot read {shown!r} as an expression") from None
    skip = (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT)
    return [tok for tok in tokens if tok.type not in skip and not tok.string.isspace()]


#: what may follow ``sin x`` for ``x`` to be read as the whole argument, as on paper
_AFTER_BARE_ARGUMENT = {"+", "-", "*", "/", ")", ","}


def _is_variable(tok, variables: set[str]) -> bool:
    """A name that stands for a variable or a constant (not a function, not a keyword)."""
    name = tok.string
    return tok.type == tokenize.NAME and name not in ALLOWED_FUNCTIONS and (
        name in variables or name in _GREEK or name in _CONSTANTS
        or bool(re.fullmatch(r"[a-zA-Z]", name)))


def _wrap_bare_arguments(text: str, variables: set[str], shown: str) -> str:
    """``sin x`` written as on paper becomes ``sin(x)``, when nothing else can be meant.

    The argument is taken to be a single variable or constant followed by the end, an
    operator ``+ - * /``, a closing parenthesis, a comma or another function name:
    ``3x^2 sin x + x^3 cos x`` and ``2 sin x cos x`` read as on paper. Anything longer
    (``cos x^2``: ``cos(x)^2`` or ``cos(x^2)``? ``sin 2x``, ``sin x y``) is left as it
    is, for :func:`_check_function_call` to refuse with a request for parentheses.
    """
    tokens = _tokens(text, shown)
    wraps = []  # (start, end) column of each bare argument, on the single line of text
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != tokenize.NAME or tok.string not in ALLOWED_FUNCTIONS:
            continue
        arg = tokens[i + 1]
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if not _is_variable(arg, variables):
            continue
        if after is None or after.string in _AFTER_BARE_ARGUMENT or (
                after.type == tokenize.NAME and after.string in ALLOWED_FUNCTIONS):
            wraps.append((arg.start[1], arg.end[1]))
    for start, end in reversed(wraps):
        text = f"{text[:start]}({text[start:end]}){text[end:]}"
    return text


def _check_function_call(tokens, i: int) -> None:
    """The function name ``tokens[i]`` must be followed by ``(``, or by ``^n (`` (a power).

    ``cos x^2`` is ambiguous (``cos(x)^2`` or ``cos(x^2)``?), and SymPy's implicit
    application reads ``2 sin x cos x`` as ``2 sin(x cos(x))``: arguments without
    parentheses are refused with a hint, never guessed.
    """
    name = tokens[i].string
    following = [tok.string for tok in tokens[i + 1 : i + 6]]
    if following[:1] == ["("]:
        return
    if following[:1] in (["^"], ["**"]):
        rest = following[1:]
        power = rest[:2] if rest[:1] != ["("] else rest[:4]
        plain = (len(power) == 2 and re.fullmatch(r"\d+", power[0]) and power[1] == "(") or (
            len(power) == 4 and re.fullmatch(r"\d+", power[1]) and power[2:] == [")", "("]
        )
        if plain:
            return
        raise ExpressionError(
            f"write a power of {name} after its argument, e.g. {name}(x)^2 "
            f"({name}^-1 would be ambiguous: 1/{name}(x), or the inverse function?)"
        )
    if len(following) >= 3 and following[1] in ("^", "**") and re.fullmatch(
            r"[A-Za-z]\w*", following[0]):
        arg, power = following[0], following[2]
        raise ExpressionError(
            f"write function arguments in parentheses, e.g. {name}({arg}^{power}) or "
            f"{name}({arg})^{power}: {name} {arg}^{power} could mean either"
        )
    if len(following) >= 2 and following[1] == "(" and re.fullmatch(r"[A-Za-z]\w*",
                                                                      following[0]):
        arg = following[0]
        raise ExpressionError(
            f"write function arguments in parentheses, e.g. {name}({arg}) (…): "
            f"{name} {arg} (…) could mean {name}({arg})·(…) or {name}({arg}·(…))"
        )
    raise ExpressionError(
        f"write function arguments in parentheses, e.g. {name}(3x) rather than {name} 3x"
    )


def _check_tokens(text: str, variables: set[str], shown: str) -> None:
    depth = 0
    tokens = _tokens(text, shown)
    for i, tok in enumerate(tokens):
        kind, value = tok.type, tok.string
        if kind == tokenize.NUMBER and i > 0 and tokens[i - 1].type == tokenize.NUMBER:
            raise ExpressionError(
                f"two numbers in a row ({tokens[i - 1].string} {value}) in {shown!r}: "
                "write * between numbers, and use one decimal point per number"
            )
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
                and not re.fullmatch(r"[a-zA-Z]\d*", value)  # x, or x1, w12: a subscript
            ):
                glued = next((f for f in sorted(ALLOWED_FUNCTIONS, key=len, reverse=True)
                              if value.startswith(f) and re.fullmatch(r"[a-zA-Z]\d*",
                                                                      value[len(f):])), None)
                if glued:  # "sinx": a function name glued to its argument
                    arg = value[len(glued):]
                    raise ExpressionError(f"unknown name {value!r}: write {glued}({arg}) or "
                                          f"{glued} {arg}, with a space")
                raise ExpressionError(
                    f"unknown name {value!r}: use single-letter variables (or a letter "
                    f"and digits, x1) and known functions (write x*y for a product)"
                )
            if value in ALLOWED_FUNCTIONS:
                _check_function_call(tokens, i)
            elif i + 1 < len(tokens) and tokens[i + 1].string == "(":
                _check_name_before_parenthesis(text, tokens, i, variables)
            continue
        if kind == tokenize.OP:
            if value not in _ALLOWED_OPS:
                raise ExpressionError(f"the symbol {value!r} is not allowed in an expression")
            depth += value == "("
            depth -= value == ")"
            if depth < 0:
                raise ExpressionError(f"unbalanced parentheses in {shown!r}")
            continue
        shown_value = f"'{value}'" if "'" not in value else repr(value)  # '\', not '\\'
        raise ExpressionError(f"{shown_value} is not allowed in an expression")
    if depth != 0:
        raise ExpressionError(f"unbalanced parentheses in {shown!r}")
    _check_implicit_products(text, tokens)


def _known_functions() -> str:
    return ", ".join(sorted(name for name in ALLOWED_FUNCTIONS if name != "Abs"))


def _closing(tokens, i: int) -> int:
    """The index of the ``)`` that closes the ``(`` at ``tokens[i]`` (len if none)."""
    depth = 0
    for k in range(i, len(tokens)):
        depth += tokens[k].string == "("
        depth -= tokens[k].string == ")"
        if depth == 0:
            return k
    return len(tokens)


def _check_name_before_parenthesis(text: str, tokens, i: int, variables: set[str]) -> None:
    """``name(…)`` for a name that is not a known function: a product only for a variable.

    ``x(x + 1)`` is a product (``x`` is a variable of the expression), and so are
    ``e(x + 1)`` and ``pi(x + 1)``. Anything else — ``f(x)``, ``gamma(x)``, ``psi(x)`` —
    could be a function applied to its argument as well as a product, and is refused
    rather than silently multiplied.
    """
    name = tokens[i].string
    if name in variables or name in _CONSTANTS or (len(name) == 1 and name not in "fgh"):
        return  # x(x + 1), k(x − 1), C(x + 1): a product; f(x), g(x), h(x) name functions
    end = _closing(tokens, i + 1)
    call = text[tokens[i].start[1] : tokens[min(end, len(tokens) - 1)].end[1]]
    call = call if len(call) <= 30 else f"{name}(…)"
    inside = call[len(name) :].strip()
    sigmoid = " (for the sigmoid write sigmoid(x) or σ(x))" if name == "sigma" else ""
    raise ExpressionError(
        f"{call} could be a function {name} applied to {inside} or the product "
        f"{name}·{inside}, and {name} is not a function the course knows{sigmoid}: for the "
        f"product write {name}*{inside}; known functions: {_known_functions()}"
    )


_POWER_OPS = {"^", "**"}


def _starts_factor(tok) -> bool:
    """A token that, right after an operand, multiplies it implicitly (``2x``, ``x(…)``)."""
    return tok.type in (tokenize.NUMBER, tokenize.NAME) or tok.string == "("


def _operand_end(tokens, j: int) -> int | None:
    """The index just after the operand that starts at ``tokens[j]``, or None.

    An operand is a number, a name, a parenthesised group, or a function call (also
    ``sin^2(x)``). Implicit products and binary operators after it are not part of it.
    """
    if j >= len(tokens):
        return None
    tok = tokens[j]
    if tok.type == tokenize.NUMBER:
        return j + 1
    if tok.string == "(":
        return _closing(tokens, j) + 1
    if tok.type != tokenize.NAME:
        return None
    if tok.string in ALLOWED_FUNCTIONS:
        k = j + 1
        if k + 1 < len(tokens) and tokens[k].string in _POWER_OPS:  # sin^2(x), sin^(2)(x)
            k = _closing(tokens, k + 1) + 1 if tokens[k + 1].string == "(" else k + 2
        if k < len(tokens) and tokens[k].string == "(":
            return _closing(tokens, k) + 1
    return j + 1


def _signed_operand_end(tokens, j: int) -> int | None:
    while j < len(tokens) and tokens[j].string in ("+", "-"):
        j += 1
    return _operand_end(tokens, j)


def _power_chain_end(tokens, e: int | None) -> int | None:
    """After an operand ending at ``e``, the end of its powers (``y^2`` in ``x/y^2 z``)."""
    while e is not None and e < len(tokens) and tokens[e].string in _POWER_OPS:
        e = _signed_operand_end(tokens, e + 1)
    return e


def _term_start(tokens, i: int) -> int:
    """The index where the product or quotient that ends before ``tokens[i]`` begins."""
    depth, k = 0, i - 1
    while k >= 0:
        s = tokens[k].string
        if s == ")":
            depth += 1
        elif s == "(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (s == "," or (s in ("+", "-") and k > 0
                                          and tokens[k - 1].string not in
                                          _BINARY_OPS | {"(", ",", "+", "-"})):
            break
        k -= 1
    return k + 1


def _base_start(tokens, i: int) -> int:
    """The index where the base of the power ``tokens[i]`` (``^``) begins."""
    k = i - 1
    if k >= 0 and tokens[k].string == ")":
        depth = 0
        while k >= 0:
            depth += tokens[k].string == ")"
            depth -= tokens[k].string == "("
            if depth == 0:
                break
            k -= 1
        if k > 0 and tokens[k - 1].string in ALLOWED_FUNCTIONS:
            k -= 1
    return max(k, 0)


def _check_implicit_products(text: str, tokens) -> None:
    """Refuse an implicit product right after an exponent or a denominator: ambiguous.

    ``e^2x`` could be ``e^(2x)`` or ``e^2·x`` (and ``2^3x`` ``2^(3x)`` or ``8x``): an
    exponential's exponent is often a product. A space ends the exponent (``e^2 x``), and
    so does a parenthesised exponent (``e^(2x)``) or a bracket after it (``e^x(x + 1)``
    is ``e^x·(x + 1)``). A power of a variable or a bracket times a factor is read as on
    paper: ``x^2y`` is ``x²·y``, ``x^3cos x`` is ``x³·cos x``. ``1/2x`` could be ``1/(2x)`` or ``(1/2)x``, with a space
    or without: only parentheses or ``*`` say which.
    """
    def piece(a: int, b: int) -> str:  # the text of tokens[a:b]
        return text[tokens[a].start[1] : tokens[b - 1].end[1]]

    for i, tok in enumerate(tokens):
        if (tok.string in _POWER_OPS and i + 1 < len(tokens) and tokens[i + 1].string != "("
                and not (i > 0 and tokens[i - 1].string in ALLOWED_FUNCTIONS)):  # sin^2(x)
            e = _signed_operand_end(tokens, i + 1)
            if e is None or e >= len(tokens) or not _starts_factor(tokens[e]) or \
                    tokens[e].start != tokens[e - 1].end or tokens[e].string == "(":
                continue
            b = _base_start(tokens, i)
            if not (b == i - 1 and (tokens[b].type == tokenize.NUMBER or tokens[b].string == "e")):
                continue  # x^2y, x^3cos x: a power of a variable times a factor, as on paper
            after = _power_chain_end(tokens, _operand_end(tokens, e)) or len(tokens)
            base, power = piece(_base_start(tokens, i), i), piece(i + 1, e)
            factor = piece(e, min(after, len(tokens)))
            raise ExpressionError(
                f"{base}^{power}{factor} is ambiguous: it could mean {base}^({power}{factor}) "
                f"or {base}^{power}·{factor}; write {base}^({power}{factor}) for the power, or "
                f"{base}^{power}*{factor} (or {base}^{power} {factor}, with a space) for the "
                "product"
            )
        if tok.string == "/":
            e = _power_chain_end(tokens, _signed_operand_end(tokens, i + 1))
            if e is None or e >= len(tokens) or not _starts_factor(tokens[e]):
                continue
            if (tokens[e].start != tokens[e - 1].end or tokens[e].string == "("
                    or tokens[e].string in ALLOWED_FUNCTIONS):
                continue  # 1/2 x, 1/4(x - 4), 1/2 ln(1 + x^2): (1/2)·…, as written left to right
            start = _term_start(tokens, i)
            if start >= i:
                continue
            after = _power_chain_end(tokens, _operand_end(tokens, e)) or len(tokens)
            after = min(after, len(tokens))
            top, below, factor = piece(start, i), piece(i + 1, e), piece(e, after)
            gap = " " if tokens[e].start != tokens[e - 1].end else ""
            raise ExpressionError(
                f"{top}/{below}{gap}{factor} is ambiguous: it could mean "
                f"{top}/({below}{gap}{factor}) or ({top}/{below}){gap}{factor}; write "
                f"{top}/({below}{gap}{factor}) to divide by both, or ({top}/{below}){gap}{factor} "
                f"to multiply by {factor}"
            )


def _syntax_problem(text: str, shown: str, exc: Exception) -> str:
    """A one-line explanation of why SymPy could not read ``text``, in the learner's terms.

    Python's own message (``invalid syntax (<unknown>, line 1)``) says nothing useful to
    a learner and is never passed on.
    """
    ops = [tok.string for tok in _tokens(text, shown)]
    start = f"cannot read {shown!r} as an expression"
    unary = {"+", "-"}
    names = {"^": "a power ^", "**": "a power **", "*": "a product sign", "/": "a division sign",
             "+": "a plus sign", "-": "a minus sign", ",": "a comma", "(": "'('", ")": "')'"}
    if ops and ops[-1] in _BINARY_OPS | unary | {","}:
        return f"{start}: it ends with {names[ops[-1]]} — something is missing after it"
    if ops and ops[0] in _BINARY_OPS | {","}:
        return f"{start}: it starts with {names[ops[0]]} — something is missing before it"
    for a, b in itertools.pairwise(ops):
        if a == "(" and b == ")":
            return f"{start}: empty parentheses ()"
        if a in _BINARY_OPS | unary and b in _BINARY_OPS:
            return f"{start}: two operators in a row ({a} {b})"
        if a == "(" and b in _BINARY_OPS | {","}:
            return f"{start}: {names[b]} right after '(' — something is missing before it"
        if a in _BINARY_OPS | unary | {","} and b in {")", ","}:
            return f"{start}: {names[a]} right before {names[b]} — something is missing after it"
    if "," in ops:
        return f"{start}: each function takes a single argument, and a comma is not a decimal point"
    if isinstance(exc, RecursionError) or "nested" in str(exc):
        return f"{start}: it is nested too deeply"
    return (
        f"{start}: check that every operator has something on both sides and every "
        "function its argument in parentheses"
    )


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


#: functions that take more than one argument: log(x) or log(x, base)
_ARITY = {"log": (1, 2)}


def _check_arguments(shown: str, args) -> None:
    """A function of the course gets as many arguments as it takes (``sqrt(x, 2)`` is
    not a square root with a 2 dropped), and a logarithm a base that is one."""
    counts = _ARITY.get(shown, (1,))
    if not args:
        raise ExpressionError(f"cannot read {shown}(): empty parentheses — {shown} needs an "
                              f"argument, e.g. {shown}(x)")
    if len(args) not in counts:
        takes = "one argument" if counts == (1,) else "one or two arguments: log(x) or log(x, base)"
        hint = {"sqrt": "; for an n-th root write x^(1/n)",
                "exp": "; for a power write e^x or exp(x)",
                "abs": "; for the distance between a and b write abs(a - b)"}.get(shown, "")
        call = f"{shown}(" + ", ".join(_short(a) for a in args) + ")"
        raise ExpressionError(f"cannot read {call}: {shown} takes {takes}, got {len(args)}{hint}")
    if shown == "log" and len(args) == 2:
        base = args[1]
        if base.is_number:
            value = complex(base.evalf(30))
            if value.imag != 0 or not value.real > 0 or base.equals(1):
                raise ExpressionError(
                    f"the base of a logarithm must be a positive number other than 1, got "
                    f"log({_short(args[0])}, {_short(base)}): write log(x, 2), log(x, 10) "
                    "or ln(x)"
                )


def _check_zero_power(base, exponent) -> None:
    """``0^x`` is 0 for x > 0, 1 (by convention) at x = 0 and undefined for x < 0: not a
    function of x with a derivative formula, so it is refused rather than simplified."""
    if base.is_zero and not exponent.is_number:
        raise ExpressionError(
            f"0^({_short(exponent)}) is 0 where the exponent is positive, undefined where it is "
            "negative and 1 (by convention) where it is 0 — not one formula: write 0 (for a "
            "positive exponent) instead"
        )


def _guarded(function, name: str, shown: str | None = None):
    """``function`` evaluated at once (whatever ``evaluate=`` says), with checks.

    Every argument must be an expression (``()`` or ``(x, y)`` is a tuple, not a
    number), a function of the course (``shown``, as the learner writes it) gets as many
    arguments as it takes, and a power must not be too large to compute exactly.
    """
    import sympy

    def call(*args, **_evaluate):
        args = [sympy.sympify(a) for a in args]
        for a in args:
            if not isinstance(a, sympy.Expr):
                raise ExpressionError(
                    f"{_short(a)} is not an expression: parentheses must hold one expression"
                )
        if shown is not None:
            _check_arguments(shown, args)
        if name == "Pow" and len(args) == 2:
            _check_power(*args)
            _check_zero_power(*args)
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
        function = _DEFINED_FUNCTIONS.get(name) or getattr(sympy, target)
        namespace[name] = _guarded(function, target, name)
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
    shown = text.strip()
    if not shown:
        raise ExpressionError("the expression is empty")
    if len(shown) > _MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {_MAX_LENGTH} characters")
    if shown.count("(") != shown.count(")"):
        raise ExpressionError(f"unbalanced parentheses in {shown!r}")
    stripped = _normalize(shown).strip()
    variables = {str(v) for v in variables}
    stripped = _wrap_bare_arguments(stripped, variables, shown)
    _check_tokens(stripped, variables, shown)

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
    except Exception as exc:  # noqa: BLE001 — SyntaxError, TypeError, SympifyError, ...
        raise ExpressionError(_syntax_problem(stripped, shown, exc)) from None
    if not isinstance(expr, sympy.Expr):
        raise ExpressionError(f"{shown!r} is not a single expression")
    if expr.has(sympy.zoo, sympy.nan):
        raise ExpressionError(f"{shown!r} is undefined (a division by zero?)")
    return expr
