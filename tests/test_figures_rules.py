"""calcml.figures.rules: the product rule drawn as areas."""

import pytest

from calcml.figures.rules import plot_product_rule


def test_product_rule_picture_has_the_four_areas():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        assert plot_product_rule(3.0, 2.0, 0.6, 0.4, ax=ax) is ax
        areas = sorted(p.get_width() * p.get_height() for p in ax.patches)
        assert areas == pytest.approx(sorted([6.0, 2.0 * 0.6, 3.0 * 0.4, 0.6 * 0.4]))
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == ["u·v = 6", "v·Δu = 1.2", "u·Δv = 1.2", "Δu·Δv = 0.24"]
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((3.0, 2.0, 0.0, 0.4), ValueError),
        ((3.0, -2.0, 0.6, 0.4), ValueError),
        ((3.0, 2.0, "0.6", 0.4), TypeError),
        ((3.0, 2.0, float("inf"), 0.4), ValueError),
    ],
)
def test_product_rule_picture_rejects_bad_sides(args, error):
    with pytest.raises(error, match="must be"):
        plot_product_rule(*args)
