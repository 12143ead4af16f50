"""calcml.figures.curvature: level sets with the Hessian's eigen-directions (lesson 08)."""

import numpy as np
import pytest

from calcml.figures.curvature import plot_eigen_directions


@pytest.fixture
def plt():
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_arrows_point_along_the_eigenvectors(plt):
    H = np.array([[3.0, 1.0], [1.0, 3.0]])  # eigenvalues 2 (along (1, -1)) and 4 (along (1, 1))
    _, ax = plt.subplots()
    out = plot_eigen_directions(lambda p: 0.5 * np.einsum("i...,ij,j...->...", p, H, p), H,
                                (0, 0), (-1, 1), (-1, 1), ax=ax)
    assert out is ax
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == ["eigenvector 1: λ = 2", "eigenvector 2: λ = 4"]
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 4
    d = np.array([np.subtract(a.xy, a.xyann) for a in arrows])
    assert abs(d[0] @ np.array([1, 1])) < 1e-12  # first: along (1, -1)
    assert abs(d[2] @ np.array([1, -1])) < 1e-12  # second: along (1, 1)
    assert np.linalg.norm(d[2]) > np.linalg.norm(d[0])  # more curved, longer arrow


def test_hessian_may_be_a_function_and_a_saddle_works(plt):
    ax = plot_eigen_directions(lambda x, y: x ** 2 - y ** 2, lambda p: np.diag([2.0, -2.0]),
                               (0, 0), (-1, 1), (-1, 1))
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == ["eigenvector 1: λ = -2", "eigenvector 2: λ = 2"]


@pytest.mark.parametrize(
    ("hessian", "point", "error", "match"),
    [
        (np.eye(3), (0, 0), ValueError, "2 × 2"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), (0, 0), ValueError, "symmetric"),
        ("H", (0, 0), TypeError, "numbers"),
        (np.eye(2), (0, np.nan), ValueError, "finite"),
        (np.eye(2), "origin", ValueError, "point"),
    ],
)
def test_bad_input(plt, hessian, point, error, match):
    with pytest.raises(error, match=match):
        plot_eigen_directions(lambda x, y: x * y, hessian, point, (-1, 1), (-1, 1))
