"""``calcml diff "EXPR" [--wrt VAR] [--latex]``: a derivative explained rule by rule.

``--wrt y`` takes the partial derivative with respect to ``y`` (the other letters are
held fixed); variables may have several letters (``w``, ``b``, ``x1``).
"""

from __future__ import annotations

VALUE_OPTIONS = ("--var", "--wrt")
FLAGS = ("--latex",)


def register(sub) -> None:
    p = sub.add_parser("diff", help="differentiate an expression step by step",
                       description='Explain a derivative rule by rule, e.g. calcml diff '
                                   '"x^2*sin(x)", calcml diff "-x^2" or, for a partial '
                                   'derivative, calcml diff "x^2*y + sin(x*y)" --wrt y.')
    p.add_argument("expression", help='what to differentiate, e.g. "exp(-x^2/2)"')
    p.add_argument("--wrt", "--var", dest="var", default="x", metavar="VAR",
                   help="the variable to differentiate with respect to (default: x)")
    p.add_argument("--latex", action="store_true", help="print LaTeX instead of text")
    p.set_defaults(func=run)


def run(args) -> int:
    from calcml.cli import UserError
    from calcml.symbolic import derivative_steps

    try:
        steps = derivative_steps(args.expression, var=args.var)
    except (ValueError, TypeError) as exc:  # ExpressionError is a ValueError
        raise UserError(f"cannot differentiate {args.expression!r}: {exc}") from None
    print(steps._repr_latex_() if args.latex else steps)
    return 0
