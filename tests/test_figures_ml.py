"""figures.ml.plot_image: a vector folded into an image, a symmetric colour scale for
gradients, and clear errors."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml.figures.ml import plot_image


def test_folds_a_vector_and_centres_a_gradient_on_zero():
    fig, ax = plt.subplots()
    values = np.linspace(-3, 1, 64)
    assert plot_image(values, shape=(8, 8), ax=ax, symmetric=True, title="t", label="slope") is ax
    image = ax.images[0]
    assert image.get_array().shape == (8, 8)
    assert image.get_clim() == (-3.0, 3.0)
    assert ax.get_title() == "t"
    assert len(fig.axes) == 2
    plt.close(fig)


def test_plain_image_uses_the_data_range():
    fig, ax = plt.subplots()
    plot_image(np.arange(6.0).reshape(2, 3), ax=ax, colorbar=False)
    assert ax.images[0].get_clim() == (0.0, 5.0)
    assert len(fig.axes) == 1
    plt.close(fig)


@pytest.mark.parametrize(("values", "shape", "match"), [
    (np.ones(10), (8, 8), "cannot fill"),
    (np.ones(10), None, "2-D"),
    (np.array([[1.0, np.nan]]), None, "NaN"),
])
def test_bad_values(values, shape, match):
    with pytest.raises(ValueError, match=match):
        plot_image(values, shape=shape)
