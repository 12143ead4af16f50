"""Shared test setup: the repository root, and reading a checker's hint."""

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # tests draw figures without a screen; the book sets no backend

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # lets tests import the `cases` package


def hint_of(check, *args, **kwargs):
    """The text of the Hint that ``check(*args, **kwargs)`` raises (failing if it passes)."""
    from calcml.exercises import Hint

    with pytest.raises(Hint) as info:
        check(*args, **kwargs)
    return str(info.value)
