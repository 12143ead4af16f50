"""calcml.figures.limits: each helper draws what it promises on the axes it is given."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from calcml.figures.limits import (
    LEFT_COLOUR,
    RIGHT_COLOUR,
    plot_epsilon_delta,
    plot_functions,
    plot_limit_approach,
    plot_one_sided,
    plot_relative_errors,
    plot_squeeze,
    plot_unit_circle_areas,
)
from calcml.functions import relu, sigmoid, step
from calcml.limits import delta_works


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def sinc(x):
    return np.sin(x) / x


def hollow_points(ax):
    """(x, y) of the open circles (white-filled markers) on the axes (not legend-only ones)."""
    return [(float(line.get_xdata()[0]), float(line.get_ydata()[0])) for line in ax.lines
            if line.get_marker() == "o" and line.get_markerfacecolor() == "white"
            and len(line.get_xdata())]


def test_every_helper_uses_the_current_axes_when_none_is_given():
    fig = plt.figure()
    try:
        current = fig.add_subplot()
        assert plot_functions([np.sin]) is current
        assert plot_limit_approach(sinc, 0.0) is current
        assert plot_one_sided(step, 0.0) is current
        assert plot_epsilon_delta(sigmoid, 0.0, 0.5, 0.1, 0.2) is current
        assert plot_squeeze(np.cos, sinc, np.ones_like, 0.0) is current
        assert plot_relative_errors([1.0, 2.0], {"e": [1e-3, 1e-4]}) is current
        current = fig.add_subplot(2, 1, 2)  # fresh, linear axes
        assert plot_unit_circle_areas(0.5) is current
    finally:
        plt.close(fig)


def test_plot_functions_draws_each_function_with_its_label(ax):
    out = plot_functions({"sigmoid": sigmoid, "relu": relu}, xlim=(-2, 3), num=51,
                         hlines=(0, 1), ax=ax)
    assert out is ax
    curves = [line for line in ax.lines if line.get_label() in {"sigmoid", "relu"}]
    assert len(curves) == 2
    xs, ys = curves[1].get_data()
    np.testing.assert_allclose(ys, relu(xs))
    assert xs[0] == -2
    assert xs[-1] == 3
    assert len(xs) == 51
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert sorted(line.get_ydata()[0] for line in dashed) == [0, 1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "relu"]


def test_plot_functions_names_callables_from_a_list(ax):
    plot_functions([np.sin, np.cos], ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sin", "cos"]


def test_plot_functions_styles_a_curve_and_leaves_a_jump_unjoined(ax):
    # the gallery: ReLU drawn last, dashed black, on top of the curves that share its graph;
    # the step with a gap at its jump instead of a vertical segment
    plot_functions({"step": step, "ReLU": relu}, xlim=(-1, 1), num=40,
                   styles={"ReLU": {"color": "k", "linestyle": "--"}}, jumps={"step": [0.0]},
                   ax=ax)
    step_line, relu_line = (next(line for line in ax.lines if line.get_label() == name)
                            for name in ("step", "ReLU"))
    assert ax.lines.index(relu_line) > ax.lines.index(step_line)  # drawn later: on top
    assert relu_line.get_linestyle() == "--"
    assert to_rgba(relu_line.get_color()) == to_rgba("k")
    assert relu_line.get_linewidth() == 2  # the default width is kept
    xs, ys = step_line.get_data()
    assert 0.0 in xs  # the jump point is sampled (num=40 does not hit it) ...
    assert np.isnan(ys[xs == 0.0]).all()  # ... and left as a gap
    finite = ~np.isnan(ys)
    # no segment joins a value 0 to a value 1: neighbours across the gap are not drawn
    joined = finite[:-1] & finite[1:]
    assert np.all(np.abs(np.diff(ys))[joined] == 0)
    assert len(relu_line.get_xdata()) == 40  # other curves are sampled as usual


def test_plot_functions_rejects_styles_for_unknown_labels(ax):
    with pytest.raises(ValueError, match="styles names \\['relu'\\]"):
        plot_functions({"ReLU": relu}, styles={"relu": {"color": "k"}}, ax=ax)
    with pytest.raises(ValueError, match="jumps names"):
        plot_functions({"ReLU": relu}, jumps={"step": [0.0]}, ax=ax)


def test_limit_approach_points_close_in_from_both_sides(ax):
    plot_limit_approach(sinc, 0.0, h0=2.0, num_points=5, ax=ax)
    left, right = ax.collections
    lx = left.get_offsets()[:, 0]
    rx = right.get_offsets()[:, 0]
    np.testing.assert_allclose(lx, -2.0 / 2.0 ** np.arange(5))
    np.testing.assert_allclose(rx, 2.0 / 2.0 ** np.arange(5))
    assert np.allclose(left.get_facecolor()[0], to_rgba(LEFT_COLOUR))
    assert np.allclose(right.get_facecolor()[0], to_rgba(RIGHT_COLOUR))
    (cx, cy), = hollow_points(ax)  # the limit, estimated by numeric_limit
    assert cx == 0.0
    assert cy == pytest.approx(1.0, rel=1e-9)


def test_limit_approach_without_a_limit_draws_no_circle(ax):
    plot_limit_approach(step, 0.0, ax=ax)
    assert hollow_points(ax) == []


def test_one_sided_marks_both_limits_and_the_value_of_a_jump(ax):
    plot_one_sided(step, 0.0, ax=ax)
    assert sorted(hollow_points(ax)) == [(0.0, 0.0), (0.0, 1.0)]
    filled = [line for line in ax.lines
              if line.get_marker() == "o" and line.get_markerfacecolor() != "white"]
    assert [(line.get_xdata()[0], line.get_ydata()[0]) for line in filled] == [(0.0, 1.0)]
    left_curve = ax.lines[0].get_xdata()
    assert left_curve.max() < 0  # no line bridges the jump


def test_one_sided_slopes_of_a_kink(ax):
    plot_one_sided(relu, 0.0, slopes=True, ax=ax)
    tangents = [line for line in ax.lines if line.get_linestyle() == "--"]
    slopes = sorted(float(np.diff(t.get_ydata())[0] / np.diff(t.get_xdata())[0])
                    for t in tangents)
    assert slopes == pytest.approx([0.0, 1.0])


def test_one_sided_needs_a_inside_xlim(ax):
    with pytest.raises(ValueError, match="must contain a = 5"):
        plot_one_sided(step, 5.0, xlim=(-1, 1), ax=ax)


@pytest.mark.parametrize("delta", [0.3, 1.0])
def test_epsilon_delta_picture(ax, delta):
    eps = 0.1
    plot_epsilon_delta(sigmoid, 0.0, 0.5, eps, delta, xlim=(-3, 3), ylim=(0, 1), ax=ax)
    box, = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert box.get_xy() == (-delta, 0.5 - eps)
    assert (box.get_width(), box.get_height()) == pytest.approx((2 * delta, 2 * eps))
    works = delta_works(sigmoid, 0.0, 0.5, eps, delta)
    assert ("✓" in ax.get_title()) == works
    red = [line for line in ax.lines if line.get_color() == "tab:red"]
    outside = np.isfinite(red[0].get_ydata()).any()
    assert outside == (not works)  # red marks the graph leaving the band inside the strip
    assert ax.get_xlim() == (-3, 3)
    assert ax.get_ylim() == (0, 1)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"eps": 0.0}, ValueError, "eps must be positive, got 0.0"),
    ({"delta": -0.1}, ValueError, "delta must be positive"),
    ({"f": 3}, TypeError, "f must be a function"),
    ({"a": math.nan}, ValueError, "a must be finite"),
    ({"xlim": (1, -1)}, ValueError, "xlim must be finite with low < high"),
])
def test_epsilon_delta_rejects_bad_input(ax, kwargs, error, match):
    args = {"f": sigmoid, "a": 0.0, "L": 0.5, "eps": 0.1, "delta": 0.2, "ax": ax} | kwargs
    with pytest.raises(error, match=match):
        plot_epsilon_delta(**args)


def test_squeeze_shades_between_the_bounds_and_marks_the_meeting_point(ax):
    plot_squeeze(np.cos, sinc, np.ones_like, 0.0, xlim=(-1.5, 1.5),
                 labels=("cos x", "sin(x)/x", "1"), ax=ax)
    assert len(ax.collections) == 1  # the shaded region
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cos x", "1", "sin(x)/x"]
    assert hollow_points(ax) == [(0.0, 1.0)]


def test_squeeze_needs_three_labels(ax):
    with pytest.raises(ValueError, match="labels must name lower, f and upper"):
        plot_squeeze(np.cos, sinc, np.ones_like, 0.0, labels=("a", "b"), ax=ax)


def test_relative_errors_on_log_axes_with_zero_shown_below_epsilon(ax):
    xs = np.array([1e-8, 1e-4, 1.0])
    plot_relative_errors(xs, {"naive": [1.0, 1e-8, 0.0]}, guides={"eps/x²": 2e-16 / xs**2}, ax=ax)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    naive = next(line for line in ax.lines if line.get_label() == "naive")
    assert naive.get_ydata()[-1] == np.finfo(float).eps / 2  # an exact result, drawn below ε
    assert any(line.get_label() == "machine epsilon" for line in ax.lines)
    # ... marked as such: no filled marker there, a hollow one instead, and a legend entry
    assert naive.get_markevery().tolist() == [True, True, False]
    assert hollow_points(ax) == [(1.0, np.finfo(float).eps / 2)]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "error 0 (drawn at ε_mach/2)" in legend


def test_relative_errors_without_zeros_have_no_zero_legend_entry(ax):
    plot_relative_errors([1.0, 2.0], {"e": [1e-3, 1e-4]}, ax=ax)
    assert hollow_points(ax) == []
    assert "error 0 (drawn at ε_mach/2)" not in [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize(("xs", "errors", "error", "match"), [
    ([0.0, 1.0], {"e": [1.0, 1.0]}, ValueError, "positive numbers"),
    ([1.0, 2.0], {"e": [1.0]}, ValueError, "has shape"),
    ([1.0, 2.0], [1.0, 2.0], TypeError, "mapping"),
])
def test_relative_errors_rejects_bad_input(ax, xs, errors, error, match):
    with pytest.raises(error, match=match):
        plot_relative_errors(xs, errors, ax=ax)


def test_plot_functions_rejects_bad_input(ax):
    with pytest.raises(ValueError, match="functions is empty"):
        plot_functions({}, ax=ax)
    with pytest.raises(TypeError, match="the function 'a' must be a function"):
        plot_functions({"a": 1.0}, ax=ax)
    with pytest.raises(TypeError, match="xlim must be a pair"):
        plot_functions([np.sin], xlim=3, ax=ax)


def _legend_outside_the_axes(ax):
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    return legend.y1 <= ax.get_window_extent().y0  # entirely below the plotting area


def test_one_sided_legend_stays_off_the_tangent_lines(ax):
    plot_one_sided(relu, 0.0, slopes=True, ax=ax)
    assert _legend_outside_the_axes(ax)
    assert ax.get_ylabel() == "relu(x)"


def test_plot_functions_can_put_its_legend_below_and_names_the_y_axis(ax):
    plot_functions([np.sin], legend="below", ylabel="sin x", ax=ax)
    assert _legend_outside_the_axes(ax)
    assert ax.get_ylabel() == "sin x"
    with pytest.raises(ValueError, match="legend must be"):
        plot_functions([np.sin], legend="top", ax=ax)


def test_unit_circle_areas_are_nested_and_named(ax):
    from matplotlib.patches import Polygon, Wedge

    t = 0.9
    plot_unit_circle_areas(t, ax=ax)
    polys = [p for p in ax.patches if isinstance(p, Polygon)]
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    assert len(polys) == 2
    assert len(wedges) == 1
    corners = sorted(tuple(np.round(p.get_xy()[:3].max(axis=0), 9)) for p in polys)
    assert corners == [(1.0, round(math.sin(t), 9)), (1.0, round(math.tan(t), 9))]
    assert wedges[0].theta2 == pytest.approx(math.degrees(t))  # the angle, from radians
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert any(f"{math.sin(t) / 2:.3f}" in lab for lab in labels)
    assert any(f"{t / 2:.3f}" in lab for lab in labels)
    assert any(f"{math.tan(t) / 2:.3f}" in lab for lab in labels)


@pytest.mark.parametrize("angle", [0.0, -0.3, math.pi / 2, 2.0])
def test_unit_circle_areas_need_an_angle_inside_the_quarter_turn(ax, angle):
    with pytest.raises(ValueError, match="radians"):
        plot_unit_circle_areas(angle, ax=ax)
