"""Figures of lesson 11 (``notebooks/11-calculus-in-ml``): images of inputs and of
gradients with respect to inputs (saliency maps)."""

from __future__ import annotations

import numpy as np

from calcml.figures._common import _axes

__all__ = ["plot_image"]


def plot_image(values, *, shape=None, ax=None, symmetric: bool = False, cmap=None,
               colorbar: bool = True, title: str | None = None, label: str | None = None):
    """Draw a vector or matrix as an image, e.g. an 8×8 digit or its saliency map.

    Parameters
    ----------
    values : array_like
        The pixel values: a 2-D array, or a 1-D one with ``shape`` (e.g. ``(8, 8)``).
    shape : (int, int), optional
        How to fold a 1-D ``values``.
    symmetric : bool
        Centre the colour scale on 0 (a diverging map, red positive, blue negative), as
        suits a gradient; otherwise a grey scale from the smallest to the largest value.
    cmap : str, optional
        A Matplotlib colour map in place of the default.
    colorbar : bool
        Draw a colour bar beside the image, labelled ``label``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    arr = np.asarray(values, dtype=float)
    if shape is not None:
        if arr.size != int(np.prod(shape)):
            raise ValueError(f"values has {arr.size} entries, which cannot fill a {shape} image")
        arr = arr.reshape(shape)
    if arr.ndim != 2:
        raise ValueError(f"values must be 2-D, or 1-D with a shape, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("values holds NaN or infinity")
    ax = _axes(ax)
    if symmetric:
        top = float(np.abs(arr).max()) or 1.0
        image = ax.imshow(arr, cmap=cmap or "RdBu_r", vmin=-top, vmax=top)
    else:
        image = ax.imshow(arr, cmap=cmap or "gray_r")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        if label is not None:
            bar.set_label(label)
    return ax
