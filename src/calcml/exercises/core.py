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

import html
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = [
    "MIME_TYPE",
    "Exercise",
    "Hint",
    "NotAttempted",
    "Result",
    "Status",
    "check",
    "evaluate",
    "evaluate_with",
    "exercise",
    "registry",
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


def evaluate(exercise_id: str, answer: Any) -> Result:
    """Check ``answer`` against exercise ``exercise_id`` and return the :class:`Result`.

    Never raises for anything the learner passes; an unknown exercise id raises
    ``KeyError`` naming the known ones (that is a typo in the notebook, not an answer).
    """
    exercises = registry()
    if exercise_id not in exercises:
        known = ", ".join(sorted(exercises))
        raise KeyError(f"no exercise {exercise_id!r}; known exercises: {known}")
    return evaluate_with(exercise_id, exercises[exercise_id].checker, answer)


def evaluate_with(exercise_id: str, checker: Callable[[Any], str | None], answer: Any) -> Result:
    """What :func:`evaluate` does, with the checker given (the grader keeps its own copy)."""
    if answer is Ellipsis:
        return Result(exercise_id, Status.NOT_ATTEMPTED,
                      "not attempted yet: replace ... with your answer")
    try:
        remark = checker(answer)
    except NotAttempted as exc:
        return Result(exercise_id, Status.NOT_ATTEMPTED, str(exc) or "not attempted yet")
    except Hint as exc:
        return Result(exercise_id, Status.FAILED, str(exc))
    except Exception as exc:  # noqa: BLE001 — a learner's answer never produces a traceback
        return Result(exercise_id, Status.FAILED,
                      f"could not check this answer ({type(exc).__name__}: {exc})")
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
