"""calcml.widgets: a live widget whose display also carries a static PNG for the book."""

import base64
import struct

import ipywidgets as widgets
import pytest

from calcml.widgets import InteractiveFigure, interactive_figure

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


class Recorder:
    """A draw function that remembers what it was asked to draw."""

    def __init__(self):
        self.calls = []

    def __call__(self, ax, w=1.0, b=0.0):
        self.calls.append({"w": w, "b": b})
        ax.plot([0, 1], [b, w + b])
        ax.set_ylim(-3, 3)


def test_bundle_has_the_widget_view_and_a_png_fallback():
    fig = interactive_figure(Recorder(), w=(-2.0, 2.0, 0.1), b=(-1.0, 1.0, 0.1))
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {WIDGET_MIME, "image/png", "text/plain"}
    assert bundle[WIDGET_MIME]["model_id"] == fig.model_id
    png = base64.b64decode(bundle["image/png"], validate=True)
    assert png.startswith(PNG_MAGIC)
    assert "w, b" in bundle["text/plain"]
    assert "JupyterLab" in bundle["text/plain"]


def test_it_is_a_widget_with_sliders_above_the_picture():
    fig = interactive_figure(Recorder(), w=(-2.0, 2.0))
    assert isinstance(fig, widgets.VBox)
    assert isinstance(fig, InteractiveFigure)
    assert fig.children == (fig.sliders["w"], fig.image)
    assert bytes(fig.image.value).startswith(PNG_MAGIC)


def test_moving_a_slider_redraws_with_the_new_value():
    draw = Recorder()
    fig = interactive_figure(draw, w=(-2.0, 2.0, 0.1))
    before = fig.image.value
    fig.sliders["w"].value = -1.5
    assert draw.calls[-1] == {"w": -1.5, "b": 0.0}
    assert fig.image.value != before
    assert bytes(fig.image.value).startswith(PNG_MAGIC)
    assert fig.values == {"w": -1.5}


def test_starting_values_come_from_draws_defaults_or_the_middle():
    def draw(ax, a, w=1.5):
        ax.plot([0, 1], [a, w])

    fig = interactive_figure(draw, a=(0.0, 4.0, 0.5), w=(-2.0, 2.0))
    assert fig.values == {"a": 2.0, "w": 1.5}


def test_integer_ranges_give_integer_sliders_and_widgets_are_used_as_given():
    def draw(ax, n=3, s=0.5):
        ax.plot(range(n), [s] * n)

    slider = widgets.FloatSlider(value=0.25, min=0, max=1, description="custom")
    fig = interactive_figure(draw, n=(1, 10), s=slider, labels={"n": "count"})
    assert isinstance(fig.sliders["n"], widgets.IntSlider)
    assert fig.sliders["n"].description == "count"
    assert fig.sliders["s"] is slider
    assert fig.values == {"n": 3, "s": 0.25}


def test_snapshots_give_one_panel_each_in_the_static_picture():
    single = interactive_figure(Recorder(), w=(-2.0, 2.0), figsize=(4, 3), dpi=50)
    double = interactive_figure(Recorder(), w=(-2.0, 2.0), figsize=(4, 3), dpi=50,
                                snapshots=[{}, {"w": -2.0}])
    (w1, h1), (w2, h2) = png_size(single.static_png()), png_size(double.static_png())
    assert h1 == h2
    assert 1.8 < w2 / w1 < 2.2  # side by side (margins are trimmed, so not exactly 2)


def test_snapshots_override_starting_values():
    draw = Recorder()
    fig = interactive_figure(draw, w=(-2.0, 2.0), b=(-1.0, 1.0), snapshots=[{"b": 0.5}])
    draw.calls.clear()
    fig.static_png()
    assert draw.calls == [{"w": 1.0, "b": 0.5}]


def test_static_picture_is_deterministic():
    one = interactive_figure(Recorder(), w=(-2.0, 2.0))._repr_mimebundle_()["image/png"]
    two = interactive_figure(Recorder(), w=(-2.0, 2.0))._repr_mimebundle_()["image/png"]
    assert one == two


def test_an_error_in_draw_while_sliding_is_shown_in_the_figure():
    def draw(ax, w=1.0):
        if w < 0:
            raise ZeroDivisionError("negative w")
        ax.plot([0, 1], [0, w])

    fig = interactive_figure(draw, w=(-2.0, 2.0))
    good = fig.image.value
    fig.sliders["w"].value = -1.0  # must not raise inside the widget callback
    assert fig.image.value != good
    assert "ZeroDivisionError" in fig._ax.texts[0].get_text()


@pytest.mark.parametrize(("args", "kwargs", "error", "match"), [
    ((3,), {"w": (0.0, 1.0)}, TypeError, "draw must be a function"),
    ((Recorder(),), {}, TypeError, "at least one slider"),
    ((Recorder(),), {"z": (0.0, 1.0)}, TypeError, "no argument 'z'"),
    ((Recorder(),), {"w": [0.0, 1.0]}, TypeError, "must be \\(min, max\\)"),
    ((Recorder(),), {"w": (1.0, 0.0)}, ValueError, "finite min < max"),
    ((Recorder(),), {"w": (0.0, 1.0, -0.1)}, ValueError, "positive step"),
    ((Recorder(),), {"w": (2.0, 3.0)}, ValueError, "default of 'w' .* outside"),
    ((Recorder(),), {"w": (0.0, 2.0), "snapshots": [{"q": 1}]}, TypeError, "unknown sliders"),
    ((Recorder(),), {"w": (0.0, 2.0), "labels": {"q": "Q"}}, TypeError, "unknown sliders"),
])
def test_user_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        interactive_figure(*args, **kwargs)
