"""calcml.figures.integrals: Riemann strips, the area function, error plots."""

import numpy as np
import pytest

from calcml.figures.integrals import plot_area_function, plot_riemann_sum, plot_rule_errors


@pytest.fixture
def ax():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.mark.parametrize(("rule", "first_height"), [("left", 0.0), ("right", 0.25),
                                                    ("midpoint", 0.0625)])
def test_riemann_strips_have_the_rule_heights_and_signed_colours(ax, rule, first_height):
    assert plot_riemann_sum(lambda t: t**2, 0.0, 2.0, 4, rule, ax=ax) is ax
    bars = ax.patches
    assert len(bars) == 4
    assert bars[0].get_height() == pytest.approx(first_height)
    assert sum(b.get_width() * b.get_height() for b in bars) == pytest.approx(
        float(ax.get_title().split(": ")[1]), abs=1e-6)


def test_negative_strips_are_red(ax):
    plot_riemann_sum(np.sin, 0.0, 2 * np.pi, 8, "midpoint", ax=ax)
    heights = np.array([b.get_height() for b in ax.patches])
    colours = [b.get_facecolor()[:3] for b in ax.patches]
    assert colours[0] != colours[-1]
    assert np.all(heights[:4] > 0)
    assert np.all(heights[4:] < 0)


def test_area_function_tangent_has_slope_f():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 1)
    try:
        _top, bottom = plot_area_function(np.cos, 0.0, 3.0, x0=1.0, axes=axes)
        area = bottom.get_lines()[0]
        assert np.interp(1.0, *area.get_data()) == pytest.approx(np.sin(1.0), abs=1e-5)
        tx, ty = bottom.get_lines()[1].get_data()
        assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(np.cos(1.0))
    finally:
        plt.close(fig)


def test_rule_errors_on_log_axes_with_guides(ax):
    ns = np.array([2, 4, 8, 16])
    plot_rule_errors(ns, {"trapezoid": 1.0 / ns**2}, guides={"trapezoid": 2}, ax=ax)
    assert ax.get_xscale() == "log"
    assert ax.get_yscale() == "log"
    assert len(ax.get_lines()) == 2


@pytest.mark.parametrize(("call", "error"), [
    (lambda ax: plot_riemann_sum("f", 0, 1, 4, ax=ax), TypeError),
    (lambda ax: plot_riemann_sum(np.sin, 1, 0, 4, ax=ax), ValueError),
    (lambda ax: plot_riemann_sum(np.sin, 0, 1, 0, ax=ax), ValueError),
    (lambda ax: plot_riemann_sum(np.sin, 0, 1, 4, "top", ax=ax), ValueError),
    (lambda ax: plot_area_function(np.sin, 0, 1, x0=2.0, axes=(ax, ax)), ValueError),
    (lambda ax: plot_rule_errors([1, 2], {"a": [1.0]}, ax=ax), ValueError),
])
def test_bad_input(ax, call, error):
    with pytest.raises(error):
        call(ax)
