"""The exercise mechanism: a registry of checkers and the ``check`` learners call.

A checker is a function of the learner's answer. It returns ``None`` (or a short
encouraging remark) when the answer is right, and raises :class:`Hint` with a message
that diagnoses the mistake when it is wrong. It never states the answer.

The framework around it guarantees what a learner relies on:

* the placeholder ``...`` (or a function that still returns ``...``) means
  *not attempted*, and the notebook still runs top to bottom;
* whatever the learner passes (``None``, a string, NaN, the wrong shape, a function
  that raises) yields a message, never a traceback;
* each result is shown in Jupyter and also carried in the cell output under the MIME
  type :data:`MIME_TYPE`, which ``calcml check`` reads back to print a scoreboard.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from calcml._cpu_time import AGAIN as _AGAIN  # seconds between repeated alarms
from calcml._cpu_time import inside, interruptible

__all__ = [
    "MIME_TYPE",
    "Exercise",
    "Hint",
    "NotAttempted",
    "Result",
    "Status",
    "TimeUp",
    "check",
    "current_lesson",
    "evaluate",
    "evaluate_with",
    "exercise",
    "registry",
    "time_limit",
    "within_time",
]

MIME_TYPE = "application/vnd.calcml.check+json"


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


class Hint(Exception):
    """Raised by a checker: the answer is wrong, and the message says why."""


class NotAttempted(Exception):
    """Raised when the placeholder ``...`` is still in place."""


@dataclass(frozen=True)
class Result:
    """The outcome of checking one answer."""

    exercise: str
    status: Status
    message: str

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    def __str__(self) -> str:
        mark = {Status.PASSED: "✓", Status.FAILED: "✗", Status.NOT_ATTEMPTED: "·"}[self.status]
        return f"{mark} Exercise {self.exercise}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"exercise": self.exercise, "status": self.status.value,
                "message": self.message}

    def _repr_mimebundle_(self, include=None, exclude=None):
        colour = {Status.PASSED: "#1a7f37", Status.FAILED: "#b42318",
                  Status.NOT_ATTEMPTED: "#6e7781"}[self.status]
        html_text = (f'<div class="calcml-check calcml-{self.status.name.lower()}" '
                     f'style="color:{colour};font-family:monospace">'
                     f"{html.escape(str(self))}</div>")
        return {"text/plain": str(self), "text/html": html_text, MIME_TYPE: self.to_json()}


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its id (``"1.3"``), a title and its checker."""

    id: str
    title: str
    checker: Callable[[Any], str | None]


_REGISTRY: dict[str, Exercise] = {}

#: the most time one check may take, in seconds, whatever the learner passes
CHECK_SECONDS = 8.0


class TimeUp(BaseException):
    """Raised inside a :func:`time_limit` block when its time is up.

    A ``BaseException``, like ``KeyboardInterrupt``, so that library code that catches
    ``Exception`` (SymPy does, here and there) cannot swallow it.
    """


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the block with :class:`TimeUp` after ``seconds`` (a wall-clock timer).

    Blocks nest: an inner limit never outlasts the outer one, and the outer one's
    :class:`TimeUp` is raised when its own time is up inside the inner block. Where no
    timer is available (not the main thread, Windows, or another library's SIGALRM
    handler in place) the block runs without a limit; callers keep their own size
    guards for that case. Catch a block's own :class:`TimeUp` with
    ``except TimeUp as exc: if exc.args != (token,): raise`` — or use
    :func:`within_time`. The alarm repeats every 50 ms until the block ends (a TimeUp
    swallowed by a bare ``except:`` or in a finalizer does not end the limit); enter it
    with ``with`` in the code it limits, whose frame it watches.
    """
    if not _can_alarm():
        yield None
        return
    outer_handler = signal.getsignal(signal.SIGALRM)
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    ours = getattr(outer_handler, "_calcml_time_limit", False)
    if outer_left > 0 and not ours:
        yield None  # someone else's timer (pytest-timeout, ...): leave it alone
        return
    token = object()

    block = sys._getframe(2)  # the frame with the ``with`` (above contextlib's __enter__)

    def handler(signum, frame):
        if not inside(frame, block):  # the block is over: never raise in unrelated code
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, outer_handler)
        elif interruptible(frame):  # else (a finalizer, a gc callback) again in _AGAIN s
            raise TimeUp(token)

    handler._calcml_time_limit = True
    start = time.monotonic()
    limit = seconds if outer_left <= 0 else min(seconds, outer_left)
    signal.signal(signal.SIGALRM, handler)
    # it fires again every _AGAIN s until the block ends: one swallowed TimeUp (in a
    # finalizer, a bare except:) must not leave the block running without a limit
    signal.setitimer(signal.ITIMER_REAL, max(limit, 1e-3), _AGAIN)
    try:
        yield token
    finally:
        while True:  # disarm, even when the timer fires again meanwhile
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, outer_handler)
                break
            except TimeUp as exc:
                if exc.args != (token,):
                    raise
        if outer_left > 0:
            left = outer_left - (time.monotonic() - start)
            if left <= 0:  # the outer block's time is up: its handler raises, from here
                outer_handler(signal.SIGALRM, sys._getframe())
            else:
                signal.setitimer(signal.ITIMER_REAL, left, _AGAIN)


def within_time(seconds: float, compute: Callable[[], Any], default: Any = None) -> Any:
    """``compute()``, or ``default`` when it takes more than ``seconds``."""
    tokens = []
    try:
        with time_limit(seconds) as token:
            tokens.append(token)
            return compute()
    except TimeUp as exc:
        if not tokens or tokens[0] is None or exc.args != (tokens[0],):
            raise
    return default


def exercise(exercise_id: str, title: str):
    """Register the decorated function as the checker of exercise ``exercise_id``."""

    def register(checker: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker)
        return checker

    return register


def _load_all() -> None:
    """Import every lesson's exercise module so the registry is complete."""
    import importlib
    import pkgutil

    from calcml import exercises

    for info in pkgutil.iter_modules(exercises.__path__):
        if info.name.startswith("lesson"):
            importlib.import_module(f"calcml.exercises.{info.name}")


def registry() -> dict[str, Exercise]:
    """All registered exercises, by id."""
    _load_all()
    return dict(_REGISTRY)


#: the id of the exercise being checked, while its checker runs (see current_lesson)
_CURRENT_EXERCISE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "calcml_current_exercise", default=None)


def current_lesson() -> int | None:
    """The lesson number of the exercise being checked (3 for "3.2"), or None outside a check.

    The generic diagnoses use it to speak the lesson's language: no "chain rule?" before
    lesson 03 has taught it.
    """
    exercise_id = _CURRENT_EXERCISE.get()
    head = (exercise_id or "").split(".")[0]
    return int(head) if head.isdigit() else None


def _exercise_key(exercise_id: Any, exercises: dict) -> str:
    """The registry key for ``exercise_id``; a number (1.1, 3) is read when unambiguous.

    Raises KeyError with what to type instead (``check("1.10", ...)``: as a float 1.10
    is 1.1, so a number can name the wrong exercise).
    """
    if isinstance(exercise_id, str):
        key = exercise_id.strip()
        if key in exercises:
            return key
        known = ", ".join(sorted(exercises))
        raise KeyError(f"no exercise {exercise_id!r}; known exercises: {known}")
    if isinstance(exercise_id, (int, float)) and not isinstance(exercise_id, bool):
        matches = [k for k in exercises if _as_float(k) == float(exercise_id)]
        if len(matches) == 1:
            return matches[0]
        hint = f' (write check("{matches[0]}", answer) or check("{matches[1]}", answer))' \
            if len(matches) > 1 else ""
        raise KeyError(f"the exercise number {exercise_id!r} is ambiguous or unknown{hint}: "
                       'write it as a string in quotes, e.g. check("1.1", answer)')
    raise KeyError(f"the exercise id must be a string such as \"1.1\", not "
                   f"{type(exercise_id).__name__}")


def _as_float(key: str) -> float | None:
    try:
        return float(key)
    except ValueError:
        return None


def evaluate(exercise_id: str, answer: Any) -> Result:
    """Check ``answer`` against exercise ``exercise_id`` and return the :class:`Result`.

    Never raises for anything the learner passes; an unknown exercise id raises
    ``KeyError`` naming the known ones (that is a typo in the notebook, not an answer).
    The id may be typed as a number (``1.1``) when that names one exercise only.
    """
    exercises = registry()
    key = _exercise_key(exercise_id, exercises)
    return evaluate_with(key, exercises[key].checker, answer)


def evaluate_with(exercise_id: str, checker: Callable[[Any], str | None], answer: Any) -> Result:
    """What :func:`evaluate` does, with the checker given (the grader keeps its own copy)."""
    if answer is Ellipsis:
        return Result(exercise_id, Status.NOT_ATTEMPTED,
                      "not attempted yet: replace ... with your answer")
    token = _CURRENT_EXERCISE.set(str(exercise_id))
    clocks = []
    try:
        with time_limit(CHECK_SECONDS) as clock:
            clocks.append(clock)
            remark = checker(answer)
    except TimeUp as exc:
        if not clocks or clocks[0] is None or exc.args != (clocks[0],):
            raise
        return Result(exercise_id, Status.FAILED,
                      f"this answer took more than {CHECK_SECONDS:g} s to check — it is too "
                      "large or too slow to evaluate; simplify it and try again")
    except NotAttempted as exc:
        return Result(exercise_id, Status.NOT_ATTEMPTED, str(exc) or "not attempted yet")
    except Hint as exc:
        return Result(exercise_id, Status.FAILED, str(exc))
    except Exception as exc:  # noqa: BLE001 — a learner's answer never produces a traceback
        return Result(exercise_id, Status.FAILED,
                      f"could not check this answer ({type(exc).__name__}: {exc})")
    finally:
        _CURRENT_EXERCISE.reset(token)
    return Result(exercise_id, Status.PASSED, remark or "correct — well done!")


def _in_ipython() -> bool:
    shell = sys.modules.get("IPython")
    return bool(shell and shell.get_ipython())


def check(exercise_id: str, answer: Any) -> None:
    """Check a learner's answer and show the verdict (pass, fail with a hint, or not attempted).

    In Jupyter the verdict is displayed (and carried for ``calcml check``); in a plain
    Python session it is printed. Returns ``None`` so the verdict is shown once.
    """
    result = evaluate(exercise_id, answer)
    if _in_ipython():
        from IPython.display import display

        display(result)
    else:
        print(str(result))
