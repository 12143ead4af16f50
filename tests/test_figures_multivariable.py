"""calcml.figures.multivariable: the 3-D surface, the grid pushed through a map, and the
Lagrange tangency picture (lesson 07)."""

import numpy as np
import pytest

from calcml.figures.multivariable import plot_lagrange, plot_mapped_grid, plot_surface


@pytest.fixture
def plt():
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def polar(r, theta):
    return r * np.cos(theta), r * np.sin(theta)


def test_surface_draws_on_a_3d_axes_and_marks_the_point(plt):
    ax = plt.figure().add_subplot(projection="3d")
    assert plot_surface(lambda x, y: x ** 2 + y ** 2, (-1, 1), (-1, 1), point=(0, 0), ax=ax) is ax
    assert ax.get_zlabel() == "f(x, y)"
    assert len(ax.collections) >= 2  # the surface and the floor contours (and the dot)
    lo, hi = ax.get_zlim()
    assert lo < 0
    assert hi == pytest.approx(2.0)


def test_surface_accepts_a_point_function_and_makes_its_axes(plt):
    ax = plot_surface(lambda p: p[0] * p[1], (-1, 1), (-2, 2), contours=False)
    assert ax.name == "3d"


def test_surface_rejects_a_flat_axes(plt):
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match="3-D"):
        plot_surface(lambda x, y: x + y, (0, 1), (0, 1), ax=ax)


def test_mapped_grid_lines_are_the_images(plt):
    _, ax = plt.subplots()
    assert plot_mapped_grid(polar, (0.5, 2), (0, np.pi), num_lines=4, square=(1, 1, 0.1),
                            ax=ax) is ax
    blue = [line for line in ax.lines if line.get_color() == "tab:blue"]
    assert len(blue) == 4
    assert len(ax.lines) == 8
    # a line r = const maps onto a circle of that radius
    for line in blue:
        r = np.hypot(line.get_xdata(), line.get_ydata())
        assert np.ptp(r) < 1e-12
    # the filled image of the square has area ≈ |det J| · side² = r · 0.01
    (patch,) = ax.patches
    u, v = patch.get_xy().T
    area = 0.5 * abs(np.dot(u, np.roll(v, 1)) - np.dot(v, np.roll(u, 1)))
    assert area == pytest.approx(1.05 * 0.01, rel=0.02)  # r at the square's middle


def test_mapped_grid_bad_input(plt):
    with pytest.raises(ValueError, match="num_lines"):
        plot_mapped_grid(polar, (0, 1), (0, 1), num_lines=1)
    with pytest.raises(ValueError, match="side"):
        plot_mapped_grid(polar, (0, 1), (0, 1), square=(0, 0, -1))
    with pytest.raises(TypeError, match="F must"):
        plot_mapped_grid("polar", (0, 1), (0, 1))
    with pytest.raises(ValueError, match="xlim"):
        plot_mapped_grid(polar, (1, 0), (0, 1))


def test_lagrange_picture(plt):
    _, ax = plt.subplots()
    r = np.sqrt(0.5)
    out = plot_lagrange(lambda x, y: x + y, lambda x, y: x ** 2 + y ** 2 - 1, (-1.5, 1.5),
                        (-1.5, 1.5), point=(r, r), grad_f=lambda x, y: (1 + 0 * x, 1 + 0 * y),
                        grad_g=lambda x, y: (2 * x, 2 * y), ax=ax)
    assert out is ax
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names[0] == "constraint g = 0"
    assert names[1] == "level curve f = 1.41"
    assert "∇f at the optimum" in names
    assert "∇g at the optimum" in names
    # the two arrows are parallel (tangency)
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    directions = [np.subtract(a.xy, a.xyann) for a in arrows]
    (a, b) = directions
    assert abs(a[0] * b[1] - a[1] * b[0]) < 1e-12
    # the legend sits outside the axes, off the data
    assert ax.get_legend().get_bbox_to_anchor().x0 > ax.get_window_extent().x1 - 1


def test_lagrange_picture_needs_the_constraint_in_the_box(plt):
    with pytest.raises(ValueError, match="does not change sign"):
        plot_lagrange(lambda x, y: x + y, lambda x, y: x ** 2 + y ** 2 + 1, (-1, 1), (-1, 1),
                      point=(0, 0))
    with pytest.raises(ValueError, match="point"):
        plot_lagrange(lambda x, y: x + y, lambda x, y: x - y, (-1, 1), (-1, 1), point="here")
