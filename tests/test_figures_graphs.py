"""calcml.figures.graphs: the arrows of a graph carry what comes back along them."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Tensor
from calcml.figures.graphs import draw_graph


def _graph():
    x = Tensor(2.0, requires_grad=True, name="x")
    y = Tensor(3.0, requires_grad=True, name="y")
    product, sine = x * y, ad.sin(x)
    return x, y, product, sine, ad.retain_grads(product + sine)


def test_edge_labels_are_written_on_their_arrows():
    x, _, product, sine, f = _graph()
    f.backward()
    fig, ax = plt.subplots()
    draw_graph(f, ax=ax, edge_labels=[(x, product, "← 3"), (x, sine, "← -0.416")])
    texts = {t.get_text(): t.get_position() for t in ax.texts}
    assert "← 3" in texts
    assert "← -0.416" in texts
    # the sum of what comes back along the two arrows is x's gradient
    assert np.isclose(float(product.grad) * 3.0 + float(sine.grad) * np.cos(2.0), float(x.grad))
    plt.close(fig)


def test_an_edge_label_off_the_graph_is_refused():
    x, y, _, _, f = _graph()
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="no arrow from 'y' to 'x'"):
        draw_graph(f, ax=ax, edge_labels=[(y, x, "?")])
    plt.close(fig)
