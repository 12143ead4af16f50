"""Known right and wrong answers for every exercise, one module per lesson.

Each ``lessonNN.py`` defines ``CASES = {"N.M": {"right": [...], "wrong": [(answer,
"fragment of the expected hint"), ...]}}``; ``tests/test_checkers.py`` runs them all
and checks that every registered exercise has at least one right and two wrong cases.
"""
