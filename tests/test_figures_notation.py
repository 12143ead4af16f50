"""calcml.figures.notation: the broadcasting picture of the primer names the right entries."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml.figures.notation import plot_broadcast


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _cells(ax):
    """{(row, column): text} of the result grid, row 0 at the top."""
    rows = sorted({round(t.get_position()[1], 3) for t in ax.texts}, reverse=True)
    cols = sorted({round(t.get_position()[0], 3) for t in ax.texts})
    return {(rows.index(round(t.get_position()[1], 3)), cols.index(round(t.get_position()[0], 3))):
            t.get_text().replace("\n", " ") for t in ax.texts}


def test_a_row_vector_is_repeated_down_the_rows(ax):
    assert plot_broadcast((4, 3), (3,), names=("X", "b"), ax=ax) is ax
    cells = _cells(ax)
    assert len(cells) == 12
    assert cells[(2, 1)] == "X[2,1] + b[1]"
    assert all(cells[(i, 1)].endswith("b[1]") for i in range(4))
    assert ax.get_title() == "(4, 3) + (3,) → (4, 3)"
    colours = {tuple(np.round(p.get_facecolor()[:3], 3)) for p in ax.patches}
    assert len(colours) == 2  # own entries and copies


def test_an_outer_difference_pairs_every_entry_of_each(ax):
    plot_broadcast((4, 1), (3,), names=("c", "b"), op="−", ax=ax)
    cells = _cells(ax)
    assert cells[(3, 2)] == "c[3,0] − b[2]"
    assert ax.get_title().endswith("→ (4, 3)")


def test_shapes_that_do_not_broadcast_are_named(ax):
    with pytest.raises(ValueError, match=r"\(442, 10\) and \(442,\) do not broadcast"):
        plot_broadcast((442, 10), (442,), ax=ax)
    with pytest.raises(ValueError, match="at most two axes"):
        plot_broadcast((2, 2, 2), (2,), ax=ax)
    with pytest.raises(TypeError, match="must be a shape"):
        plot_broadcast("4x3", (3,), ax=ax)


def test_uses_the_current_axes_without_ax():
    fig = plt.figure()
    try:
        current = fig.add_subplot()
        assert plot_broadcast((2, 2), ()) is current
    finally:
        plt.close(fig)
