"""Property tests: randomly generated expression graphs, differentiated three ways.

A program is a list of steps over a pool of values that starts with the inputs; each
step applies an operation to earlier values. Inputs have shapes that broadcast together
((), (3,), (2, 1), (2, 3)), so the programs exercise broadcasting and summing back.
The gradient of the engine must match HIPS autograd's (an independent implementation);
for scalar programs, reverse mode must also match forward mode (dual numbers).
"""

import autograd
import autograd.numpy as anp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml import autodiff as ad
from calcml.autodiff import Tensor

# each operation is safe everywhere: divisions by 1 + b², logs of 1 + a², exps of tanh
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1.0 + b * b),
}
UNARY_OURS = {
    "tanh": ad.tanh, "sin": ad.sin, "cos": ad.cos, "sigmoid": ad.sigmoid, "softplus": ad.softplus,
    "exp_tanh": lambda a: ad.exp(ad.tanh(a)), "log1p_sq": lambda a: ad.log(1.0 + a * a),
    "sqrt1p_sq": lambda a: ad.sqrt(1.0 + a * a), "square": lambda a: a ** 2,
}
UNARY_THEIRS = {
    "tanh": anp.tanh, "sin": anp.sin, "cos": anp.cos,
    "sigmoid": lambda a: 1.0 / (1.0 + anp.exp(-a)), "softplus": lambda a: anp.logaddexp(0.0, a),
    "exp_tanh": lambda a: anp.exp(anp.tanh(a)), "log1p_sq": lambda a: anp.log(1.0 + a * a),
    "sqrt1p_sq": lambda a: anp.sqrt(1.0 + a * a), "square": lambda a: a ** 2,
}
REDUCE_OURS = {"sum_last_keep": lambda a: a.sum(axis=-1, keepdims=True), "mean_all": lambda a: a.mean()}
REDUCE_THEIRS = {"sum_last_keep": lambda a: anp.sum(a, axis=-1, keepdims=True),
                 "mean_all": anp.mean}
SHAPES = [(), (3,), (2, 1), (2, 3)]
NUM_INPUTS = 3


@st.composite
def programs(draw, reductions=True, max_steps=12):
    """Steps ('op', i) or ('op', i, j) referring to earlier values (inputs first)."""
    steps = []
    for k in range(draw(st.integers(1, max_steps))):
        available = NUM_INPUTS + k
        kinds = ["binary", "unary"] + (["reduce"] if reductions else [])
        kind = draw(st.sampled_from(kinds))
        i = draw(st.integers(0, available - 1))
        if kind == "binary":
            steps.append((draw(st.sampled_from(sorted(BINARY))), i,
                          draw(st.integers(0, available - 1))))
        elif kind == "unary":
            steps.append((draw(st.sampled_from(sorted(UNARY_OURS))), i))
        else:
            steps.append((draw(st.sampled_from(sorted(REDUCE_OURS))), i))
    return steps


def run(program, inputs, unary, reduce):
    values = list(inputs)
    for step in program:
        name, args = step[0], [values[i] for i in step[1:]]
        if name in BINARY:
            values.append(BINARY[name](*args))
        elif name in unary:
            values.append(unary[name](*args))
        else:
            values.append(reduce[name](*args))
    # every input takes part, so each gets a gradient (possibly through a product by 0)
    total = values[-1]
    for v in values[:NUM_INPUTS]:
        total = total + 0.5 * v
    return total


def input_arrays(shapes, seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=s) for s in shapes]


@settings(max_examples=150, deadline=None)
@given(program=programs(), shapes=st.lists(st.sampled_from(SHAPES), min_size=3, max_size=3),
       seed=st.integers(0, 2**16))
def test_random_graphs_match_autograd(program, shapes, seed):
    arrays = input_arrays(shapes, seed)
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = run(program, tensors, UNARY_OURS, REDUCE_OURS)
    w = np.random.default_rng(seed + 1).normal(size=out.shape)  # project: test the whole VJP
    loss = (out * w).sum()
    loss.backward()

    def loss_theirs(*xs):
        return anp.sum(run(program, xs, UNARY_THEIRS, REDUCE_THEIRS) * w)

    np.testing.assert_allclose(float(loss.data), loss_theirs(*arrays), rtol=1e-12)
    for i, (t, a) in enumerate(zip(tensors, arrays, strict=True)):
        want = autograd.grad(loss_theirs, argnum=i)(*arrays)
        assert t.grad.shape == a.shape
        np.testing.assert_allclose(t.grad, want, rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(program=programs(reductions=False), point=st.lists(
    st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3),
       direction=st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=3, max_size=3))
def test_reverse_mode_matches_forward_mode_on_scalar_programs(program, point, direction):
    def f(x):
        return run(program, [x[0], x[1], x[2]], UNARY_OURS, {})

    gradient = ad.grad(f)(np.array(point))
    _, tangent = ad.jvp(f, np.array(point), np.array(direction))
    # ∇f · v (one reverse pass) equals the directional derivative (one forward pass)
    assert np.isclose(gradient @ np.array(direction), tangent, rtol=1e-9, atol=1e-12)
