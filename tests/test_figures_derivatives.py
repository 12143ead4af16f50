"""Lesson 02's figures: each helper draws what it promises on the axes it is given."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml.figures.derivatives import (
    plot_derivative_sign,
    plot_errors_along_x,
    plot_secant,
    plot_step_errors,
    plot_subgradients,
    plot_tangents,
)
from calcml.numdiff import best_step


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def cube(x):
    return x**3 - 2 * x + 2


def line_slope(line):
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    return (y[-1] - y[0]) / (x[-1] - x[0])


def test_secant_and_tangent_slopes(ax):
    assert plot_secant(cube, 1.0, 0.5, ax=ax) is ax
    labels = [line.get_label() for line in ax.get_lines()]
    secant = ax.get_lines()[labels.index("secant, slope 2.7500")]
    tangent = ax.get_lines()[labels.index("tangent, slope 1.0000")]
    assert line_slope(secant) == pytest.approx(1 + 3 * 0.5 + 0.5**2)  # (f(1.5) - f(1)) / 0.5
    assert line_slope(tangent) == pytest.approx(1.0)


def test_secant_with_negative_step_and_exact_derivative(ax):
    plot_secant(cube, 1.0, -0.5, df=lambda t: 3 * t**2 - 2, ax=ax)
    assert ax.get_xlim()[0] <= 0.5
    assert "h = -0.5" in ax.get_title()


@pytest.mark.parametrize(
    ("h", "error"), [(0.0, ValueError), (float("nan"), ValueError), ("0.1", TypeError)]
)
def test_secant_rejects_bad_steps(ax, h, error):
    with pytest.raises(error, match="h"):
        plot_secant(cube, 1.0, h, ax=ax)


def test_tangents_are_coloured_by_sign(ax):
    plot_tangents(lambda w: (w - 1) ** 2, [0.0, 2.0], xlim=(-1, 3), xlabel="w", ax=ax)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["slope -2.00", "slope 2.00"]
    assert ax.get_xlabel() == "w"


def test_derivative_sign_marks_the_turning_points(ax):
    plot_derivative_sign(cube, xlim=(-2, 2), ax=ax)
    marks = [line for line in ax.get_lines() if line.get_label() == "f' = 0"]
    assert len(marks) == 1
    roots = np.sort(np.asarray(marks[0].get_xdata(), dtype=float))
    assert roots == pytest.approx([-np.sqrt(2 / 3), np.sqrt(2 / 3)], abs=1e-4)
    labels = {p.get_label() for p in ax.patches}
    assert {"f' > 0: f rises", "f' < 0: f falls"} <= labels


def test_derivative_sign_finds_a_zero_on_the_grid(ax):
    # f' = 2x vanishes exactly at the grid point 0: no sign change, still marked
    plot_derivative_sign(lambda t: t**2, df=lambda t: 2 * t, xlim=(-1, 1), num=201, ax=ax)
    marks = [line for line in ax.get_lines() if line.get_label() == "f' = 0"]
    assert np.asarray(marks[0].get_xdata(), dtype=float) == pytest.approx([0.0])


def test_subgradients_draws_one_line_per_slope(ax):
    plot_subgradients(np.abs, 0.0, [-1, 0, 1], xlim=(-1, 1), ax=ax)
    slopes = [line_slope(line) for line in ax.get_lines() if line.get_label().startswith("slope")]
    assert slopes == pytest.approx([-1, 0, 1])
    with pytest.raises(ValueError, match="slopes is empty"):
        plot_subgradients(np.abs, 0.0, [], xlim=(-1, 1), ax=ax)


def test_step_errors_marks_minima_and_labels_guides(ax):
    hs = np.logspace(0, -10, 11)
    errors = {"a": hs + 1e-12 / hs, "b": hs}
    guide = np.where(hs > 1e-3, hs, np.nan)
    plot_step_errors(hs, errors, guides={"slope 1": guide}, window=1, ax=ax)
    assert ax.get_xscale() == "log"
    assert ax.get_yscale() == "log"
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert [float(np.asarray(s.get_xdata())[0]) for s in stars] == pytest.approx([1e-6, 1e-10])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "slope 1" in legend


def test_step_errors_star_skips_a_lucky_step(ax):
    hs = np.logspace(0, -12, 61)
    errors = hs + 1e-12 / hs  # typical error smallest at 1e-6
    errors[50] = 0.0  # a lucky step at h = 1e-10
    plot_step_errors(hs, {"a": errors}, ax=ax)
    star = next(line for line in ax.get_lines() if line.get_marker() == "*")
    assert 10**-6.5 < float(np.asarray(star.get_xdata())[0]) < 10**-5.5  # not at 1e-10


def test_step_errors_star_sits_at_the_typical_error_not_at_a_lucky_dip(ax):
    hs = np.logspace(0, -12, 61)
    errors = hs + 1e-12 / hs  # typical error smallest at h = 1e-6, where it is 2e-6
    i = int(np.argmin(np.abs(np.log10(hs) + 6)))
    errors[i] = 1e-14  # the best step itself is lucky
    plot_step_errors(hs, {"a": errors}, ax=ax)
    star = next(line for line in ax.get_lines() if line.get_marker() == "*")
    j = int(np.flatnonzero(hs == best_step(hs, errors))[0])
    assert abs(j - i) <= 2  # the window around the best step holds the lucky one
    assert float(np.asarray(star.get_xdata())[0]) == hs[j]
    typical = np.exp(np.median(np.log(errors[j - 2 : j + 3])))  # the median of the window
    assert float(np.asarray(star.get_ydata())[0]) == pytest.approx(typical)
    assert typical > 1e3 * errors[i]  # far above the lucky dip


def test_step_errors_guides_named_in_the_legend_with_their_own_dashes(ax):
    hs = np.logspace(0, -15, 91)
    guides = {
        "forward: slope +1.00": np.where((hs >= 1e-3) & (hs <= 1e-1), hs / 2, np.nan),
        "central: slope +2.00": np.where((hs >= 1e-3) & (hs <= 1e-1), hs**2 / 6, np.nan),
    }
    plot_step_errors(hs, {"forward": hs / 2 + 1e-16 / hs}, guides=guides, ax=ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(guides) <= set(legend)
    lines = {line.get_label(): line for line in ax.get_lines()}
    styles = {str(lines[name].get_linestyle()) for name in guides}
    assert len(styles) == len(guides)  # told apart without colour


def test_step_errors_draws_exact_zeros_below_epsilon(ax):
    hs = np.array([1e-1, 1e-2])
    plot_step_errors(hs, {"exact": np.zeros(2)}, mark_min=False, ax=ax)
    assert np.all(np.asarray(ax.get_lines()[0].get_ydata()) < np.finfo(float).eps)


@pytest.mark.parametrize(
    ("hs", "errors", "error"),
    [
        ([1e-1, -1e-2], {"a": [1.0, 1.0]}, ValueError),
        ([1e-1, 1e-2], {}, TypeError),
        ([1e-1, 1e-2], {"a": [1.0]}, ValueError),
    ],
)
def test_step_errors_bad_input(ax, hs, errors, error):
    with pytest.raises(error):
        plot_step_errors(hs, errors, ax=ax)


def test_errors_along_x(ax):
    xs = np.linspace(-1, 1, 5)
    assert plot_errors_along_x(xs, {"m": np.full(5, 1e-12)}, ax=ax) is ax
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="shape"):
        plot_errors_along_x(xs, {"m": np.ones(3)}, ax=ax)


def test_errors_along_x_keeps_identical_curves_apart(ax):
    xs = np.linspace(-1, 1, 101)
    same = np.zeros(101)  # exact methods: identical curves of zeros
    plot_errors_along_x(xs, {"a": same, "b": same, "c": same}, ax=ax)
    lines = [line for line in ax.get_lines() if line.get_label() in "abc"]
    assert len({(line.get_linestyle(), line.get_marker()) for line in lines}) == 3
    marked = []
    for line in lines:
        start, every = line.get_markevery()
        marked.append(tuple(np.asarray(line.get_xdata())[start::every]))
    assert not set(marked[0]) & set(marked[1])  # the markers sit at different x
    assert not set(marked[1]) & set(marked[2])
    assert np.all(np.asarray(lines[0].get_ydata()) < np.finfo(float).eps)  # zeros at eps/2


def test_helpers_use_the_current_axes_without_ax():
    fig = plt.figure()
    try:
        assert plot_secant(cube, 1.0, 0.1) is plt.gca()
    finally:
        plt.close(fig)


def _legend_below_the_axes(ax):
    ax.figure.canvas.draw()
    return ax.get_legend().get_window_extent().y1 <= ax.get_window_extent().y0


@pytest.mark.parametrize("draw", [
    lambda ax: plot_secant(cube, 1.0, 0.5, ax=ax),
    lambda ax: plot_derivative_sign(cube, xlim=(-2, 2), ax=ax),
    lambda ax: plot_subgradients(np.abs, 0.0, [-1, 0, 1], xlim=(-1, 1), ax=ax),
    lambda ax: plot_errors_along_x(np.linspace(0, 1, 5), {"a": np.full(5, 1e-3)}, ax=ax),
], ids=["secant", "derivative_sign", "subgradients", "errors_along_x"])
def test_legends_sit_off_the_data_and_the_y_axis_is_named(ax, draw):
    draw(ax)
    assert _legend_below_the_axes(ax)
    assert ax.get_ylabel()


@pytest.mark.parametrize(("f", "below"), [(lambda w: (w - 1) ** 2, True), (np.log, False)],
                         ids=["convex", "concave"])
def test_tangent_labels_sit_in_a_corner_free_of_segment_and_curve(ax, f, below):
    # a rising segment runs through the lower-left and upper-right corners around its point,
    # a falling one through the upper-left and lower-right; a convex curve bends up, away
    # from its tangent, a concave one down: the label takes the corner free of both
    points = [0.0, 1.0, 2.0] if below else [0.5, 2.0]
    plot_tangents(f, points, xlim=(0.05, 3) if not below else (-1, 3), ax=ax)
    for text in ax.texts:
        dx, dy = text.xyann
        slope = float(text.get_text().split()[-1])
        assert (dy < 0) == below
        if slope > 0:
            assert (dx > 0) == below
        elif slope < 0:
            assert (dx < 0) == below


def test_subgradient_lines_are_told_apart_by_colour_and_dash(ax):
    plot_subgradients(np.abs, 0.0, [-1, -0.5, 0, 0.5, 1], xlim=(-1, 1), ax=ax)
    lines = [line for line in ax.get_lines() if line.get_label().startswith("slope")]
    assert len({line.get_color() for line in lines}) == len(lines)
    assert len({str(line.get_linestyle()) for line in lines}) >= 4
    assert ax.get_legend().get_texts()[0].get_fontsize() >= 8  # readable, not x-small


def test_secant_names_a_run_only_where_it_has_room(ax):
    plot_secant(cube, 1.0, 1.0, xlim=(-1.5, 2.2), ax=ax)
    assert [t.get_text() for t in ax.texts] == ["h"]
    ax.clear()
    plot_secant(cube, 1.0, 0.05, xlim=(-1.5, 2.2), ax=ax)
    assert len(ax.texts) == 0
