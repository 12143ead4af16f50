"""Interactive figures: sliders that redraw a Matplotlib figure, with a static fallback.

``interactive_figure(draw, eps=(0.01, 0.5), delta=(0.01, 1.0))`` returns a widget: in
JupyterLab, moving a slider calls ``draw(ax, eps=..., delta=...)`` on a fresh axes
and shows the new picture. The course book is static HTML and cannot run a kernel, so
the same output also carries a PNG of the figure at the sliders' starting values (or
a row of chosen snapshots). The output's MIME bundle holds both:

* ``application/vnd.jupyter.widget-view+json`` — the live widget, which JupyterLab
  prefers;
* ``image/png`` — the static picture, which the book shows (its Sphinx configuration
  drops the widget view; see ``book/conf.py``).

How it redraws: the figure is a ``matplotlib.figure.Figure`` created without pyplot,
rendered to PNG bytes by Matplotlib's Agg canvas and shown in an ``ipywidgets.Image``.
No Matplotlib backend and no output capture are involved, so the redraw works the
same in JupyterLab, in VS Code and under ``nbclient``, and never leaves a stray copy
of the figure in the cell output.

Lesson 01 (``notebooks/01-functions-and-limits``) uses it for the ε–δ picture.
"""

from __future__ import annotations

import base64
import inspect
import io
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets

__all__ = ["InteractiveFigure", "interactive_figure"]

def _slider(name: str, spec: Any, default: Any, label: str,
            continuous_update: bool) -> widgets.ValueWidget:
    """A slider from ``(min, max)`` or ``(min, max, step)``, or a given widget as is."""
    if isinstance(spec, widgets.ValueWidget):
        return spec
    if not isinstance(spec, tuple) or len(spec) not in (2, 3) or not all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec):
        raise TypeError(f"slider {name!r} must be (min, max), (min, max, step) or an "
                        f"ipywidgets slider, got {spec!r}")
    lo, hi = spec[0], spec[1]
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"slider {name!r} needs finite min < max, got {spec!r}")
    integer = all(isinstance(v, numbers.Integral) for v in spec)
    step = spec[2] if len(spec) == 3 else (1 if integer else (hi - lo) / 100)
    if not step > 0:
        raise ValueError(f"slider {name!r} needs a positive step, got {step!r}")
    if default is inspect.Parameter.empty:
        default = lo + round((hi - lo) / 2 / step) * step  # the middle, on the step grid
    elif not (isinstance(default, numbers.Real) and lo <= default <= hi):
        raise ValueError(f"the default of {name!r} in draw ({default!r}) is outside "
                         f"the slider's range [{lo}, {hi}]")
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    options = {} if integer else {"readout_format": ".3g"}
    return cls(value=default, min=lo, max=hi, step=step, description=label,
               continuous_update=continuous_update, **options)


class InteractiveFigure(widgets.VBox):
    """Sliders above a figure that ``draw(ax, **values)`` redraws; see :func:`interactive_figure`.

    Attributes
    ----------
    sliders : dict of str to ipywidgets.ValueWidget
        The controls, by the name of the ``draw`` argument they set.
    image : ipywidgets.Image
        The live picture (PNG bytes in ``image.value``).
    figure : matplotlib.figure.Figure
        The figure redrawn on every change.
    """

    def __init__(self, draw: Callable, sliders: Mapping[str, widgets.ValueWidget], *,
                 figsize: tuple[float, float], dpi: int,
                 snapshots: Sequence[Mapping[str, Any]]) -> None:
        from matplotlib.figure import Figure

        self._draw = draw
        self.sliders = dict(sliders)
        self._figsize, self._dpi = figsize, dpi
        self._snapshots = [dict(s) for s in snapshots]
        self._static: bytes | None = None
        self._start = self.values  # the starting values, which snapshots override
        self.figure = Figure(figsize=figsize, dpi=dpi)  # fixed margins: redraws stay cheap
        self.figure.subplots_adjust(left=0.13, right=0.97, bottom=0.13, top=0.9)
        self._ax = self.figure.add_subplot()
        self.image = widgets.Image(value=self._render(self.values), format="png")
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        super().__init__(children=[*self.sliders.values(), self.image])

    @property
    def values(self) -> dict[str, Any]:
        """The sliders' current values, by name."""
        return {name: s.value for name, s in self.sliders.items()}

    def _render(self, values: Mapping[str, Any]) -> bytes:
        self._ax.clear()
        self._draw(self._ax, **values)
        return _png(self.figure)

    def _on_change(self, _change=None) -> None:
        try:
            self.image.value = self._render(self.values)
        except Exception as exc:  # noqa: BLE001 — any error in draw is shown in the figure
            self._ax.clear()
            self._ax.text(0.5, 0.5, f"draw raised {type(exc).__name__}:\n{exc}",
                          ha="center", va="center", wrap=True, color="tab:red",
                          transform=self._ax.transAxes)
            self._ax.set_axis_off()
            self.image.value = _png(self.figure)

    def static_png(self) -> bytes:
        """The fallback picture: the figure at the starting values, or one panel per
        snapshot (each snapshot overrides some starting values), side by side."""
        if self._static is None:
            from matplotlib.figure import Figure

            panels = self._snapshots or [{}]
            width, height = self._figsize
            fig = Figure(figsize=(width * len(panels), height), dpi=self._dpi)
            for ax, snapshot in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels,
                                    strict=True):
                self._draw(ax, **{**self._start, **snapshot})
            self._static = _png(fig, bbox_inches="tight")  # drawn once: trim the margins
        return self._static

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        names = ", ".join(self.sliders)
        bundle["text/plain"] = (f"Interactive figure with sliders {names} "
                                "(run the notebook in JupyterLab to move them)")
        bundle["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        return bundle


def _png(fig, **kwargs) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", **kwargs)
    return buffer.getvalue()


def interactive_figure(draw: Callable, *, figsize: tuple[float, float] = (6.0, 4.0),
                       dpi: int = 100, snapshots: Sequence[Mapping[str, Any]] = (),
                       labels: Mapping[str, str] | None = None,
                       continuous_update: bool = True,
                       **sliders) -> InteractiveFigure:
    """A figure that ``draw(ax, **values)`` redraws whenever a slider moves.

    Parameters
    ----------
    draw : callable
        ``draw(ax, name=value, ...)`` draws on the Matplotlib axes ``ax`` (which is
        cleared before each call). Its keyword defaults, if any, are the sliders'
        starting values.
    figsize, dpi
        Size of the figure (and of each snapshot panel).
    snapshots : sequence of dict
        Slider settings to show side by side in the static fallback, e.g.
        ``[{"delta": 0.2}, {"delta": 0.8}]``; default: the starting values only.
    labels : dict of str to str, optional
        Slider captions, e.g. ``{"eps": "ε"}``; default: the argument names.
    continuous_update : bool
        Redraw while a slider is dragged (True) or only when it is released.
    **sliders
        One per ``draw`` argument: ``(min, max)`` or ``(min, max, step)`` — an
        integer slider if all are integers — or a ready ipywidgets slider. The names
        ``figsize``, ``dpi``, ``snapshots``, ``labels`` and ``continuous_update`` are
        taken by the options above.

    Returns
    -------
    InteractiveFigure
        An ipywidgets ``VBox`` (sliders above the picture) whose display also carries
        a PNG of the static picture; see the module docstring.

    Raises
    ------
    TypeError
        ``draw`` is not callable, has no argument for a slider, a slider is neither a
        range nor a widget, or a snapshot names an unknown slider.
    ValueError
        An empty range, a non-positive step, or a default outside its slider's range.

    Examples
    --------
    >>> def draw(ax, w=1.0):
    ...     ax.plot([0, 1], [0, w])
    >>> fig = interactive_figure(draw, w=(0.0, 2.0))
    >>> sorted(fig._repr_mimebundle_())
    ['application/vnd.jupyter.widget-view+json', 'image/png', 'text/plain']
    """
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, **values), got {draw!r}")
    if not sliders:
        raise TypeError("interactive_figure needs at least one slider, e.g. eps=(0.01, 1.0)")
    params = inspect.signature(draw).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    labels = dict(labels or {})
    built = {}
    for name, spec in sliders.items():
        if name not in params and not takes_any:
            raise TypeError(f"draw has no argument {name!r} for the slider {name!r}; "
                            f"its arguments are {list(params)}")
        default = params[name].default if name in params else inspect.Parameter.empty
        built[name] = _slider(name, spec, default, labels.pop(name, name), continuous_update)
    if labels:
        raise TypeError(f"labels name unknown sliders: {sorted(labels)}")
    for snapshot in snapshots:
        unknown = set(snapshot) - set(built)
        if unknown:
            raise TypeError(f"snapshot {dict(snapshot)!r} names unknown sliders {sorted(unknown)}")
    return InteractiveFigure(draw, built, figsize=figsize, dpi=dpi, snapshots=snapshots)
