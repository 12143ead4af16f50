"""``calcml series "TERM" [--var n] [--start 1] [--time-limit 1]``: does a series converge, and why.

Prints the verdict (converges, diverges, or undecided — never a guess) with the test that
decided it, then the steps. See :func:`calcml.series.convergence` and lesson 09.
"""

from __future__ import annotations

VALUE_OPTIONS = ("--var", "--start", "--time-limit")
FLAGS = ()


def register(sub) -> None:
    p = sub.add_parser("series", help="decide whether a series converges, step by step",
                       description='Decide whether the series of a term converges and say '
                                   'why, e.g. calcml series "1/n^2", calcml series "(-1)^n/n", '
                                   'calcml series "1/log(n)" --start 2.')
    p.add_argument("term", help='the term a_n of the series, e.g. "n!/n^n"')
    p.add_argument("--var", default="n", metavar="VAR", help="the index variable (default: n)")
    p.add_argument("--start", default="1", metavar="N",
                   help="the first index, a whole number (default: 1)")
    p.add_argument("--time-limit", default="1", metavar="SECONDS",
                   help="CPU seconds for the verdict (default: 1)")
    p.set_defaults(func=run)


def run(args) -> int:
    from calcml.cli import UserError
    from calcml.series import convergence

    try:
        start = int(args.start)
    except ValueError:
        raise UserError(f"--start must be a whole number, got {args.start!r}") from None
    try:
        limit = float(args.time_limit)
    except ValueError:
        raise UserError(f"--time-limit must be a number of seconds, got {args.time_limit!r}") \
            from None
    try:
        verdict = convergence(args.term, n=args.var, start=start, time_limit=limit)
    except (ValueError, TypeError) as exc:  # SeriesError is a ValueError
        raise UserError(f"cannot decide the series of {args.term!r}: {exc}") from None
    print(verdict)
    return 0
