"""The engine at the edges (issue 8): zero bases, Python-float zeros, aliasing, versions,
repeated backward passes, nested gradients, NumPy's protocols and clear errors."""

import warnings

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Dual, Tensor


# --- ** at a zero base: the limits PyTorch and HIPS autograd use -------------------------
@pytest.mark.parametrize(("f", "x", "expected"), [
    (lambda x: x ** 0.0, 0.0, 0.0),        # x⁰ = 1 everywhere: slope 0, also at 0
    (lambda y: 0.0 ** y, 0.5, 0.0),        # 0^y = 0 for y > 0: slope 0
    (lambda x: x ** 2.0, 0.0, 0.0),
    (lambda x: x ** 3, 0.0, 0.0),
    (lambda x: x ** 1.0, 0.0, 1.0),
    (lambda x: x ** 0.5, 0.0, np.inf),     # √x has a vertical tangent at 0
])
def test_power_at_a_zero_base_in_both_modes(f, x, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0 ** -0.5 = inf warns, as in NumPy
        reverse = float(ad.grad(f)(x))
        value, forward = ad.jvp(f, x, 1.0)
    assert reverse == expected
    assert float(forward) == expected
    assert np.isfinite(value) or np.isinf(value)


def test_power_at_a_zero_base_for_arrays_and_both_arguments():
    x = Tensor([0.0, 2.0], requires_grad=True)
    y = Tensor([0.0, 3.0], requires_grad=True)
    (x ** y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 12.0])              # y x^(y−1)
    np.testing.assert_allclose(y.grad, [0.0, 8.0 * np.log(2.0)])    # x^y ln x, 0 at x = 0


@pytest.mark.parametrize(("f", "expected"), [
    (lambda x: x ** 0.5, np.inf),
    (lambda x: x ** 0.0, 0.0),
    (lambda x: x ** -1.0, -np.inf),
    (lambda x: 1.0 / x, -np.inf),
])
def test_forward_mode_at_a_python_float_zero_does_not_raise(f, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, slope = ad.jvp(f, 0.0, 1.0)
        assert float(slope) == expected
        assert float(f(Dual(0.0, 1.0)).deriv) == expected


# --- gradient arrays are never aliased -------------------------------------------------
def test_input_gradients_are_separate_arrays():
    a = Tensor([1.0, 2.0], requires_grad=True)
    c = Tensor([3.0, 4.0], requires_grad=True)
    (a + c).sum().backward()
    a.grad *= 0
    np.testing.assert_array_equal(c.grad, [1.0, 1.0])
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])


@pytest.mark.parametrize("make", [
    lambda a: a.reshape(2, 2).sum(),
    lambda a: a.T.sum(),
    lambda a: (a + 1.0).sum(),
    lambda a: (a - 1.0).sum(),
    lambda a: a.sum(),
    lambda a: a.mean(),
])
def test_an_input_gradient_is_writable_and_owned(make):
    a = Tensor(np.arange(4.0), requires_grad=True)
    out = make(a)
    out.backward()
    before = a.grad.copy()
    a.grad += 1.0  # in place: works, and changes no other tensor's gradient
    np.testing.assert_array_equal(a.grad, before + 1.0)
    assert not np.shares_memory(out.grad, a.grad)


def test_retained_intermediate_gradients_are_their_own_arrays():
    a = Tensor([1.0, 2.0], requires_grad=True)
    h = a * 2.0
    s = h + 1.0  # passes its gradient on to h unchanged (one array inside the walk)
    h.retain_grad()
    s.retain_grad()
    (s * s).sum().backward()
    assert not np.shares_memory(h.grad, s.grad)  # ∂L/∂h = ∂L/∂s, each its own copy
    h.grad *= 0  # writable, as in PyTorch, and changes nothing else
    np.testing.assert_array_equal(s.grad, 2 * s.data)
    np.testing.assert_array_equal(a.grad, 2 * 2 * s.data)


def test_the_seed_is_copied_not_kept():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seed = np.array([1.0, 1.0])
    x.backward(seed)
    x.grad *= 5
    np.testing.assert_array_equal(seed, [1.0, 1.0])
    y = x * 3.0
    seed2 = np.array([1.0, 2.0])
    y.backward(seed2)
    assert not np.shares_memory(y.grad, seed2)
    np.testing.assert_array_equal(x.grad, [5.0 + 3.0, 5.0 + 6.0])


# --- changing .data between the forward and the backward pass ----------------------------
def _assign(t):
    t.data = t.data * 2


def _subtract_in_place(t):
    t.data -= 1.0


def _scale_in_place(t):
    t.data *= 0.5


@pytest.mark.parametrize("change", [_assign, _subtract_in_place, _scale_in_place])
def test_changing_an_input_between_forward_and_backward_raises(change):
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    loss = (a * a).sum()
    change(a)
    with pytest.raises(RuntimeError, match=r"\.data of a tensor 'a' of shape \(2,\).*changed"):
        loss.backward()
    assert a.grad is None


def test_changing_an_intermediate_value_raises():
    a = Tensor([0.5, 1.0], requires_grad=True)
    h = a.tanh()  # its rule uses its own value: 1 − tanh²
    loss = (h * 3.0).sum()
    h.data -= 0.1
    with pytest.raises(RuntimeError, match="result of 'tanh'"):
        loss.backward()


def test_changing_data_after_backward_or_before_forward_is_fine():
    a = Tensor([1.0, 2.0], requires_grad=True)
    a.data -= 0.5  # before the forward pass
    (a * a).sum().backward()
    np.testing.assert_array_equal(a.grad, [1.0, 3.0])
    a.data -= 0.1 * a.grad  # the update after backward, as in every training loop
    a.zero_grad()
    (a * a).sum().backward()
    np.testing.assert_allclose(a.grad, 2 * np.array([0.4, 1.2]))


def test_assigning_data_checks_the_value():
    a = Tensor([1.0, 2.0])
    a.data = [3, 4]
    assert a.data.dtype == np.float64
    with pytest.raises(TypeError, match="numeric"):
        a.data = ["x", "y"]
    with pytest.raises(TypeError, match="not a Tensor"):
        a.data = Tensor(1.0)


# --- a tensor's value as Python sees it -------------------------------------------------
def test_a_one_entry_tensor_converts_formats_and_tests_like_its_value():
    loss = (Tensor([2.0], requires_grad=True) * 1.5).sum()
    assert float(loss) == 3.0
    assert int(loss) == 3
    assert f"{loss:.3f}" == "3.000"
    assert f"{Tensor(0.5):>6.2f}" == "  0.50"
    assert f"{loss}" == str(loss)
    assert bool(loss) is True
    assert bool(Tensor(0.0)) is False
    assert loss.item() == 3.0


@pytest.mark.parametrize("convert", [float, int, lambda t: f"{t:.3f}", Tensor.item])
def test_converting_a_tensor_of_many_entries_names_its_shape(convert):
    with pytest.raises((TypeError, ValueError), match=r"one-entry tensor, got shape \(2, 3\)"):
        convert(Tensor(np.ones((2, 3))))


def test_the_truth_of_many_entries_is_ambiguous():
    with pytest.raises(ValueError, match=r"shape \(2,\) is ambiguous"):
        bool(Tensor([1.0, 2.0]))


def test_comparisons_are_values_without_a_graph():
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    np.testing.assert_array_equal(t == 2, [False, True, False])
    np.testing.assert_array_equal(t != 2, [True, False, True])
    np.testing.assert_array_equal(t > 1.5, [False, True, True])
    np.testing.assert_array_equal(t <= Tensor([1.0, 1.0, 5.0]), [True, False, True])
    assert isinstance(t > 0, np.ndarray)
    s = Tensor(2.0, requires_grad=True)
    assert s == 2
    assert (s == 2.5).item() is False
    assert s > 1
    assert s >= 2
    assert s < 3
    assert s <= 2
    assert isinstance(s != 2.5, np.bool_)
    assert s in {s}  # hashed by identity: sets and dicts of nodes work
    with pytest.raises(ValueError, match="cannot be compared"):
        t == Tensor([1.0, 2.0])  # noqa: B015


def test_a_sum_over_a_missing_axis_names_the_shape():
    t = Tensor(np.ones((2, 3)))
    for reduce in (t.sum, t.mean, t.max):
        with pytest.raises(ValueError, match=r"axis 2 is out of range for a tensor of shape \(2, 3\)"):
            reduce(axis=2)
    with pytest.raises(TypeError, match="axis must be"):
        t.sum(axis="rows")


def test_matmul_with_a_scalar_says_so():
    A = Tensor(np.ones((2, 2)))
    for attempt in (lambda: A @ 2.0, lambda: 2.0 @ A):
        with pytest.raises(ValueError, match=r"needs arrays.*scalar 2\.0.*use \*"):
            attempt()
    with pytest.raises(ValueError, match="shape mismatch"):
        A @ np.ones((3, 1))  # a real mismatch is still called one


# --- NumPy's functions on a Tensor ----------------------------------------------------------
X0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


@pytest.mark.parametrize(("numpy_f", "method"), [
    (np.tanh, lambda t: t.tanh()),
    (np.exp, lambda t: t.exp()),
    (np.sin, lambda t: t.sin()),
    (np.cos, lambda t: t.cos()),
    (np.abs, lambda t: t.abs()),
    (np.negative, lambda t: -t),
    (np.square, lambda t: t * t),
    (lambda t: np.log(np.abs(t)), lambda t: t.abs().log()),
    (lambda t: np.sqrt(np.abs(t)), lambda t: t.abs().sqrt()),
    (np.sum, lambda t: t.sum()),
    (np.mean, lambda t: t.mean()),
    (np.max, lambda t: t.max()),
    (lambda t: np.sum(t, axis=0, keepdims=True), lambda t: t.sum(axis=0, keepdims=True)),
    (lambda t: np.mean(t, axis=1), lambda t: t.mean(axis=1)),
    (lambda t: np.reshape(t, (3, 2)), lambda t: t.reshape(3, 2)),
    (lambda t: np.reshape(t, -1), lambda t: t.reshape(-1)),
    (np.transpose, lambda t: t.T),
    (lambda t: np.swapaxes(t, 0, 1), lambda t: t.T),
    (lambda t: np.expand_dims(t, 0), lambda t: t.reshape(1, 2, 3)),
    (lambda t: np.broadcast_to(t, (4, 2, 3)), lambda t: t.reshape(1, 2, 3) + np.zeros((4, 1, 1))),
    (lambda t: np.where(X0 > 0, t, 0.0), lambda t: t.relu()),
    (lambda t: np.maximum(t, 0.0), lambda t: t.relu()),
    (lambda t: np.dot(t, np.ones(3)), lambda t: t @ np.ones(3)),
    (lambda t: np.ones((4, 2)) @ t, lambda t: Tensor(np.ones((4, 2))) @ t),
    (lambda t: np.ones(3) * t - np.float64(2.0) / (t * t + 1.0),
     lambda t: t - 2.0 / (t * t + 1.0)),
])
def test_numpy_functions_compute_through_the_engine(numpy_f, method):
    rng = np.random.default_rng(0)
    a, b = Tensor(X0, requires_grad=True), Tensor(X0, requires_grad=True)
    out_np, out_method = numpy_f(a), method(b)
    assert isinstance(out_np, Tensor)
    np.testing.assert_allclose(out_np.data, out_method.data, rtol=1e-15)
    w = rng.normal(size=out_np.shape)
    (out_np * w).sum().backward()
    (out_method * w).sum().backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-14)


def test_numpy_values_of_a_tensor_without_gradient():
    t = Tensor(X0, requires_grad=True)
    assert np.shape(t) == (2, 3)
    assert np.ndim(t) == 2
    assert np.size(t) == 6
    assert np.argmax(t) == 2
    np.testing.assert_array_equal(np.sign(t), np.sign(X0))
    np.testing.assert_array_equal(np.greater(t, 0), X0 > 0)
    assert np.allclose(t, X0)
    np.testing.assert_array_equal(np.asarray(Tensor(X0)), X0)  # a constant converts
    assert np.asarray(Tensor(X0), dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize(("call", "message"), [
    (lambda t: np.arctan(t), r"np\.arctan has no derivative rule.*t\.tanh\(\)"),
    (lambda t: np.concatenate([t, t]), r"np\.concatenate is not supported on a Tensor"),
    (lambda t: np.sum(t, out=np.zeros(())), r"np\.sum on a Tensor takes no out="),
    (lambda t: np.add.reduce(t), r"np\.add\.reduce on a Tensor is not supported"),
    (lambda t: np.exp(t, out=np.zeros((2, 3))), r"np\.exp with out= on a Tensor"),
    (lambda t: np.asarray(t), r"requires grad.*use t\.data"),
    (lambda t: np.array([t, t]), r"requires grad.*use t\.data"),
])
def test_numpy_functions_without_a_rule_say_what_to_use(call, message):
    with pytest.raises(TypeError, match=message):
        call(Tensor(X0, requires_grad=True))


def test_reshape_through_numpy_is_a_tensor_not_an_object_array():
    out = np.reshape(Tensor(np.arange(6.0), requires_grad=True), (2, 3))
    assert isinstance(out, Tensor)
    assert out.data.dtype == np.float64
