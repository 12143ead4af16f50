"""Auto-checked exercises: ``check("1.3", answer)`` in a lesson shows a verdict.

The mechanism lives in :mod:`calcml.exercises.core`, the answer readers and mistake
diagnoses in :mod:`calcml.exercises.answers`, and each lesson's checkers in
``calcml.exercises.lessonNN`` (one module per lesson).
"""

from calcml.exercises.core import (
    MIME_TYPE,
    Hint,
    NotAttempted,
    Result,
    Status,
    check,
    evaluate,
    exercise,
    registry,
)

__all__ = ["MIME_TYPE", "Hint", "NotAttempted", "Result", "Status", "check", "evaluate",
           "exercise", "registry"]
