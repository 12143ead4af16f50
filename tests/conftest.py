"""Shared test setup: the repository root and the lesson list."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen; the book sets no backend

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # lets tests import the `cases` package
