"""Every exercise's checker: right answers pass, known mistakes get the right hint,
and nothing a learner can pass makes it crash or pass by accident."""

import importlib
import math
import pkgutil

import numpy as np
import pytest

import cases
from calcml.exercises import Status, evaluate, registry

ALL_CASES = {}
for info in pkgutil.iter_modules(cases.__path__):
    ALL_CASES.update(importlib.import_module(f"cases.{info.name}").CASES)

EXERCISES = sorted(registry())
RIGHT = [(ex, ans) for ex, c in ALL_CASES.items() for ans in c["right"]]
WRONG = [(ex, ans, hint) for ex, c in ALL_CASES.items() for ans, hint in c["wrong"]]


def _raises(*_args):
    raise ZeroDivisionError("division by zero")


JUNK = [None, "three", "x +", "", float("nan"), np.full((7, 3), 1.0), [], {}, object(), True,
        _raises, lambda *a: None, lambda *a: "x", lambda *a: float("nan"), -math.inf]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_exercise_has_cases(exercise_id):
    assert exercise_id in ALL_CASES, f"add CASES for exercise {exercise_id} in tests/cases/"
    assert len(ALL_CASES[exercise_id]["right"]) >= 1
    assert len(ALL_CASES[exercise_id]["wrong"]) >= 2


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answer_passes(exercise_id, answer):
    result = evaluate(exercise_id, answer)
    assert result.status is Status.PASSED, result.message


@pytest.mark.parametrize(("exercise_id", "answer", "hint"), WRONG)
def test_wrong_answer_gets_its_hint(exercise_id, answer, hint):
    result = evaluate(exercise_id, answer)
    assert result.status is Status.FAILED
    assert hint.lower() in result.message.lower(), result.message


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_placeholder_means_not_attempted(exercise_id):
    assert evaluate(exercise_id, ...).status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("junk", JUNK, ids=lambda j: type(j).__name__)
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_junk_gets_a_message_not_a_crash(exercise_id, junk):
    result = evaluate(exercise_id, junk)
    assert result.status is not Status.PASSED
    assert result.message
    assert "Traceback" not in result.message
