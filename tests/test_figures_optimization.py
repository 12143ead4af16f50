"""calcml.figures.optimization: contours, gradient arrows and optimiser paths draw what
they promise, in both calling conventions, and refuse bad input with a clear error."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml.figures.optimization import (
    plot_contours,
    plot_direction,
    plot_gradient_field,
    plot_trajectories,
)
from calcml.optimize import gradient_descent


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def bowl_xy(x, y):
    return x**2 + 4 * y**2


def bowl_p(p):
    return p[0] ** 2 + 4 * p[1] ** 2


def grad_p(p):
    return np.array([2 * p[0], 8 * p[1]])


def test_contours_levels_are_the_values_of_f(ax):
    assert plot_contours(bowl_xy, (-2, 2), (-1, 1), levels=[0.5, 1.0, 2.0], xlabel="w",
                         ylabel="b", ax=ax) is ax
    contour = ax.collections[0]
    np.testing.assert_allclose(contour.levels, [0.5, 1.0, 2.0])
    assert ax.get_xlabel() == "w"
    assert ax.get_ylabel() == "b"
    assert ax.get_xlim() == (-2.0, 2.0)
    assert ax.get_ylim() == (-1.0, 1.0)
    # a point on the drawn level 1.0 has f = 1 (the contour is really the level set)
    path = contour.get_paths()[1]
    points = path.vertices[:5]
    np.testing.assert_allclose(bowl_xy(points[:, 0], points[:, 1]), 1.0, rtol=2e-2)


def test_point_form_scalar_form_and_vectorised_form_agree(ax):
    plot_contours(bowl_p, (-2, 2), (-1, 1), levels=[1.0], num=31, ax=ax)
    plot_contours(lambda p: float(p[0] ** 2 + 4 * p[1] ** 2), (-2, 2), (-1, 1), levels=[1.0],
                  num=31, ax=ax)
    plot_contours(lambda x, y: math.hypot(x, 2 * y) ** 2, (-2, 2), (-1, 1), levels=[1.0],
                  num=31, ax=ax)
    first, *others = (c.get_paths()[0].vertices for c in ax.collections)
    for other in others:
        np.testing.assert_allclose(other, first, atol=1e-12)


def test_log_levels_are_geometric(ax):
    plot_contours(bowl_xy, (-2, 2), (-1, 1), levels=5, log_levels=True, ax=ax)
    levels = np.asarray(ax.collections[0].levels)
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert levels[-1] == pytest.approx(8.0)  # f's largest value on the box


def test_gradient_field_arrows_point_along_the_gradient(ax):
    plot_gradient_field(lambda x, y: (2 * x, 8 * y), (-2, 2), (-1, 1), num=5, ax=ax)
    q = ax.collections[0]
    X, Y = q.X, q.Y
    np.testing.assert_allclose(q.U, 2 * X)
    np.testing.assert_allclose(q.V, 8 * Y)
    assert q.get_label() == "∇f"


def test_gradient_field_negative_and_normalised_keeps_directions(ax):
    plot_gradient_field(grad_p, (-2, 2), (-1, 1), num=5, normalize=True, negative=True, ax=ax)
    q = ax.collections[0]
    U, V = np.asarray(q.U), np.asarray(q.V)
    G = np.array([2 * q.X, 8 * q.Y])
    cross = U * -G[1] - V * -G[0]  # parallel to −∇f ...
    np.testing.assert_allclose(cross, 0, atol=1e-12)
    assert np.all(U * -G[0] + V * -G[1] >= 0)  # ... and the same way
    spacing_x, spacing_y = 1.0, 0.5
    assert np.all(np.abs(U) <= 0.8 * spacing_x + 1e-12)
    assert np.all(np.abs(V) <= 0.8 * spacing_y + 1e-12)
    assert q.get_label() == "−∇f"


def test_two_paths_along_the_same_line_both_show(ax):
    run = gradient_descent(grad_p, [1.5, 0.8], lr=0.1, num_steps=20)
    plot_trajectories({"one": run, "the same": run}, ax=ax)
    first, second = (line for line in ax.lines if len(line.get_xdata()) > 1)
    assert first.get_linestyle() != second.get_linestyle()
    assert first.get_marker() != second.get_marker()
    assert first.get_linewidth() > second.get_linewidth()  # the one below is wider
    assert first.get_zorder() < second.get_zorder()


def test_trajectories_draw_every_iterate_and_keep_the_contour_box(ax):
    good = gradient_descent(grad_p, [1.5, 0.8], lr=0.1, num_steps=20)
    bad = gradient_descent(grad_p, [1.5, 0.8], lr=0.3, num_steps=100)
    assert bad.diverged
    plot_contours(bowl_p, (-2, 2), (-1, 1), ax=ax)
    assert plot_trajectories({"lr = 0.1": good, "lr = 0.3": bad}, ax=ax,
                             mark_minimum=(0, 0)) is ax
    assert ax.get_xlim() == (-2.0, 2.0)
    assert ax.get_ylim() == (-1.0, 1.0)
    path = ax.lines[0]
    np.testing.assert_allclose(np.column_stack(path.get_data()), good.xs)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "lr = 0.1 (ran out of steps, 20 steps)"
    assert legend[1].startswith("lr = 0.3 (diverged")
    assert legend[-3:] == ["minimum", "start", "end"]
    # the legend sits outside the axes: its left edge is right of the plot
    ax.figure.canvas.draw()
    box = ax.get_legend().get_window_extent()
    assert box.x0 >= ax.get_window_extent().x1


def test_single_history_and_list_with_labels(ax):
    run = gradient_descent(grad_p, [1.0, 1.0], lr=0.1, num_steps=3)
    plot_trajectories(run, ax=ax, describe=False)
    assert ax.get_legend().get_texts()[0].get_text() == "gradient descent"
    ax.clear()
    plot_trajectories([run, run], labels=["a", "b"], ax=ax, describe=False)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["a", "b"]


def test_direction_arrows_keep_their_relative_lengths_and_the_box(ax):
    plot_contours(bowl_xy, (-2, 2), (-1, 1), ax=ax)
    assert plot_direction((0.5, 0.2), (3, 4), grad=(1.0, 1.6), length=0.5, ax=ax) is ax
    u_arrow, g_arrow = ax.collections[-2:]
    np.testing.assert_allclose([u_arrow.U[0], u_arrow.V[0]], [0.3, 0.4])  # length 0.5
    np.testing.assert_allclose([g_arrow.U[0], g_arrow.V[0]], [0.1, 0.16])  # same scale
    assert [u_arrow.get_label(), g_arrow.get_label()] == ["u", "∇f"]
    assert [t.get_text() for t in ax.texts] == ["u", "∇f"]
    line = ax.lines[0]
    (x0, x1), (y0, y1) = line.get_data()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(4 / 3)  # along u, through the point
    assert y0 - 4 / 3 * x0 == pytest.approx(0.2 - 4 / 3 * 0.5)
    assert ax.get_xlim() == (-2.0, 2.0)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot_contours("x^2", (-1, 1), (-1, 1)), TypeError, "must be a function"),
        (lambda: plot_contours(bowl_xy, (1, -1), (-1, 1)), ValueError, "xlim"),
        (lambda: plot_contours(bowl_xy, (-1, 1), "wide"), TypeError, "ylim"),
        (lambda: plot_contours(bowl_xy, (-1, 1), (-1, 1), num=1), ValueError, "num"),
        (lambda: plot_contours(lambda x, y, z: x, (-1, 1), (-1, 1)), TypeError, "requires 3"),
        (lambda: plot_contours(lambda x, y: -x**2 - 1, (-1, 1), (-1, 1), log_levels=True),
         ValueError, "positive"),
        (lambda: plot_contours(lambda x, y: np.nan * x, (-1, 1), (-1, 1)), ValueError,
         "no finite value"),
        (lambda: plot_gradient_field(lambda p: [1, 2, 3], (-1, 1), (-1, 1)), ValueError,
         "two partial derivatives"),
        (lambda: plot_direction((0, 0), (0, 0)), ValueError, "zero vector"),
        (lambda: plot_direction((0, 0, 1), (1, 0)), ValueError, "point must be a pair"),
        (lambda: plot_direction((0, 0), (1, 0), length=-1), ValueError, "length"),
        (lambda: plot_trajectories({}), ValueError, "empty"),
        (lambda: plot_trajectories({"a": [1, 2]}), TypeError, "must be a History"),
        (lambda: plot_trajectories(gradient_descent(lambda x: x, [1.0], lr=0.1, num_steps=2)),
         ValueError, "not a path in the plane"),
        (lambda: plot_trajectories(gradient_descent(grad_p, [1.0, 1.0], lr=0.1, num_steps=2),
                                   mark_minimum=(1, 2, 3)), ValueError, "mark_minimum"),
    ],
)
def test_bad_input_is_named(call, error, match):
    fig = plt.figure()
    try:
        with pytest.raises(error, match=match):
            call()
    finally:
        plt.close(fig)
