"""A small multilayer perceptron trained with the course's reverse-mode engine.

Lesson 06 (``notebooks/06-chain-rule``) ends by training one on the digits data set;
``benchmarks/bench_autodiff.py`` times it against hand-written NumPy and PyTorch.

Notation: ``X`` inputs of shape (n, d), ``y`` integer labels, ``lr`` the learning rate,
``num_epochs`` passes over the data, ``batch_size`` rows per gradient step.
"""

from __future__ import annotations

import contextlib
import itertools

import numpy as np

from calcml.autodiff.tensor import Tensor, _whole_numbers, cross_entropy, linear, no_grad

__all__ = ["MLP", "accuracy", "fit", "gradient_norms_through_depth", "init_params",
           "sgd_step", "train_step"]


def init_params(sizes, rng):
    """Weights and biases of a fully connected network, as NumPy arrays.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first: ``(64, 128, 10)``.
    rng : numpy.random.Generator
        The source of randomness, e.g. ``np.random.default_rng(0)``.

    Returns
    -------
    list of ndarray
        ``[W1, b1, W2, b2, ...]`` with Wₖ ~ N(0, 1/fan_in) (keeps the variance of each layer's
        output near that of its input) and bₖ = 0.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive widths, got {sizes}")
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        params.append(rng.normal(0.0, 1.0 / np.sqrt(fan_in), size=(fan_in, fan_out)))
        params.append(np.zeros(fan_out))
    return params


class MLP:
    """x ↦ linear → activation → … → linear: a multilayer perceptron that outputs logits.

    Parameters
    ----------
    params : list of ndarray
        ``[W1, b1, W2, b2, ...]`` as from :func:`init_params` (copied into Tensors).
    activation : {"tanh", "relu", "sigmoid", "softplus"}
        Applied after every layer but the last.
    """

    def __init__(self, params, activation="tanh"):
        if activation not in {"tanh", "relu", "sigmoid", "softplus"}:
            raise ValueError(f"activation must be tanh, relu, sigmoid or softplus, "
                             f"got {activation!r}")
        if len(params) < 2 or len(params) % 2:
            raise ValueError(f"params must be [W1, b1, W2, b2, ...], got {len(params)} arrays")
        self.activation = activation
        self._previous_graph = None  # see train_step
        self.params = [Tensor(p, requires_grad=True, name=f"{'Wb'[i % 2]}{i // 2 + 1}")
                       for i, p in enumerate(params)]

    def __call__(self, X):
        h = X
        last = len(self.params) - 2
        for i in range(0, len(self.params), 2):
            h = linear(h, self.params[i], self.params[i + 1])
            if i < last:
                h = h._elementwise(self.activation)
        return h


def sgd_step(params, lr):
    """One step of gradient descent, θ ← θ − lr·∂L/∂θ, then forget the gradients.

    Forgetting (``zero_grad``) matters: ``backward`` adds to ``.grad``, so without it the
    next step would use the sum of all gradients so far.
    """
    for p in params:
        if p.grad is not None:
            p.data -= lr * p.grad
        p.grad = None


def train_step(model, X, y, lr):
    """Forward, backward and update on one batch; returns the batch's loss before the step.

    The previous step's graph is let go only after this step's forward pass: its arrays
    are then freed below the new ones and reused by the next step, where freeing them all
    at the end of a step lets glibc hand the top of the heap back to the OS, and the next
    step fault every page in again (at batch 512, hundreds of page faults per step).
    """
    loss = cross_entropy(model(X), y)
    model._previous_graph = loss  # replaces (frees) the previous step's graph
    loss.backward()
    sgd_step(model.params, lr)
    return float(loss.data)


def _check_labels(y, n, num_classes, name):
    """``y`` as integer class labels of shape (n,) in 0..num_classes−1, or a clear error
    naming the argument (labels of shape (n, 1) would broadcast into an n×n comparison)."""
    y = _whole_numbers(y, name) if isinstance(y, Tensor) else np.asarray(y)
    if y.ndim == 1 and len(y) != n:
        raise ValueError(f"{name.replace('y', 'X')} has {n} rows but {name} has {len(y)} "
                         "labels")
    if y.shape != (n,):
        hint = "; flatten it with .ravel()" if y.size == n and n else ""
        raise ValueError(f"{name} must have shape ({n},), one label per row, got shape "
                         f"{y.shape}{hint}")
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class labels, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= num_classes):
        bad = y[(y < 0) | (y >= num_classes)]
        raise ValueError(f"{name} must lie in 0..{num_classes - 1} for the model's "
                         f"{num_classes} classes, got {bad[:5].tolist()}")
    return y


def _num_classes(model):
    return int(model.params[-1].shape[-1]) if getattr(model, "params", None) else None


def accuracy(model, X, y):
    """Fraction of rows of ``X`` whose largest logit is at the true label ``y``.

    ``y`` must be integer labels of shape (n,), one per row of ``X``, in 0..C−1 for a
    model with C outputs (a ValueError or TypeError otherwise).
    """
    with no_grad():
        logits = model(X).data
    if logits.ndim != 2:
        raise ValueError(f"accuracy needs logits of shape (n, C) from the model, got shape "
                         f"{logits.shape}")
    n, num_classes = logits.shape
    if n == 0:
        raise ValueError("accuracy of no rows is undefined: X has 0 rows")
    y = _check_labels(y, n, num_classes, "y")
    return float(np.mean(np.argmax(logits, axis=1) == y))


def _blas_threads(limit):
    """A context limiting NumPy's BLAS threads (threadpoolctl ships with scikit-learn)."""
    if limit is None:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover — a NumPy without scikit-learn around
        return contextlib.nullcontext()
    return threadpool_limits(limits=int(limit), user_api="blas")


def fit(model, X, y, *, lr, batch_size, num_epochs, rng, X_test=None, y_test=None,
        blas_threads=1):
    """Train ``model`` by minibatch SGD on the cross-entropy loss.

    Parameters
    ----------
    model : MLP
    X, y : ndarray
        Training inputs (n, d) and integer labels (n,).
    lr : float
        Learning rate (> 0).
    batch_size : int
        Rows per step; each epoch visits the rows in a fresh random order.
    num_epochs : int
    rng : numpy.random.Generator, int or None
        Shuffles the rows; an int seeds ``np.random.default_rng(rng)`` (repeatable), None
        draws a fresh seed.
    X_test, y_test : ndarray, optional
        Held-out data to report accuracy on after each epoch.
    blas_threads : int or None
        Threads NumPy's BLAS may use while training (None: leave the setting alone). The
        products of a small network are too small to share between threads: one thread
        avoids the hand-over cost, which is ruinous on a busy machine.

    Returns
    -------
    dict
        ``"loss"``: mean training loss per epoch; ``"train_accuracy"``; and
        ``"test_accuracy"`` when test data is given.
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise TypeError(f"lr must be a number, got {type(lr).__name__} {lr!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr}")
    if rng is None or isinstance(rng, (int, np.integer)):
        rng = np.random.default_rng(rng)
    elif not hasattr(rng, "permutation"):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(0)), an "
                        f"int seed or None, got {type(rng).__name__}")
    if int(batch_size) < 1 or int(num_epochs) < 1:
        raise ValueError(f"batch_size and num_epochs must be at least 1, got {batch_size} "
                         f"and {num_epochs}")
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n, d) with at least one row, got shape {X.shape}")
    num_classes = _num_classes(model)
    y = _check_labels(y, len(X), num_classes, "y") if num_classes else np.asarray(y)
    if (X_test is None) != (y_test is None):
        given, missing = ("X_test", "y_test") if y_test is None else ("y_test", "X_test")
        raise ValueError(f"{given} was given without {missing}: pass both to report test "
                         "accuracy, or neither")
    if X_test is not None:
        X_test = np.asarray(X_test, dtype=float)
        if X_test.ndim != 2 or len(X_test) == 0:
            raise ValueError(f"X_test must have shape (n, d) with at least one row, got "
                             f"shape {X_test.shape}")
        y_test = (_check_labels(y_test, len(X_test), num_classes, "y_test") if num_classes
                  else np.asarray(y_test))
    history = {"loss": [], "train_accuracy": []}
    if X_test is not None:
        history["test_accuracy"] = []
    with _blas_threads(blas_threads):
        for _ in range(int(num_epochs)):
            order = rng.permutation(len(X))
            losses, sizes = [], []
            for start in range(0, len(X), int(batch_size)):
                rows = order[start:start + int(batch_size)]
                losses.append(train_step(model, X[rows], y[rows], lr))
                sizes.append(len(rows))
            history["loss"].append(float(np.average(losses, weights=sizes)))
            history["train_accuracy"].append(accuracy(model, X, y))
            if X_test is not None:
                history["test_accuracy"].append(accuracy(model, X_test, y_test))
    return history


def gradient_norms_through_depth(activation, *, depth, width, weight_scale, rng, batch_size=16):
    """How the size of the gradient changes from the last layer back to the first.

    Builds h₀ → h₁ → … → h_depth with hₖ₊₁ = act(hₖ Wₖ), Wₖ ~ N(0, weight_scale²/width),
    a loss L = Σ r ⊙ h_depth with random r, runs one backward pass and reads the gradient
    kept on every layer. By the chain rule ∂L/∂hₖ is a product of depth − k local
    Jacobians, so it shrinks or grows geometrically when their typical size is not 1.

    Parameters
    ----------
    activation : {"tanh", "relu", "sigmoid", "softplus"}
    depth, width : int
        Number of layers and units per layer.
    weight_scale : float
        Standard deviation of the weights times √width (√2 suits relu, 1 suits tanh).
    rng : numpy.random.Generator
    batch_size : int
        Rows of the random input h₀.

    Returns
    -------
    ndarray, shape (depth + 1,)
        ‖∂L/∂hₖ‖ (Frobenius norm) for k = 0, …, depth.
    """
    if activation not in {"tanh", "relu", "sigmoid", "softplus"}:
        raise ValueError(f"activation must be tanh, relu, sigmoid or softplus, got {activation!r}")
    h = Tensor(rng.normal(size=(batch_size, width)), requires_grad=True)
    layers = [h]
    for _ in range(int(depth)):
        W = rng.normal(0.0, weight_scale / np.sqrt(width), size=(width, width))
        h = (h @ W)._elementwise(activation)
        h.retain_grad()  # an intermediate node: its gradient is kept only when asked
        layers.append(h)
    (h * rng.normal(size=h.shape)).sum().backward()
    return np.array([np.linalg.norm(layer.grad) for layer in layers])
