"""``x @ W + b`` recorded as one ``linear`` node when the product is a temporary, and a
parameter's value held on a 64-byte boundary: neither changes a value or a gradient."""

import weakref

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Tensor
from calcml.autodiff import tensor as engine

rng = np.random.default_rng(12)

needs_probe = pytest.mark.skipif(engine._TEMPORARY == 0, reason="this interpreter cannot tell "
                                 "a temporary from a held tensor: nothing is fused")


def _run(build, values, fuse, monkeypatch):
    """The output and the gradients of every input, with fusion switched on or off."""
    monkeypatch.setattr(engine, "_FUSE", fuse)
    inputs = [Tensor(v, requires_grad=True) for v in values]
    out = build(*inputs)
    op = out.op
    (out.tanh() ** 2).sum().backward()
    return op, out.data.copy(), [t.grad for t in inputs]


BUILDS = {
    "x @ W + b": lambda x, w, b: x @ w + b,
    "b + x @ W": lambda x, w, b: b + x @ w,
    "two layers, a computed bias": lambda x, w, b: (x @ w + b).tanh() @ w.T + x.sum(axis=0),
}


@needs_probe
@pytest.mark.parametrize("name", BUILDS)
@pytest.mark.parametrize(("n", "d_in", "d_out"), [(1, 1, 1), (5, 3, 4), (64, 7, 7)])
def test_a_fused_product_gives_the_values_and_gradients_of_the_two_nodes(
        name, n, d_in, d_out, monkeypatch):
    values = (rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)),
              rng.normal(size=d_out))
    op_fused, fused, fused_grads = _run(BUILDS[name], values, True, monkeypatch)
    op_plain, plain, plain_grads = _run(BUILDS[name], values, False, monkeypatch)
    assert (op_fused, op_plain) == ("linear", "add")
    np.testing.assert_allclose(fused, plain, rtol=1e-14, atol=1e-14)
    for g_fused, g_plain in zip(fused_grads, plain_grads, strict=True):
        np.testing.assert_allclose(g_fused, g_plain, rtol=1e-12, atol=1e-14)


@needs_probe
def test_the_graph_of_a_fused_layer_has_one_node_for_product_and_sum():
    x = Tensor(rng.normal(size=(4, 3)))
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(np.zeros(2), requires_grad=True)
    out = x @ w + b
    assert out.op == "linear"
    assert out.parents == (w, b)
    assert [t.op for t in ad.topological_order(out)] == ["linear", None, None]


@needs_probe
def test_a_constant_bias_is_fused_and_gets_no_gradient():
    x = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    bias = np.array([1.0, -2.0])
    out = x @ w + bias
    assert out.op == "linear"
    assert out.parents == (x, w)
    out.sum().backward()
    np.testing.assert_allclose(w.grad, x.data.sum(axis=0)[:, None] * np.ones((1, 2)))
    np.testing.assert_allclose(out.data, x.data @ w.data + bias)


def _held_in_a_name(x, w, b):
    product = x @ w
    return product + b, product


def _held_in_a_list(x, w, b):
    products = [x @ w]
    return products[0] + b, products


def _a_column_bias(x, w, b):
    return x @ w + b.reshape(-1, 1)[: x.shape[0]], None


def _another_dtype(x, w, b):
    return x @ w + b.data.astype(np.float32), None


def _a_vector_product(x, w, b):
    return x[0] @ w + b, None


@pytest.mark.parametrize("build", [_held_in_a_name, _held_in_a_list, _a_column_bias,
                                   _another_dtype, _a_vector_product])
def test_a_product_anyone_holds_or_a_sum_that_is_not_a_bias_row_is_not_fused(build):
    x = Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True)
    out, held = build(x, w, b)
    assert out.op == "add"
    out.sum().backward()
    if held is not None:  # the held product is a node of the graph, and keeps its value
        product = held if isinstance(held, Tensor) else held[0]
        np.testing.assert_allclose(product.data, x.data @ w.data)
        assert any(node is product for node in ad.topological_order(out))


def test_a_retained_product_keeps_its_gradient():
    x = Tensor(rng.normal(size=(2, 3)))
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True)
    product = x @ w
    product.retain_grad()
    (product + b).sum().backward()
    np.testing.assert_allclose(product.grad, np.ones((2, 2)))


def test_nothing_is_recorded_under_no_grad():
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True)
    with ad.no_grad():
        out = Tensor(np.ones((2, 3))) @ w + b
    assert out.op is None
    assert not out.requires_grad
    np.testing.assert_allclose(out.data, np.ones((2, 3)) @ w.data + b.data)


@needs_probe
def test_editing_a_weight_after_the_forward_pass_is_still_refused():
    x = Tensor(rng.normal(size=(2, 3)))
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True)
    out = x @ w + b
    assert out.op == "linear"
    w.data -= 0.1
    with pytest.raises(RuntimeError, match="was changed after the forward pass"):
        out.sum().backward()


@needs_probe
def test_the_probe_sees_a_temporary_with_fewer_references_than_a_named_operand():
    seen = []

    class Spy:
        def __add__(self, other):
            seen.append(engine._refcount(self))
            return 0

    held = Spy()
    _ = Spy() + 1
    _ = held + 1
    assert seen[0] <= engine._TEMPORARY < seen[1]


# --- the sum written over the product's array, only when nothing else can see it ----------
def _tapped(hold, reflected=False, read_only=False):
    """``tap(x @ w) + b``: tap sees the product's array by a weak reference, and may hold
    it (or a view of it), or make it read-only."""
    x = Tensor(rng.normal(size=(3, 4)))
    w = Tensor(rng.normal(size=(4, 2)), requires_grad=True)
    b = Tensor(rng.normal(size=2), requires_grad=True)
    seen = []

    def tap(m):
        seen.append(weakref.ref(m.data))
        if hold == "array":
            seen.append(m.data)
        elif hold == "view":
            seen.append(m.data[1:])
        if read_only:
            m.data.setflags(write=False)
        return m

    out = b + tap(x @ w) if reflected else tap(x @ w) + b
    return out, seen, x.data @ w.data + b.data, x.data @ w.data


@needs_probe
@pytest.mark.parametrize("reflected", [False, True])
def test_the_sum_of_a_free_product_is_written_over_its_array(reflected):
    assert engine._UNSHARED > 0
    out, seen, expected, _ = _tapped(None, reflected)
    assert out.op == "linear"
    assert out.data is seen[0]()  # one array: the product's
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("reflected", [False, True])
@pytest.mark.parametrize("hold", ["array", "view"])
def test_a_product_array_anyone_holds_is_never_written(hold, reflected):
    out, seen, expected, product = _tapped(hold, reflected)
    assert out.data is not seen[0]()
    np.testing.assert_array_equal(out.data, expected)
    np.testing.assert_array_equal(seen[1], product if hold == "array" else product[1:])


def test_a_read_only_product_array_gets_a_new_sum():
    out, _, expected, _ = _tapped(None, read_only=True)
    np.testing.assert_array_equal(out.data, expected)
    assert out.op == "linear" or engine._TEMPORARY == 0
    out.sum().backward()  # and the graph is whole: ∂Σ(xW + b)/∂b = number of rows
    b = out._parents[-1] if out.op == "linear" else out._parents[1]
    np.testing.assert_array_equal(b.grad, [3.0, 3.0])


def test_the_probe_of_free_arrays_finds_the_count_of_the_fused_path():
    # the count it found tells a free array from a held one through the real path
    if engine._TEMPORARY == 0:
        assert engine._UNSHARED == 0
        return
    assert engine._probe_unshared() == engine._UNSHARED > 0


# --- a parameter's value on a 64-byte boundary -------------------------------------------
@pytest.mark.parametrize(("shape", "dtype"), [((64, 128), np.float64), ((512,), np.float64),
                                          ((33, 65), np.float32), ((8, 8, 9), np.float64)])
def test_a_parameter_of_4_kb_or_more_is_an_aligned_copy_of_its_value(shape, dtype):
    value = rng.normal(size=shape).astype(dtype)
    t = Tensor(value, requires_grad=True)
    data = t.data
    assert data.ctypes.data % 64 == 0
    assert data.shape == shape
    assert data.dtype == dtype
    assert data.flags.c_contiguous
    assert data.flags.writeable
    np.testing.assert_array_equal(data, value)
    value[...] = 0  # a copy: the caller's array and the tensor's are independent
    assert np.any(data != 0)


def test_a_strided_or_fortran_ordered_value_is_copied_in_c_order():
    base = rng.normal(size=(100, 80))
    for value in (np.asfortranarray(base), base[::2, ::-1], base.T):
        t = Tensor(value, requires_grad=True)
        assert t.data.flags.c_contiguous
        assert t.data.ctypes.data % 64 == 0
        np.testing.assert_array_equal(t.data, value)


def test_training_on_an_aligned_parameter_updates_it_in_place():
    w = Tensor(rng.normal(size=(64, 32)), requires_grad=True)
    address = w.data.ctypes.data
    (Tensor(np.ones((2, 64))) @ w).sum().backward()
    w.data -= 0.1 * w.grad
    assert w.data.ctypes.data == address  # still aligned: p.data -= ... works in place


@needs_probe
def test_second_derivatives_through_a_fused_layer_match_the_two_nodes(monkeypatch):
    x, w0, b0 = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    results = []
    for fuse in (True, False):
        monkeypatch.setattr(engine, "_FUSE", fuse)
        w, b = Tensor(w0, requires_grad=True), Tensor(b0, requires_grad=True)
        layer = Tensor(x) @ w + b
        assert layer.op == ("linear" if fuse else "add")
        (layer.tanh() ** 2).sum().backward(create_graph=True)
        gradient_w = w.grad
        w.grad = b.grad = None
        (gradient_w * gradient_w).sum().backward()  # ∂/∂w of |∂L/∂w|²: second derivatives
        results.append((np.array(w.grad), np.array(b.grad)))
    for fused, plain in zip(*results, strict=True):
        np.testing.assert_allclose(fused, plain, rtol=1e-12, atol=1e-14)
