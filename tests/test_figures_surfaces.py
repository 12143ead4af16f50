"""calcml.figures.surfaces: the slice and its tangent are where and what they promise (the
tangent's slope is the partial derivative), on 2-D and 3-D axes and in an interactive
figure; bad input is named."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml.figures.surfaces import plot_slice, plot_surface_slice, slice_of


def f(x, y):
    return x**2 * y + np.sin(x * y)


def f_x(x, y):
    return 2 * x * y + y * np.cos(x * y)


def f_y(x, y):
    return x**2 + x * np.cos(x * y)


@pytest.fixture
def fig():
    fig = plt.figure()
    yield fig
    plt.close(fig)


def test_slice_of_holds_the_right_variable():
    t = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(slice_of(f, hold="y", at=2.0)(t), f(t, 2.0))
    np.testing.assert_allclose(slice_of(f, hold="x", at=2.0)(t), f(2.0, t))
    np.testing.assert_allclose(slice_of(lambda p: p[0] - 3 * p[1], hold="x", at=1.0)(t), 1 - 3 * t)
    # a function that only takes numbers is called point by point
    np.testing.assert_allclose(slice_of(lambda x, y: float(x * y), hold="y", at=2.0)(t), 2 * t)


@pytest.mark.parametrize(("hold", "partial"), [("y", f_x), ("x", f_y)])
def test_tangent_slope_is_the_partial_derivative(fig, hold, partial):
    ax = fig.add_subplot()
    at, point = 0.7, -0.4
    assert plot_slice(f, (-2, 2), hold=hold, at=at, point=point, names=("w", "b"), ax=ax) is ax
    _curve, tangent, dot = ax.lines[:3]
    (t0, t1), (z0, z1) = tangent.get_data()
    exact = partial(point, at) if hold == "y" else partial(at, point)
    assert (z1 - z0) / (t1 - t0) == pytest.approx(exact, rel=1e-7)
    value = f(point, at) if hold == "y" else f(at, point)
    assert dot.get_ydata()[0] == pytest.approx(value)
    free, held = ("w", "b") if hold == "y" else ("b", "w")
    assert ax.get_xlabel() == free
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == f"slice: {held} = 0.7 held fixed"
    assert labels[1].startswith(f"tangent, slope ∂f/∂{free} = ")


def test_given_slope_is_drawn(fig):
    ax = fig.add_subplot()
    plot_slice(f, (-2, 2), at=1.0, point=0.5, slope=3.0, fname="L", ax=ax)
    (t0, t1), (z0, z1) = ax.lines[1].get_data()
    assert (z1 - z0) / (t1 - t0) == pytest.approx(3.0)
    assert ax.get_legend().get_texts()[1].get_text() == "tangent, slope ∂L/∂x = 3"
    assert ax.get_ylabel() == "L(x, 1)"


def test_surface_slice_lies_on_the_surface_in_its_plane(fig):
    ax = fig.add_subplot(projection="3d")
    assert plot_surface_slice(f, (-2, 2), (-1, 1), hold="y", at=0.5, point=1.0, ax=ax) is ax
    curve, tangent = ax.lines[:2]
    xs, ys, zs = curve.get_data_3d()
    np.testing.assert_allclose(ys, 0.5)
    np.testing.assert_allclose(zs, f(xs, 0.5))
    assert ax.get_legend().get_texts()[1].get_text().startswith("tangent: slope ∂f/∂x = ")
    tx, ty, tz = tangent.get_data_3d()
    np.testing.assert_allclose(ty, 0.5)
    assert (tz[1] - tz[0]) / (tx[1] - tx[0]) == pytest.approx(f_x(1.0, 0.5), rel=1e-7)


def test_a_2d_axes_is_replaced_in_place_and_reused(fig):
    ax = fig.add_subplot()
    first = plot_surface_slice(f, (-2, 2), (-1, 1), hold="x", at=0.5, point=0.2, num=10, ax=ax)
    assert first.name == "3d"
    assert not ax.axison
    second = plot_surface_slice(f, (-2, 2), (-1, 1), hold="x", at=-0.5, point=0.2, num=10, ax=ax)
    assert second is first
    assert len(fig.axes) == 2  # the hidden 2-D axes and one 3-D axes, not one per redraw
    xs, _, _ = second.lines[0].get_data_3d()
    np.testing.assert_allclose(xs, -0.5)


def test_interactive_figure_redraws_in_3d():
    from calcml.widgets import interactive_figure

    def draw(ax, b=0.5):
        plot_surface_slice(f, (-2, 2), (-1, 1), hold="y", at=b, point=0.0, num=8, ax=ax)

    widget = interactive_figure(draw, b=(-1.0, 1.0))
    before = widget.image.value
    widget.sliders["b"].value = -0.8
    assert widget.image.value != before
    assert len(widget.figure.axes) == 2
    assert widget.static_png().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot_slice(f, (-1, 1), hold="z", at=0, point=0), ValueError, "hold"),
        (lambda: plot_slice(f, (1, -1), at=0, point=0), ValueError, "lim"),
        (lambda: plot_slice(f, (-1, 1), at="0", point=0), TypeError, "at must be a number"),
        (lambda: plot_slice("x*y", (-1, 1), at=0, point=0), TypeError, "must be a function"),
        (lambda: plot_slice(f, (-1, 1), at=0, point=0, names="wb"), TypeError, "names"),
        (lambda: plot_surface_slice(f, (-1, 1), (-1, 1), at=3, point=0), ValueError,
         "outside the box"),
        (lambda: plot_surface_slice(f, (-1, 1), (-1, 1), at=0, point=5), ValueError,
         "outside the box"),
    ],
)
def test_bad_input_is_named(fig, call, error, match):
    with pytest.raises(error, match=match):
        call()
