"""``calcml integrate "EXPR" [--var VAR] [--from A --to B] [--latex]``: an integral step by step.

``calcml integrate "x*exp(x)"`` explains an antiderivative; with ``--from`` and ``--to``
the definite integral, e.g. ``calcml integrate "exp(-x^2)" --from -oo --to oo``. A bound
may be a number, a constant expression (``pi/2``) or ``oo``/``-oo``/``inf``; an
expression may start with a minus sign (``calcml integrate "-x^2"``).
"""

from __future__ import annotations

VALUE_OPTIONS = ("--var", "--wrt", "--from", "--to", "--timeout")
FLAGS = ("--latex",)


def register(sub) -> None:
    p = sub.add_parser("integrate", help="integrate an expression step by step",
                       description='Explain an integral technique by technique, e.g. calcml '
                                   'integrate "x*exp(x)" or, for a definite integral, calcml '
                                   'integrate "exp(-x^2)" --from -oo --to oo.')
    p.add_argument("expression", help='what to integrate, e.g. "1/(x*(x+1))"')
    p.add_argument("--var", "--wrt", dest="var", default="x", metavar="VAR",
                   help="the variable of integration (default: x)")
    p.add_argument("--from", dest="lower", metavar="A", help="lower bound (a number, pi, -oo)")
    p.add_argument("--to", dest="upper", metavar="B", help="upper bound (a number, pi, oo)")
    p.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                   help="stop SymPy's search after this long (default: 5)")
    p.add_argument("--latex", action="store_true", help="print Markdown with LaTeX instead of text")
    p.set_defaults(func=run)


def run(args) -> int:
    from calcml.cli import UserError
    from calcml.integrate import integral_steps

    if (args.lower is None) != (args.upper is None):
        raise UserError("a definite integral needs both --from and --to")
    bounds = None if args.lower is None else (args.lower, args.upper)
    if not args.timeout > 0:
        raise UserError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    try:
        steps = integral_steps(args.expression, var=args.var, bounds=bounds,
                               timeout=args.timeout)
    except (ValueError, TypeError) as exc:  # ExpressionError is a ValueError
        raise UserError(f"cannot integrate {args.expression!r}: {exc}") from None
    print(steps._repr_markdown_() if args.latex else steps)
    return 0
