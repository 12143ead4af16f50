"""The reverse-mode engine's mechanics, forward mode, the functional API and bad input."""

import doctest
import sys

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Dual, Tensor, dual, functional, rules, tensor, topological_order


# --- the backward pass ------------------------------------------------------------------
def test_a_node_used_twice_gets_the_sum_over_both_paths():
    x = Tensor(3.0, requires_grad=True)
    (x * x + x).backward()  # d/dx (x² + x) = 2x + 1
    assert float(x.grad) == 7.0


def test_gradients_accumulate_until_zero_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for expected in ([2.0, 4.0], [4.0, 8.0]):  # d/dx Σx² = 2x, then twice that
        (x * x).sum().backward()
        np.testing.assert_array_equal(x.grad, expected)
    x.zero_grad()
    assert x.grad is None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_second_backward_on_a_retained_graph_does_not_double_count_inner_nodes():
    x = Tensor(2.0, requires_grad=True)
    h = x * x
    h.retain_grad()
    y = h * 3.0  # dy/dh = 3, dy/dx = 6x = 12
    y.backward(retain_graph=True)
    y.backward()
    assert float(h.grad) == 6.0  # retained: accumulated over the two calls, as in PyTorch
    assert float(x.grad) == 24.0  # input: accumulated over the two calls (not 3 · 24)


def test_second_backward_on_the_same_graph_raises_and_changes_nothing():
    x = Tensor(2.0, requires_grad=True)
    y = (x * x) * 3.0
    y.backward()
    with pytest.raises(RuntimeError, match=r"already walked.*retain_graph=True"):
        y.backward()
    assert float(x.grad) == 12.0  # not doubled
    z = (x * x) * 3.0  # a new graph: accumulates, as in lesson 06
    z.backward()
    assert float(x.grad) == 24.0


def test_a_walked_subgraph_cannot_be_walked_again_through_a_new_output():
    x = Tensor(2.0, requires_grad=True)
    h = x.sin()
    h.backward()
    with pytest.raises(RuntimeError, match="already walked"):
        (h * 2.0).backward()


def test_intermediate_gradients_are_kept_when_asked_for():
    x = Tensor(0.5, requires_grad=True)
    h = x.tanh()
    h.retain_grad()
    y = h * h
    y.backward()
    assert float(h.grad) == pytest.approx(2 * np.tanh(0.5))
    assert float(x.grad) == pytest.approx(2 * np.tanh(0.5) * (1 - np.tanh(0.5) ** 2))


def test_as_in_pytorch_only_inputs_keep_their_gradient_unless_asked():
    x = Tensor([0.5, -1.0], requires_grad=True)
    h = x.tanh()
    s = h * h
    y = s.sum()
    y.backward()
    for node in (h, s, y):  # let go of in the walk
        assert node.grad is None
    np.testing.assert_allclose(x.grad, 2 * np.tanh(x.data) * (1 - np.tanh(x.data) ** 2))
    x.retain_grad()  # an input: a no-op, its gradient is always kept
    assert x.grad is not None


def test_a_retained_gradient_accumulates_over_graphs_like_an_input():
    x = Tensor(2.0, requires_grad=True)
    h = x * x
    h.retain_grad()
    (3 * h).backward(retain_graph=True)
    (5 * h).backward()
    assert float(h.grad) == 8.0  # PyTorch: 3 + 5
    assert float(x.grad) == 8.0 * 4.0


def test_retained_gradients_with_create_graph_and_inputs():
    x = Tensor(2.0, requires_grad=True)
    h = x * x
    h.retain_grad()
    (h * h).backward(create_graph=True)  # ∂(h²)/∂h = 2h = 8
    assert float(h.grad.data) == 8.0
    assert float(x.grad.data) == 32.0  # 4x³
    y = Tensor(1.5, requires_grad=True)
    k = y * 2.0
    k.retain_grad()
    (k * k).backward(inputs=[y])
    assert float(k.grad) == 6.0
    _ = ad.grad(lambda t: (t * t).sum())(y)  # calcml.autodiff.grad touches no .grad
    assert float(k.grad) == 6.0


def test_retain_grad_is_refused_where_no_gradient_flows():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(1.0).retain_grad()
    with ad.no_grad():
        t = Tensor(1.0, requires_grad=True) * 2.0
    with pytest.raises(RuntimeError, match="does not require grad"):
        t.retain_grad()
    with pytest.raises(TypeError, match="retain_grads needs the Tensor"):
        ad.retain_grads(3.0)


def test_retain_grads_asks_every_node_of_a_graph():
    x = Tensor(2.0, requires_grad=True)
    y = ad.sin(x * x) + x
    ad.retain_grads(y)
    y.backward()
    nodes = topological_order(y, leaves=False)
    assert len(nodes) == 3  # x·x, sin, + x
    assert all(n.grad is not None for n in nodes)
    assert float(y.grad) == 1.0


def test_a_retained_node_is_let_go_of_with_its_graph():
    import gc
    import weakref

    x = Tensor(2.0, requires_grad=True)
    h = x * x
    h.retain_grad()
    ref = weakref.ref(h)
    (h * 3.0).backward()
    del h
    gc.collect()
    assert ref() is None  # the list of retained nodes does not keep them alive


def test_a_chain_of_10000_operations_needs_no_recursion():
    limit = sys.getrecursionlimit()
    x = Tensor(0.3, requires_grad=True)
    y, dual_y, slope = x, Dual(0.3, 1.0), 1.0
    for k in range(10_000):
        op = ("sin", "mul")[k % 2]
        if op == "sin":
            slope *= np.cos(y.data)  # the product of the local derivatives
            y, dual_y = y.sin(), dual_y.sin()
        else:
            slope *= 1.001
            y, dual_y = y * 1.001, dual_y * 1.001
    y.backward()
    assert sys.getrecursionlimit() == limit
    assert len(ad.topological_order(y)) == 10_001
    assert float(x.grad) == pytest.approx(slope, rel=1e-9)
    assert float(x.grad) == pytest.approx(float(dual_y.deriv), rel=1e-9)


def test_topological_order_lists_each_node_before_its_inputs():
    a = Tensor(1.0, requires_grad=True)
    b = Tensor(2.0, requires_grad=True)
    c = a * b
    d = c + a
    e = d * c
    order = ad.topological_order(e)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(node)] < position[id(parent)]
    assert {id(n) for n in order} == {id(n) for n in (a, b, c, d, e)}
    assert [id(n) for n in ad.topological_order(e, leaves=False)] == [id(e), id(d), id(c)]


def test_inputs_that_need_no_gradient_are_not_in_the_graph():
    x = Tensor(2.0, requires_grad=True)
    c = Tensor(5.0)
    y = x * c + np.float64(1.0)
    y.backward()
    assert c.grad is None
    assert float(x.grad) == 5.0
    assert not (c * c).requires_grad


def test_backward_of_an_input_itself_gives_one():
    x = Tensor(2.0, requires_grad=True)
    x.backward()
    assert float(x.grad) == 1.0


def test_backward_with_a_seed_is_a_vector_jacobian_product():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x  # Jacobian diag(2x)
    y.backward(np.array([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, -6.0])


def test_no_grad_records_nothing_and_restores_on_exit():
    w = Tensor([1.0], requires_grad=True)
    with ad.no_grad():
        y = w * 2
    assert not y.requires_grad
    assert (w * 2).requires_grad


def test_float32_stays_float32():
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    (x * 2.0).sum().backward()
    assert x.data.dtype == np.float32
    assert x.grad.dtype == np.float32


def test_tensor_copies_its_data():
    a = np.ones(3)
    t = Tensor(a, requires_grad=True)
    t.data -= 1.0
    np.testing.assert_array_equal(a, np.ones(3))


def test_ndarray_on_the_left_defers_to_the_tensor():
    W = Tensor(np.eye(2), requires_grad=True)
    y = (np.array([[1.0, 2.0]]) @ W).sum()
    y.backward()
    np.testing.assert_array_equal(W.grad, [[1.0, 1.0], [2.0, 2.0]])


def test_repr_and_properties():
    x = Tensor([[1.0, 2.0]], requires_grad=True, name="x")
    y = x * 2
    assert "requires_grad=True" in repr(x)
    assert "name='x'" in repr(x)
    assert "op='mul'" in repr(y)
    assert (y.shape, y.ndim, y.size, y.dtype, y.op, len(y)) == ((1, 2), 2, 2, np.float64, "mul", 1)
    assert y.parents == (x,)
    assert Tensor(3.5).item() == 3.5


# --- bad input: clear errors, never a bare NumPy traceback -----------------------------
def test_matmul_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\) @ \(2, 3\)"):
        Tensor(np.ones((2, 3)), requires_grad=True) @ np.ones((2, 3))


def test_broadcast_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3,\) and \(4,\).*'\+'"):
        Tensor(np.ones(3)) + np.ones(4)


def test_backward_on_a_non_scalar_needs_a_seed():
    y = Tensor(np.ones((2, 3)), requires_grad=True) * 2
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*\.sum\(\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"seed gradient has shape \(3,\)"):
        y.backward(np.ones(3))


def test_backward_without_any_gradient_to_compute():
    with pytest.raises(ValueError, match="does not require a gradient"):
        (Tensor(2.0) * 3).backward()


@pytest.mark.parametrize("bad", [0.0, -1.5])
def test_log_of_a_non_positive_value_names_it(bad):
    with pytest.raises(ValueError, match=rf"log needs positive input.*{bad}"):
        Tensor([1.0, bad, 2.0], requires_grad=True).log()
    with pytest.raises(ValueError, match="log needs positive input"):
        ad.log(Dual(bad, 1.0))


def test_sqrt_of_a_negative_value_names_it():
    with pytest.raises(ValueError, match=r"sqrt needs non-negative input.*-4.0"):
        Tensor([[1.0], [-4.0]]).sqrt()


@pytest.mark.parametrize(("targets", "error", "message"), [
    (np.array([0.0, 1.0, 2.0]), TypeError, "integer class labels, got dtype float64"),
    (np.array([0, 1, 5]), ValueError, r"0\.\.3 for 4 classes, got \[5\]"),
    (np.array([0, -1, 2]), ValueError, r"got \[-1\]"),
    (np.array([0, 1]), ValueError, r"shape \(3,\).*got shape \(2,\)"),
    (np.array([[0, 1, 2]]), ValueError, r"got shape \(1, 3\)"),
    (np.array([0, 1, 2], dtype=np.int8) - 3, ValueError, r"got \[-3, -2, -1\]"),
])
def test_cross_entropy_rejects_bad_targets(targets, error, message):
    logits = Tensor(np.zeros((3, 4)), requires_grad=True)
    with pytest.raises(error, match=message):
        ad.cross_entropy(logits, targets)


def test_cross_entropy_needs_2d_logits():
    with pytest.raises(ValueError, match=r"logits of shape \(n, C\), got shape \(4,\)"):
        ad.cross_entropy(Tensor(np.zeros(4)), [0])


@pytest.mark.parametrize("junk", ["abc", None, {"a": 1}, [1, "x"]])
def test_non_numeric_operands_are_a_type_error(junk):
    with pytest.raises(TypeError, match="cannot combine a Tensor"):
        Tensor([1.0]) + junk
    with pytest.raises(TypeError):
        Tensor(junk)


def test_linear_names_the_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match=r"\(4, 3\), \(2, 5\), \(5,\)"):
        ad.linear(np.ones((4, 3)), Tensor(np.ones((2, 5))), Tensor(np.ones(5)))


def test_reshape_and_index_errors_name_the_shape():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\) \(6 entries\) into shape \(4,\)"):
        t.reshape(4)
    with pytest.raises(IndexError, match=r"shape \(2, 3\)"):
        t[5]


def test_a_tensor_is_not_wrapped_twice():
    with pytest.raises(TypeError, match="already a Tensor"):
        Tensor(Tensor(1.0))


# --- forward mode -----------------------------------------------------------------------
def test_dual_numbers_follow_the_derivative_table():
    x0 = 0.7  # positive (log, sqrt) and away from the kinks of relu and abs
    for name, (f, df) in rules.ELEMENTWISE.items():
        out = getattr(Dual(x0, 1.0), name)()
        assert out.value == pytest.approx(f(x0))
        assert out.deriv == pytest.approx(df(x0, f(x0)))


def test_dual_arithmetic_is_the_sum_product_and_quotient_rules():
    def f(x):
        return (3 * x ** 2 - x / (1 + x)) * ad.exp(-x) + 2.0 ** x - 1 / x

    def f_ag(x):
        return (3 * x ** 2 - x / (1 + x)) * anp.exp(-x) + 2.0 ** x - 1 / x

    for x0 in (0.3, 1.0, 2.5):
        value, slope = ad.jvp(f, x0, 1.0)
        assert value == pytest.approx(f_ag(x0), rel=1e-12)
        assert slope == pytest.approx(autograd.grad(f_ag)(x0), rel=1e-12)


def test_dual_comparisons_use_the_value():
    x = Dual(2.0, 1.0)
    assert x > 1
    assert x >= 2
    assert x < 3
    assert x <= 2.0
    assert (-x).value == -2.0
    assert (+x) is x
    assert repr(Dual(2.0, 1.0)) == "Dual(2.0, 1.0)"


def test_jvp_jacfwd_and_jacrev_agree_with_autograd():
    A = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])

    def f(x):  # R³ → R²
        return A @ ad.tanh(x) * x[0]

    def f_ag(x):
        return anp.dot(A, anp.tanh(x)) * x[0]

    x0 = np.array([0.3, -0.8, 1.1])
    J = autograd.jacobian(f_ag)(x0)
    np.testing.assert_allclose(ad.jacfwd(f, x0), J, rtol=1e-12)
    np.testing.assert_allclose(ad.jacrev(f, x0), J, rtol=1e-12)
    v = np.array([1.0, 2.0, -1.0])
    value, tangent = ad.jvp(f, x0, v)
    np.testing.assert_allclose(value, f_ag(x0))
    np.testing.assert_allclose(tangent, J @ v, rtol=1e-12)
    u = np.array([0.5, -2.0])
    np.testing.assert_allclose(ad.vjp(f, x0, u)[1], u @ J, rtol=1e-12)


def test_jvp_of_a_function_that_ignores_its_input():
    value, tangent = ad.jvp(lambda x: 4.0, 1.0, 1.0)
    assert (value, float(tangent)) == (4.0, 0.0)


def test_jvp_needs_matching_shapes():
    with pytest.raises(ValueError, match=r"x has shape \(3,\), v has shape \(2,\)"):
        ad.jvp(ad.sin, np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="cannot combine a Dual"):
        Dual(1.0, 1.0) + "a"
    with pytest.raises(ValueError, match=r"deriv has shape \(2,\)"):
        Dual(np.ones(3), np.ones(2))


# --- functional API ---------------------------------------------------------------------
def test_grad_with_several_argnums():
    def f(x, y, c):
        return (x * y).sum() + c * (y ** 2).sum()

    x, y = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    gx, gy = ad.grad(f, argnums=(0, 1))(x, y, 10.0)
    np.testing.assert_array_equal(gx, y)
    np.testing.assert_array_equal(gy, x + 20.0 * y)
    value, gy_only = ad.value_and_grad(f, argnums=-2)(x, y, 10.0)
    assert float(value) == f(x, y, 10.0)
    np.testing.assert_array_equal(gy_only, gy)


def test_grad_of_a_constant_function_is_zero():
    np.testing.assert_array_equal(ad.grad(lambda x: 3.0)(np.ones(2)), np.zeros(2))


def test_grad_needs_a_scalar_output():
    with pytest.raises(ValueError, match=r"single number, got a tensor of shape \(2,\)"):
        ad.grad(lambda x: x * 2)(np.ones(2))
    with pytest.raises(ValueError, match="argnums 3"):
        ad.grad(lambda x: x, argnums=3)(1.0)


def test_vjp_checks_the_shape_of_u():
    with pytest.raises(ValueError, match=r"shape of f\(x\), \(2,\), got \(3,\)"):
        ad.vjp(lambda x: x * 2, np.ones(2), np.ones(3))


@pytest.mark.parametrize("module", [rules, dual, tensor, functional, ad])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_retained_node_that_a_walk_does_not_reach_keeps_its_gradient():
    x = Tensor(2.0, requires_grad=True)
    h = x * x
    h.retain_grad()
    other = h * 0.0 + x  # a path through h that carries no gradient back...
    (3 * h).backward(retain_graph=True)
    assert float(h.grad) == 3.0
    z = x * 1.0  # ... and a graph without h
    z.backward()
    assert float(h.grad) == 3.0  # untouched
    other.backward()
    assert float(h.grad) == 3.0  # 0 · (∂/∂h) added
