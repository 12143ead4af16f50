"""Shared test setup: the repository root, and reading a checker's hint."""

import os
import sys
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")  # tests draw figures without a screen; the book sets no backend

# In CI (.ci/run sets CI) the property tests draw the same examples every run: a red CI is
# then the code's doing, reproducible by running the suite with CI=true; locally they
# explore new examples each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # lets tests import the `cases` package


def hint_of(check, *args, **kwargs):
    """The text of the Hint that ``check(*args, **kwargs)`` raises (failing if it passes)."""
    from calcml.exercises import Hint

    with pytest.raises(Hint) as info:
        check(*args, **kwargs)
    return str(info.value)


@pytest.fixture(scope="session")
def executed_dir(tmp_path_factory):
    """A folder shared by every test process of this run: the lessons as executed by
    tests/test_notebooks.py, which the book test renders instead of running them again."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # each worker has its own basetemp; their parent is shared
    folder = base / "executed-lessons"
    folder.mkdir(exist_ok=True)
    return folder


def pytest_configure(config):
    """Under ``--dist loadgroup`` pytest-xdist hands out work in collection order, not
    (its default) the groups with the most tests first: that put the book test (15 tests
    in one group) first, and it executed the lessons itself, or waited for them, while the
    other process did the rest: 5 min 7-17 s for the suite here, 4 min 17 s in order)."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """The slowest work first (the lesson runs and the graded class: both processes start
    on it, and the quick tests fill in at the end), the book test last: by then the
    lessons it renders have been executed, or are being executed."""
    def slow(item):
        group = item.get_closest_marker("xdist_group")
        return (item.get_closest_marker("notebooks") is not None
                or (group is not None and group.args[:1] == ("grading",)))

    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, not slow(item)))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Under ``--dist loadgroup`` each worker names a grouped test ``id@group`` (that is
    how the book is built once and the class graded once). pytest 9.2 ignores the name
    pytest-xdist 3.8 sets, and every group was split over the workers: refuse to run so."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    split = [item.nodeid for item in session.items
             if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if split:
        raise pytest.UsageError(
            f"pytest-xdist's --dist loadgroup does not group {split[0]} (and "
            f"{len(split) - 1} more): this pytest and pytest-xdist do not work together "
            "(pytest 9.2 with xdist 3.8); use the versions of uv.lock")
