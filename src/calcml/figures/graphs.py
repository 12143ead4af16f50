"""Pictures of computational graphs (``calcml.autodiff`` Tensors), drawn with Matplotlib only.

Lesson 06 (``notebooks/06-chain-rule``) draws the graph behind a formula before and after
the backward pass: inputs on the left, the output on the right, each operation a node,
an arrow for each use of a value. The chain rule multiplies the local derivatives along
the arrows of a path and adds over the paths; :func:`draw_pipeline` pictures the one-path
case, a chain of one-variable functions.
"""

from __future__ import annotations

import numpy as np

from calcml.autodiff.tensor import Tensor, topological_order

__all__ = ["draw_graph", "draw_pipeline", "graph_layout"]

_SYMBOLS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "^", "neg": "−x",
            "matmul": "@", "getitem": "[ ]", "transpose": "ᵀ", "cross_entropy": "CE",
            "log_softmax": "log softmax", "linear": "@ +"}


def _describe(value):
    value = np.asarray(value)
    if value.size == 1:
        return f"{value.item():.4g}"
    return "×".join(map(str, value.shape))


def _spread(desired):
    """Rows for nodes wanting the heights ``desired`` (dict), at least 1 apart, order kept."""
    rows, last = {}, -np.inf
    for key in sorted(desired, key=lambda k: desired[k]):
        last = rows[key] = max(desired[key], last + 1.0)
    return rows


def graph_layout(root):
    """Positions of the nodes of ``root``'s graph, inputs on the left.

    Operations sit one column right of their deepest input and at the mean height of
    their inputs (pushed apart to at least one row); each input sits just left of the
    first operation that uses it, in the free row nearest the mean height of its users.

    Parameters
    ----------
    root : Tensor

    Returns
    -------
    nodes : list of Tensor
        Inputs first, ``root`` last (a topological order).
    positions : dict
        ``id(node) -> (column, row)``.
    edges : list of (Tensor, Tensor)
        ``(input, node)`` pairs, one per use of an input.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"root must be a Tensor, got {type(root).__name__}")
    nodes = topological_order(root)[::-1]  # inputs first
    edges = [(p, node) for node in nodes for p in node.parents]
    users = {id(n): [c for p, c in edges if p is n] for n in nodes}
    column = {}
    for node in nodes:  # operations: right of their deepest operation input
        if node.parents:
            column[id(node)] = 1 + max((column[id(p)] for p in node.parents if p.parents),
                                       default=0)
    for node in nodes:  # inputs: just left of their first user
        if not node.parents:
            column[id(node)] = min((column[id(c)] for c in users[id(node)]), default=1) - 1
    height = {}
    for c in sorted(set(column.values())):
        ops = [n for n in nodes if column[id(n)] == c and n.parents]
        wanted = {id(n): float(np.mean([height[id(p)] for p in n.parents if p.parents] or [0.0]))
                  for n in ops}
        height.update(_spread(wanted))
    for c in sorted(set(column.values())):  # then the inputs, in the free rows of a column
        taken = [height[id(n)] for n in nodes if column[id(n)] == c and n.parents]
        for n in nodes:
            if column[id(n)] == c and not n.parents:
                wanted = float(np.mean([height[id(u)] for u in users[id(n)]] or [0.0]))
                for step in (0, 1, -1, 2, -2, 3, -3, 4, -4):  # the nearest free row
                    row = wanted + step
                    if all(abs(row - t) >= 1.0 for t in taken):
                        break
                else:
                    row = max(taken) + 1.0
                height[id(n)] = row
                taken.append(row)
    positions = {id(n): (column[id(n)], height[id(n)]) for n in nodes}
    return nodes, positions, edges


def draw_graph(root, ax=None, *, show_values=True, show_grads=True, edge_labels=()):
    """Draw the computational graph that produced ``root``.

    Parameters
    ----------
    root : Tensor
        The output; its graph is recorded when its inputs have ``requires_grad=True``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.
    show_values : bool
        Write each node's value (or shape) under it.
    show_grads : bool
        Write each one-entry node's ``.grad`` (after ``backward()``) under it, in red. An
        intermediate node keeps its gradient only when asked before the backward pass
        (``ad.retain_grads(root)``, as PyTorch's ``retain_grad()``); the others show none.
    edge_labels : sequence of (Tensor, Tensor, str)
        Text to write on the arrow from the first tensor to the second, in red — e.g.
        the contribution to ``parent.grad`` that comes back along that arrow (lesson 06).
        Raises ValueError for a pair that is not an arrow of the graph.

    Returns
    -------
    matplotlib Axes
        Inputs are boxes (named by their ``name``), operations are circles.
    """
    import matplotlib.pyplot as plt

    nodes, positions, edges = graph_layout(root)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.8 + 1.6 * max(c for c, _ in positions.values()),
                                      2.2 + 0.8 * len(nodes) ** 0.5))
    for parent, child in edges:
        ax.annotate("", xy=positions[id(child)], xytext=positions[id(parent)],
                    arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2,
                                "shrinkA": 16, "shrinkB": 16})
    for parent, child, text in edge_labels:
        if not any(p is parent and c is child for p, c in edges):
            raise ValueError(f"edge_labels: no arrow from {_describe_node(parent)} to "
                             f"{_describe_node(child)} in this graph")
        (x0, y0), (x1, y1) = positions[id(parent)], positions[id(child)]
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, str(text), ha="center", va="bottom",
                fontsize=8, color="#b42318", zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    for node in nodes:
        x, y = positions[id(node)]
        if node.op is None:
            label, style = node.name or "input", {"boxstyle": "round,pad=0.35",
                                                  "facecolor": "#dbe9f6", "edgecolor": "#2b6ca3"}
        else:
            label = _SYMBOLS.get(node.op, node.op)
            style = {"boxstyle": "circle,pad=0.3", "facecolor": "#fde7cf", "edgecolor": "#b8621b"}
            if node.name:
                label = f"{label}\n{node.name}"
        ax.text(x, y, label, ha="center", va="center", fontsize=10, bbox=style, zorder=3)
        notes = []
        if show_values:
            notes.append((("value " if node.data.size == 1 else "shape ")
                           + _describe(node.data), "0.15"))
        if show_grads and node.grad is not None and np.size(node.grad) == 1:
            notes.append(("grad " + _describe(node.grad), "#b42318"))
        for k, (text, colour) in enumerate(notes):
            ax.text(x, y - 0.3 - 0.17 * k, text, ha="center", va="top", fontsize=8,
                    color=colour, zorder=3)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.5)
    ax.set_axis_off()
    return ax


def _describe_node(node) -> str:
    name = getattr(node, "name", None) or getattr(node, "op", None)
    return repr(name) if name else type(node).__name__


def draw_pipeline(stages, x, axes=None):
    """Picture the chain rule in one variable: each step's graph and its tangent at its input.

    Parameters
    ----------
    stages : sequence of (label, f, df)
        The functions of the pipeline x → f₁ → f₂ → …, each with its derivative. A label
        such as ``"u = 2x + 1"`` names the stage's output ``u``, which labels the axes
        (the first stage's input is ``x``).
    x : float
        The input of the first step.
    axes : sequence of matplotlib Axes, optional
        One per stage; a new row of panels if None.

    Returns
    -------
    list of matplotlib Axes
        Panel k shows fₖ near the value aₖ entering it and the tangent of slope fₖ'(aₖ):
        the local rate. The rate of the whole pipeline is the product of these slopes.
    """
    import matplotlib.pyplot as plt

    if not stages:
        raise ValueError("stages is empty: a pipeline needs at least one function")
    if axes is None:
        _, axes = plt.subplots(1, len(stages), figsize=(3.2 * len(stages), 3.0))
        axes = np.atleast_1d(axes)
    if len(axes) != len(stages):
        raise ValueError(f"got {len(axes)} axes for {len(stages)} stages")
    a = float(x)
    entering = "x"
    for ax, (label, f, df) in zip(axes, stages, strict=True):
        leaving = label.split("=")[0].strip() if "=" in label else "output"
        xs = np.linspace(a - 1.0, a + 1.0, 201)
        slope, value = float(df(a)), float(f(a))
        ax.plot(xs, f(xs), color="C0", lw=2)
        ax.plot(xs, value + slope * (xs - a), color="C3", ls="--", lw=1.2)
        ax.plot([a], [value], "o", color="k", ms=5)
        ax.set_title(f"{label}\nin {a:.3g} → out {value:.3g}, rate {slope:.3g}", fontsize=9)
        ax.set_xlabel(f"{entering} (entering)")
        ax.set_ylabel(f"{leaving} (leaving)")
        ax.grid(True, alpha=0.3)
        a, entering = value, leaving
    return list(axes)
