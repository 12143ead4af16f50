"""Training with the engine: the digits MLP, the benchmark's trainers, the graph pictures."""

import importlib.util

import matplotlib.pyplot as plt
import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from calcml import autodiff as ad
from calcml.autodiff.nn import (
    MLP,
    accuracy,
    fit,
    gradient_norms_through_depth,
    init_params,
    sgd_step,
)
from calcml.datasets import digits_split as load_digits_split
from calcml.figures.graphs import draw_graph, draw_pipeline, graph_layout
from calcml.figures.training import plot_gradient_norms, plot_history
from conftest import ROOT


@pytest.fixture(scope="module")
def digits():
    return load_digits_split(np.random.default_rng(0), test_fraction=0.2)


def test_digits_mlp_reaches_95_percent_test_accuracy(digits):
    X_train, y_train, X_test, y_test = digits
    rng = np.random.default_rng(0)
    model = MLP(init_params((64, 128, 10), rng), activation="tanh")
    history = fit(model, X_train, y_train, lr=0.1, batch_size=64, num_epochs=20, rng=rng,
                  X_test=X_test, y_test=y_test)
    assert history["test_accuracy"][-1] >= 0.95
    assert history["loss"][-1] < 0.25 * history["loss"][0]
    assert len(history["loss"]) == len(history["train_accuracy"]) == 20
    assert accuracy(model, X_test, y_test) == history["test_accuracy"][-1]


def test_one_sgd_step_moves_against_the_gradient():
    rng = np.random.default_rng(1)
    model = MLP(init_params((3, 4, 2), rng), activation="relu")
    X, y = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
    before = [p.data.copy() for p in model.params]
    loss = ad.cross_entropy(model(X), y)
    loss.backward()
    grads = [p.grad.copy() for p in model.params]
    sgd_step(model.params, lr=0.5)
    for p, b, g in zip(model.params, before, grads, strict=True):
        np.testing.assert_allclose(p.data, b - 0.5 * g)
        assert p.grad is None  # zero_grad happened
    assert float(ad.cross_entropy(model(X), y).data) < float(loss.data)


def test_digits_split_is_the_data_set_of_scikit_learn():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X_train, y_train, X_test, y_test = load_digits_split(np.random.default_rng(3))
    assert (len(X_train), len(X_test)) == (1437, 360)
    assert X_train.min() == 0.0
    assert X_train.max() == 1.0
    # the same rows, shuffled: compare sorted (row, label) records
    ours = np.column_stack([np.vstack([X_train, X_test]) * 16, np.concatenate([y_train, y_test])])
    theirs = np.column_stack([X, y])
    np.testing.assert_array_equal(np.unique(ours, axis=0), np.unique(theirs, axis=0))
    with pytest.raises(ValueError, match="test_fraction must lie strictly between 0 and 1"):
        load_digits_split(np.random.default_rng(0), test_fraction=1.0)


def test_init_params_shapes_and_scale():
    params = init_params((64, 128, 10), np.random.default_rng(0))
    assert [p.shape for p in params] == [(64, 128), (128,), (128, 10), (10,)]
    assert np.std(params[0]) == pytest.approx(1 / 8, rel=0.05)  # N(0, 1/fan_in)
    assert not params[1].any()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lr": 0.0}, "lr must be positive, got 0.0"),
    ({"batch_size": 0}, "batch_size and num_epochs must be at least 1"),
])
def test_fit_rejects_bad_settings(kwargs, message):
    settings = {"lr": 0.1, "batch_size": 4, "num_epochs": 1, "rng": np.random.default_rng(0)}
    settings.update(kwargs)
    model = MLP(init_params((2, 2), np.random.default_rng(0)))
    with pytest.raises(ValueError, match=message):
        fit(model, np.zeros((4, 2)), np.zeros(4, dtype=int), **settings)


@pytest.mark.parametrize(("test_data", "message"), [
    ({"X_test": np.zeros((2, 3))}, "X_test was given without y_test"),
    ({"y_test": np.zeros(2, dtype=int)}, "y_test was given without X_test"),
    ({"X_test": np.zeros((2, 3)), "y_test": np.zeros(3, dtype=int)}, "X_test has 2 rows"),
])
def test_fit_needs_both_test_arrays(test_data, message):
    rng = np.random.default_rng(0)
    model = MLP(init_params((3, 2), rng))
    with pytest.raises(ValueError, match=message):
        fit(model, np.zeros((4, 3)), np.zeros(4, dtype=int), lr=0.1, batch_size=2,
            num_epochs=1, rng=rng, **test_data)


def test_mlp_rejects_bad_settings():
    with pytest.raises(ValueError, match="got 'gelu'"):
        MLP(init_params((2, 2), np.random.default_rng(0)), activation="gelu")
    with pytest.raises(ValueError, match="sizes must list"):
        init_params((5,), np.random.default_rng(0))


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_autodiff",
                                                  ROOT / "benchmarks" / "bench_autodiff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_trainers_reach_the_same_losses():
    bench = load_benchmark()
    X, y, _, _ = bench.load_data()
    params = init_params(bench.SIZES, np.random.default_rng(0))
    batches = bench.make_batches(X, y, 64, 2, np.random.default_rng(1))
    with threadpool_limits(limits=1, user_api="blas"):  # small products: one thread is faster
        _, floor = bench.train_numpy(params, batches)
        _, engine = bench.train_calcml(params, batches)
        _, plain = bench.train_plain(params, batches)
        _, bare = bench.train_bare(params, batches)
    assert len(floor) == len(batches) == 46
    np.testing.assert_allclose(engine, floor, rtol=0, atol=1e-12)
    np.testing.assert_allclose(plain, floor, rtol=0, atol=1e-12)
    np.testing.assert_allclose(bare, floor, rtol=0, atol=1e-12)
    assert floor[-1] < floor[0]


def test_benchmark_pytorch_trainer_reaches_the_same_losses():
    pytest.importorskip("torch", reason="PyTorch is optional: a benchmark tool only")
    bench = load_benchmark()
    X, y, _, _ = bench.load_data()
    params = init_params(bench.SIZES, np.random.default_rng(0))
    batches = bench.make_batches(X, y, 64, 1, np.random.default_rng(1))
    with threadpool_limits(limits=1, user_api="blas"):
        _, floor = bench.train_numpy(params, batches)
    _, torch_losses = bench.torch_trainer(1)(params, batches)
    np.testing.assert_allclose(torch_losses, floor, rtol=0, atol=1e-9)
    _, torch_plain = bench.torch_plain_trainer()(params, batches)
    np.testing.assert_allclose(torch_plain, floor, rtol=0, atol=1e-9)
    _, floor_torch_tanh = bench.torch_tanh_floor()(params, batches)
    np.testing.assert_allclose(floor_torch_tanh, floor, rtol=0, atol=1e-9)


def test_graph_layout_puts_each_node_right_of_its_inputs():
    x = ad.Tensor(2.0, requires_grad=True, name="x")
    y = ad.Tensor(3.0, requires_grad=True, name="y")
    f = x * y + ad.sin(x)
    nodes, positions, edges = graph_layout(f)
    assert len(nodes) == 5
    assert len(edges) == 5
    for parent, child in edges:
        assert positions[id(parent)][0] < positions[id(child)][0]
    assert positions[id(f)][0] == 2


def test_draw_graph_draws_every_node_and_edge():
    x = ad.Tensor(2.0, requires_grad=True, name="x")
    f = ad.retain_grads((x * x).tanh())
    f.backward()
    fig, ax = plt.subplots()
    assert draw_graph(f, ax=ax) is ax
    texts = [t.get_text() for t in ax.texts]
    assert "x" in texts
    assert "×" in texts
    assert "tanh" in texts
    assert sum(t.startswith("grad ") for t in texts) == 3
    assert sum(t.arrow_patch is not None for t in ax.texts if hasattr(t, "arrow_patch")) == 3
    plt.close(fig)
    with pytest.raises(TypeError, match="root must be a Tensor"):
        draw_graph(3.0)


def test_gradients_vanish_through_sigmoids_and_keep_their_size_with_scaled_relu():
    def ratio(activation, scale):
        norms = gradient_norms_through_depth(activation, depth=20, width=32, weight_scale=scale,
                                             rng=np.random.default_rng(0))
        assert norms.shape == (21,)
        return norms[0] / norms[-1]

    assert ratio("sigmoid", 1.0) < 1e-9  # each layer multiplies by at most σ'·‖W‖ ≈ 1/4
    assert 0.1 < ratio("relu", np.sqrt(2)) < 10  # He scale: the factors average to about 1
    assert ratio("relu", 2.0) > 1e2  # too large a scale: exploding
    with pytest.raises(ValueError, match="got 'gelu'"):
        gradient_norms_through_depth("gelu", depth=2, width=2, weight_scale=1.0,
                                     rng=np.random.default_rng(0))


def test_plots_return_their_axes():
    fig, axes = plt.subplots(1, 2)
    history = {"loss": [1.0, 0.5], "train_accuracy": [0.5, 0.8], "test_accuracy": [0.4, 0.7]}
    assert list(plot_history(history, axes=axes)) == list(axes)
    assert len(axes[1].lines) == 2
    fig2, ax = plt.subplots()
    assert plot_gradient_norms({"a": np.array([1.0, 0.1]), "b": np.ones(2)}, ax=ax) is ax
    assert ax.get_yscale() == "log"
    assert len(ax.lines) == 2
    plt.close(fig)
    plt.close(fig2)


def test_draw_pipeline_titles_each_stage_with_its_rate():
    stages = [("u = 2x", lambda t: 2 * t, lambda t: 2.0 + 0 * t), ("y = u²", np.square, lambda t: 2 * t)]
    axes = draw_pipeline(stages, 1.5)
    assert "rate 2" in axes[0].get_title()
    assert "in 3 → out 9, rate 6" in axes[1].get_title()  # the rate is taken at u = 3
    plt.close(axes[0].figure)
    with pytest.raises(ValueError, match="stages is empty"):
        draw_pipeline([], 0.0)
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="got 1 axes for 2 stages"):
        draw_pipeline(stages, 0.0, axes=[ax])
    plt.close(fig)
