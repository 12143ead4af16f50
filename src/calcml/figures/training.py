"""Figures of training (lessons 06 and 11): gradient norms through depth, training curves."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_gradient_norms", "plot_history"]


def plot_gradient_norms(norms, ax=None):
    """Plot ‖∂L/∂hₖ‖ against the layer k, one line per entry of ``norms`` (log scale).

    Parameters
    ----------
    norms : dict
        ``label -> array`` as from :func:`gradient_norms_through_depth`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for label, values in norms.items():
        ax.semilogy(np.arange(len(values)), values, marker="o", ms=3, label=label)
    ax.set_xlabel("layer k (0 = input)")
    ax.set_ylabel(r"$\|\partial L / \partial h_k\|$")
    ax.legend()
    ax.grid(True, which="major", alpha=0.3)
    return ax


def plot_history(history, axes=None):
    """Training curves: loss per epoch, and accuracy per epoch (train and test).

    Parameters
    ----------
    history : dict
        As returned by :func:`fit`.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    pair of matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    epochs = np.arange(1, len(history["loss"]) + 1)
    axes[0].plot(epochs, history["loss"], marker="o")
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("mean cross-entropy (training)")
    axes[1].plot(epochs, history["train_accuracy"], marker="o", label="train")
    if "test_accuracy" in history:
        axes[1].plot(epochs, history["test_accuracy"], marker="s", label="test")
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("accuracy")
    axes[1].legend()
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs
    return axes
