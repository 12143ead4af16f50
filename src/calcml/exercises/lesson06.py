"""Checkers for lesson 06 — the chain rule and backpropagation (``notebooks/06-chain-rule``)."""

from __future__ import annotations

import math

import numpy as np

from calcml.exercises.answers import expect_array, expect_number
from calcml.exercises.core import Hint, NotAttempted, exercise

__all__ = ["problem_6_3", "random_graph_gradients"]


def problem_6_3():
    """The data of exercise 6.3: inputs X (4, 3), weights W (3, 2) and weights C (4, 2).

    The loss is L(W) = Σ C ⊙ tanh(X W); the exercise asks for ∂L/∂W.
    """
    rng = np.random.default_rng(6)
    X = rng.normal(size=(4, 3))
    W = rng.normal(size=(3, 2)) / 2
    C = rng.normal(size=(4, 2))
    return X, W, C


# --- 6.1: one variable, rates multiply through a pipeline ----------------------------------
@exercise("6.1", "the chain rule through three steps")
def pipeline_derivative(answer):
    # f(x) = exp(sin(3x)) at x = 0.4: f' = exp(sin 3x) · cos 3x · 3
    x = 0.4
    right = math.exp(math.sin(3 * x)) * math.cos(3 * x) * 3
    expect_number(answer, right, rtol=1e-5, mistakes=[
        (math.exp(math.sin(3 * x)) * math.cos(3 * x),
         "a factor is missing: the innermost step 3x has a rate of its own"),
        (math.exp(math.sin(3 * x)) * 3,
         "the middle step sin(·) has a rate too — its derivative is not 1"),
        (math.exp(math.sin(3 * x)),
         "that is the value of f at 0.4 (exp is its own derivative, but the inner steps count)"),
        (math.exp(3 * x) * math.cos(3 * x) * 3,
         "exp' is evaluated at the wrong input: each rate is taken at the value entering its step"),
        (math.exp(x) * math.cos(x) * 3,
         "each rate is taken at the value entering its step, not at x itself"),
        (math.exp(math.sin(3 * x)) * math.cos(x) * 3,
         ("sin's rate cos(·) is evaluated at the wrong input: it belongs at the value entering "
          "sin, and that is not x")),
        (math.exp(math.sin(x)) * math.cos(3 * x) * 3,
         ("exp's rate is evaluated at the wrong input: it belongs at the value entering exp — "
          "which steps come before exp?")),
    ])


# --- 6.2: many variables, sum over paths --------------------------------------------------
@exercise("6.2", "two paths from x to f")
def sum_over_paths(answer):
    # f = u·v with u = x², v = sin x, at x = 1.2: df/dx = v·2x + u·cos x
    x = 1.2
    u, v = x * x, math.sin(x)
    path_u, path_v = v * 2 * x, u * math.cos(x)
    pair = _as_array(answer) if isinstance(answer, (list, tuple, np.ndarray)) else None
    if (pair is not None and pair.shape == (2,)
            and np.allclose(np.sort(pair), np.sort([path_u, path_v]), rtol=1e-6, atol=1e-9)):
        raise Hint("those are the rates along the two paths, one each; df/dx is one number, "
                   "what the two paths contribute together")
    expect_number(answer, path_u + path_v, rtol=1e-6, mistakes=[
        (path_u, "you followed only the path through u; x also reaches f through v"),
        (path_v, "you followed only the path through v; x also reaches f through u"),
        (path_u * path_v, "paths add up; it is along one path that the rates multiply"),
        (2 * x * math.cos(x), ("each path's rate is the product of the rates along it: you have "
                              "the rates from x to u and v, but not those from u and v to f")),
        (2 * x + math.cos(x), ("you added the rates of the first steps only, x → u and x → v: "
                              "each path goes on to f, and its rate is the product of the "
                              "rates along the whole path")),
        (v * x + u * math.cos(x), "the path through u is off: check the rate du/dx of u = x²"),
        (v * 2 + u * math.cos(x), "the path through u is off: check the rate du/dx of u = x²"),
        (v * 2 * x - u * math.cos(x), "the path through v has the wrong sign: check the rate of sin"),
        (u * v, "that is the value f(1.2) itself, not its rate of change"),
    ])


# --- 6.3: the backward pass of a small graph, as an array ---------------------------------
def _as_array(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    try:
        return np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None


@exercise("6.3", "∂L/∂W for L = Σ C ⊙ tanh(XW)")
def backward_of_a_layer(answer):
    X, W, C = problem_6_3()
    h = np.tanh(X @ W)
    right = X.T @ (C * (1 - h ** 2))
    arr = _as_array(answer)
    if arr is not None and arr.shape == right.shape and np.isfinite(arr).all():
        for wrong, hint in [
            (X.T @ C, ("the local derivative of tanh is missing: the gradient passes through "
                      "tanh on its way to W")),
            (X.T @ (C * (1 - h)), "tanh' is 1 − tanh², not 1 − tanh"),
            (X.T @ (C * (1 - (X @ W) ** 2)), ("tanh'(Z) is 1 − tanh(Z)²: you squared Z = XW "
                                              "itself, not the values of tanh")),
            (X.T @ (C * h * (1 - h)), ("that is the sigmoid's derivative σ(1 − σ); this layer "
                                      "uses tanh")),
            (X.T @ (1 - h ** 2), "the weights C of the loss are missing: ∂L/∂tanh(XW) = C"),
            (X.T @ (C * h), "you used tanh itself where its derivative belongs"),
        ]:
            if np.allclose(arr, wrong, rtol=1e-6, atol=1e-9) and not np.allclose(wrong, right):
                raise Hint(hint)
    expect_array(answer, right, rtol=1e-6, atol=1e-9, what="your ∂L/∂W")


# --- 6.4: vanishing gradients --------------------------------------------------------------
def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def _local_rates(depth, x):
    """σ'(a) for each of ``depth`` stacked sigmoids, a being each layer's own input."""
    rates = []
    for _ in range(depth):
        s = _sigmoid(x)
        rates.append(s * (1 - s))
        x = s
    return rates


def _rates_at_outputs(depth, x):
    """The mistake of taking σ' at each layer's output σ(a) instead of its input a."""
    rates = []
    for _ in range(depth):
        s = _sigmoid(x)
        rates.append(_sigmoid(s) * (1 - _sigmoid(s)))
        x = s
    return rates


def _stacked_sigmoid_slope(depth, x):
    return math.prod(_local_rates(depth, x))


def _stacked_sigmoid_slope_with(rate_of_output, depth, x):
    """The product of ``rate_of_output(σ(a))`` over the layers (a wrong σ' written with σ)."""
    prod = 1.0
    for _ in range(depth):
        x = _sigmoid(x)
        prod *= rate_of_output(x)
    return prod


def _stacked_tanh_rates(depth, x):
    """The mistake of multiplying tanh's rate 1 − tanh²(a) at each sigmoid's input a."""
    prod = 1.0
    for _ in range(depth):
        prod *= 1 - math.tanh(x) ** 2
        x = _sigmoid(x)
    return prod


def _stacked_sigmoid_value(depth, x):
    for _ in range(depth):
        x = _sigmoid(x)
    return x


@exercise("6.4", "the slope through ten sigmoids")
def vanishing_product(answer):
    # d/dx σ(σ(…σ(x)…)) with 10 sigmoids, at x = 0
    right = _stacked_sigmoid_slope(10, 0.0)
    expect_number(answer, right, rtol=1e-6, atol=1e-15, mistakes=[
        (0.25 ** 10, ("each layer's rate σ'(a) is taken at that layer's own input a, which is 0 "
                     "only for the first layer")),
        (0.25, "that is the rate of one sigmoid; there are ten, one after another"),
        (sum(_local_rates(10, 0.0)), "rates along a chain multiply; they do not add"),
        (_stacked_sigmoid_slope(9, 0.0), "one layer is missing: count ten sigmoids"),
        (_stacked_sigmoid_slope(11, 0.0), "one layer too many: count ten sigmoids"),
        (math.prod(_rates_at_outputs(10, 0.0)),
         "each rate is taken at the value entering its layer, not the value leaving it"),
        (_stacked_sigmoid_slope_with(lambda s: 1 - s * s, 10, 0.0),
         "1 − (·)² is tanh's derivative; the sigmoid's is σ(1 − σ)"),
        (_stacked_tanh_rates(10, 0.0),
         "1 − tanh² is tanh's derivative; the sigmoid's is σ(1 − σ)"),
        (_stacked_sigmoid_value(10, 0.0),
         "that is the value of the ten stacked sigmoids at 0, not their slope"),
    ])


# --- 6.5: gradients accumulate, zero_grad resets ------------------------------------------
@exercise("6.5", "accumulate, then reset")
def accumulation(answer):
    # w = 1.5: (w³)' twice (3w² = 6.75 each), zero_grad, then (4w)' = 4 and (w²)' = 2w = 3
    from calcml.exercises.answers import NEAR_MISS, as_number

    w = 1.5
    before_reset = 2 * 3 * w ** 2
    after_reset = [4.0, 2 * w]
    right = sum(after_reset)
    # the prose says the answer is exact: a near miss is told so, not to keep more digits
    value = as_number(answer, "your answer")
    if math.isfinite(value) and 1e-9 < abs(value - right) <= NEAR_MISS * right:
        raise Hint(f"your answer ({value:.12g}) is close, but this one is exact: no rounding "
                   "or approximation happens in these backward calls, so give the value "
                   "exactly")
    expect_number(answer, right, rtol=0, atol=1e-9, mistakes=[
        (before_reset + sum(after_reset),
         "zero_grad sets .grad back to nothing: what was accumulated before it no longer counts"),
        (after_reset[-1], ("backward adds to .grad instead of replacing it: the call before the "
                           "last one, after zero_grad, still counts")),
        (after_reset[0], "the last backward call adds its gradient too"),
        (0.0, "zero_grad comes before the last two calls; they add gradients after it"),
        (before_reset, "those gradients were accumulated before zero_grad, which discards them"),
        (before_reset / 2, "that is one of the calls before zero_grad, which discards them"),
        (before_reset / 2 + sum(after_reset),
         "zero_grad discards everything accumulated before it, not only the last call"),
        (4.0 + 2.0, "the gradient of w² is 2w, taken at w = 1.5"),
        (4.0 * w + w ** 2, "those are the values of the functions; .grad holds their derivatives"),
    ], factor_hint=("count which backward calls happen after zero_grad, and what each of "
                    "them adds"))


# --- 6.6: forward or reverse mode ------------------------------------------------------------
@exercise("6.6", "how many passes for one gradient")
def count_passes(answer):
    # forward mode gives one directional derivative per pass: n = 10_000 passes
    from calcml.exercises.answers import as_number

    value = as_number(answer, "your answer")
    if math.isfinite(value) and value != round(value):
        raise Hint(f"your answer ({value!r}) is not a whole number: a number of passes is")
    expect_number(answer, 10_000, rtol=0, atol=0.5, mistakes=[
        (1.0, ("one pass is what reverse mode needs for one output; forward mode gives one "
              "directional derivative per pass")),
        (2.0, "that counts reverse mode (one forward, one backward pass)"),
        (20_000.0, "one forward-mode pass carries the value and one tangent together"),
    ], factor_hint=("think about what one forward-mode pass yields (one directional "
                    "derivative) and how many of those a full gradient needs"))


# --- 6.7: write the backward rule of an operation ------------------------------------------
def _div_rule(grad_out, a, b):
    """The right rule: out = a / b gives ∂L/∂a = g/b and ∂L/∂b = −g·a/b²."""
    return grad_out / b, -grad_out * a / b**2


#: wrong rules a learner writes, with the hint each gets
_DIV_MISTAKES = [
    (lambda g, a, b: (1 / b, -a / b**2),
     ("the local derivatives are right, but the rule must multiply them by grad_out, the "
      "gradient arriving from above (chain rule)")),
    (lambda g, a, b: (-g * a / b**2, g / b),
     "the two are swapped: return (∂L/∂a, ∂L/∂b), in the order of the inputs"),
    (lambda g, a, b: (g / b, g * a / b**2),
     "check the sign of ∂L/∂b: a/b gets smaller as b grows"),
    (lambda g, a, b: (g / b, -g * a / b),
     "∂(a/b)/∂b is not −a/b: write a/b as a·b⁻¹ and use the power rule"),
    (lambda g, a, b: (g / b, -g / b**2),
     "∂L/∂b has lost the factor a: ∂(a/b)/∂b = a·(b⁻¹)′"),
    (lambda g, a, b: (g / b, 0.0),
     "b gets a gradient too: the output changes when b changes"),
    (lambda g, a, b: (g * b, -g * a / b**2),
     "∂(a/b)/∂a is 1/b: dividing by b, not multiplying"),
    (lambda g, a, b: (g / b, -g * a / b**2 + g / b),
     "∂L/∂b has an extra term: with a held fixed, a/b depends on b only through 1/b"),
]

#: (grad_out, a, b) where a rule is first compared with the right one
_DIV_POINTS = [(0.7, 2.0, 4.0), (-1.3, 0.5, -2.5), (2.1, -3.0, 1.5), (1.0, 1.2, 0.8)]


def _apply_rule(rule, g, a, b):
    """The learner's rule at (g, a, b) as two floats, or a Hint that says what is wrong."""
    from calcml.exercises.answers import as_number

    try:
        out = rule(g, a, b)
    except Exception as exc:  # noqa: BLE001 — the learner's function may raise anything
        raise Hint(f"your div_backward raised {type(exc).__name__} at grad_out = {g}, a = {a}, "
                   f"b = {b}: {exc}") from None
    if out is Ellipsis:
        raise NotAttempted("not attempted yet: your div_backward still returns ...")
    if isinstance(out, (str, bytes)) or not hasattr(out, "__len__") or len(out) != 2:
        raise Hint("div_backward must return two numbers, (∂L/∂a, ∂L/∂b) — one gradient "
                   "for each input of the division")
    return tuple(as_number(v, f"the {'first' if k == 0 else 'second'} number your "
                              "div_backward returns") for k, v in enumerate(out))


def _random_graph_gradients(rule, rng, num_ops: int = 8):
    """One random graph of add, mul, sin and div on three inputs, backpropagated with
    ``rule`` for div: the inputs' values and gradients, as the right rule and ``rule`` give.

    Nodes are reused at random, so values are shared (a node used twice gets two
    contributions); a denominator is always a node of size at least 0.3. The output is the
    sum of all the operations' nodes, so every division takes part in every gradient.
    """
    values = [float(v) for v in rng.uniform(0.5, 2.0, size=3)]
    ops = []  # (kind, i, j): node len(values) = kind(values[i], values[j])
    while len(ops) < num_ops:
        kind = str(rng.choice(["add", "mul", "sin", "div", "div"]))
        i, j = (int(k) for k in rng.integers(0, len(values), size=2))
        if kind == "div" and abs(values[j]) < 0.3:
            continue
        a, b = values[i], values[j]
        values.append({"add": a + b, "mul": a * b, "sin": math.sin(a), "div": a / b}[kind])
        ops.append((kind, i, j))

    def backprop(div_rule):
        grads = [0.0] * 3 + [1.0] * len(ops)  # output = Σ of the operations' nodes
        for node in range(len(values) - 1, 2, -1):
            kind, i, j = ops[node - 3]
            g, a, b = grads[node], values[i], values[j]
            if kind == "add":
                grads[i] += g
                grads[j] += g
            elif kind == "mul":
                grads[i] += g * b
                grads[j] += g * a
            elif kind == "sin":
                grads[i] += g * math.cos(a)
            else:
                da, db = div_rule(g, a, b)
                grads[i] += da
                grads[j] += db
        return grads[:3]

    shown = [(kind, i) if kind == "sin" else (kind, i, j) for kind, i, j in ops]  # sin: one input
    return backprop(_div_rule), backprop(lambda g, a, b: _apply_rule(rule, g, a, b)), shown


@exercise("6.7", "the backward rule of a division")
def division_backward(answer):
    from calcml.exercises.answers import as_callable

    rule = as_callable(answer, "your div_backward")
    got = [_apply_rule(rule, *p) for p in _DIV_POINTS]
    want = [_div_rule(*p) for p in _DIV_POINTS]

    def same(xs, ys):
        return all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-12)
                   for pair_x, pair_y in zip(xs, ys, strict=True)
                   for u, v in zip(pair_x, pair_y, strict=True))

    if not same(got, want):
        for wrong, hint in _DIV_MISTAKES:
            if same(got, [wrong(*p) for p in _DIV_POINTS]):
                raise Hint(hint)
        for (g, a, b), pair, right in zip(_DIV_POINTS, got, want, strict=True):
            for k, name in enumerate(("first number, ∂L/∂a,", "second number, ∂L/∂b,")):
                if not math.isclose(pair[k], right[k], rel_tol=1e-9, abs_tol=1e-12):
                    direction = "too large" if pair[k] > right[k] else "too small"
                    raise Hint(f"at grad_out = {g}, a = {a}, b = {b} your {name} is "
                               f"{pair[k]:.6g}, which is {direction}: out = a/b, and each "
                               "input's gradient is grad_out times the derivative of a/b "
                               "with respect to that input")
    for seed in range(20):
        right, yours, _ = random_graph_gradients(rule, seed)
        if not all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-12)
                   for u, v in zip(yours, right, strict=True)):
            raise Hint(f"your rule is right at the first points, but backpropagation with it "
                       f"gives wrong input gradients on a random graph — "
                       f"`random_graph_gradients(div_backward, seed={seed})` shows it: is your "
                       "rule right for every grad_out, a and b ≠ 0?")
    return ("correct — and backpropagation with your rule gives the right input gradients "
            "on 20 random graphs of +, ×, sin and ÷")


def random_graph_gradients(rule, seed: int = 0, num_ops: int = 8):
    """The input gradients of one random graph (as exercise 6.7 checks them): with the
    right division rule, and with ``rule``. Lets a learner see a graph where a rule fails.

    Returns ``(right, yours, ops)``: two lists of three gradients (of the inputs, nodes
    0, 1, 2), and the graph's operations: entry ``k`` of ``ops``, ``(kind, i, j)`` or
    ``("sin", i)``, computes node ``3 + k`` from nodes ``i`` and ``j`` (``a / b`` is
    ``("div", i, j)`` with ``a`` node ``i``); the output is the sum of nodes 3, 4, …. Exercise 6.7
    checks the graphs of seeds 0 to 19.
    """
    return _random_graph_gradients(rule, np.random.default_rng(seed), num_ops)
