"""A port of HIPS autograd's core, graph, numpy, binary-op and systematic tests.

Written for calcml (not copied): autograd's ``check_grads(f)(*args)`` checks reverse mode
(a vector-Jacobian product against central differences), forward mode (a Jacobian-vector
product) and, at order 2, the derivative of the derivative. Here :func:`check_grads` does
the same with ``calcml.autodiff``: reverse mode by ``ad.vjp``, forward mode by ``ad.jvp``
(dual numbers) and order 2 by reverse over reverse. The functions are written once with
``calcml.autodiff``'s functions and the Tensor methods, so that the same code runs on
arrays (for the differences), Tensors and Duals.

In scope: real arithmetic with broadcasting, the elementary functions of the course,
sum/mean/max with axis and keepdims, dot/matmul, reshape, transpose, indexing, fan-out,
nested and higher derivatives. Out of scope (not in the documented API): complex numbers,
np.prod/var/std/cumsum/concatenate and the other NumPy functions without a rule, which
raise a TypeError naming the Tensor methods (tested at the end), and forward-over-reverse.
"""

import itertools

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Tensor

rs = np.random.default_rng(0)
EPS, RTOL, ATOL = 1e-6, 1e-5, 1e-6


def _numeric_directional(f, args, i, v):
    """(f(x + εv) − f(x − εv)) / 2ε in argument i: J v by central differences."""
    up = [a + EPS * v if k == i else a for k, a in enumerate(args)]
    down = [a - EPS * v if k == i else a for k, a in enumerate(args)]
    return (np.asarray(f(*up), dtype=float) - np.asarray(f(*down), dtype=float)) / (2 * EPS)


def _value(out):
    return out.data if isinstance(out, Tensor) else np.asarray(out, dtype=float)


def check_grads(f, modes=("fwd", "rev"), order=2):
    """autograd's check_grads, for calcml: J v (forward) and uᵀJ v (reverse) against
    differences for every argument; at order 2, the same for x ↦ ⟨uᵀJ(x), w⟩."""

    def check(*args):
        args = [np.asarray(a, dtype=float) for a in args]
        for i in range(len(args)):
            def f_i(x, i=i):
                return f(*[x if k == i else a for k, a in enumerate(args)])

            out = _value(f_i(args[i]))
            v = rs.normal(size=np.shape(args[i]))
            numeric = _numeric_directional(f, args, i, v)
            if "fwd" in modes:
                _, tangent = ad.jvp(f_i, args[i], v)
                np.testing.assert_allclose(tangent, numeric, rtol=RTOL, atol=ATOL)
            if "rev" in modes:
                u = rs.normal(size=np.shape(out))
                _, vjp = ad.vjp(f_i, args[i], u)
                assert np.shape(vjp) == np.shape(args[i])
                np.testing.assert_allclose(np.sum(vjp * v), np.sum(u * numeric), rtol=RTOL,
                                           atol=ATOL)
                if order > 1:
                    w = rs.normal(size=np.shape(args[i]))

                    def projected(x, u=u, w=w, f_i=f_i):
                        return (ad.vjp(f_i, x, u)[1] * w).sum()

                    check_grads(lambda x, p=projected: p(x), modes=("rev",), order=1)(
                        args[i])

    return check


def gap_from_zero(x):
    return np.sqrt(np.asarray(x) ** 2 + 0.5)


# --- test_core.py: the binary operators at (0.7, 1.8), each argument ---------------------
@pytest.mark.parametrize("fun", [
    lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x / y, lambda x, y: x * y,
    lambda x, y: x ** y,
], ids=["add", "sub", "div", "mul", "pow"])
def test_core_binary(fun):
    check_grads(fun)(0.7, 1.8)


@pytest.mark.parametrize("fun", [
    lambda x, y: x == y, lambda x, y: x != y, lambda x, y: x <= y, lambda x, y: x >= y,
    lambda x, y: x < y, lambda x, y: x > y,
], ids=["eq", "neq", "leq", "geq", "lt", "gt"])
def test_core_comparisons_have_zero_gradient(fun):
    for argnums in (0, 1):
        assert float(ad.grad(fun, argnums)(0.7, 1.8)) == 0.0


# --- test_graphs.py -------------------------------------------------------------------------
def test_grad_fanout():
    fun = lambda x: ad.sin(ad.sin(x) + ad.sin(x))
    check_grads(fun)(rs.normal())
    check_grads(ad.grad(fun), modes=("rev",))(rs.uniform())


def test_grad_const():
    assert float(ad.grad(lambda x: 1.0)(2.0)) == 0.0


def test_grad_identity():
    df = ad.grad(lambda x: x)
    assert float(df(2.0)) == 1.0
    assert float(ad.grad(df)(2.0)) == 0.0


def test_hess_vector_prod():
    randv = rs.normal(size=10)

    def fun(x):
        return ad.sin(x @ randv)

    df = ad.grad(fun)

    def vector_product(x, v):
        return ad.sin(v @ df(x))

    A, B = rs.normal(size=10), rs.normal(size=10)
    check_grads(fun)(A)
    check_grads(vector_product, modes=("rev",))(A, B)


def test_enclosing_scope_ref():
    def fun(x):
        return x * ad.grad(lambda y: x * y)(2.0)

    check_grads(fun, modes=("rev",))(1.0)
    assert float(ad.grad(fun)(1.0)) == 2.0


def test_enclosing_scope_ref_2():
    def fun(x):
        return x * ad.grad(lambda y: y * x)(2.0)

    check_grads(fun, modes=("rev",))(1.0)


def test_mutating_outgrad():
    def fun(a):
        b = a + 1.0
        c = b + 1.5
        d = a + b
        return d + c

    check_grads(fun)(rs.normal(size=5))


def test_mutating_outgrad_from_indexing():
    def fun(a):
        b = a + 1.0
        c = b[0] + 1.5
        d = a + b
        return d + c

    check_grads(fun)(rs.normal(size=5))


def test_third_derivative():
    fun = lambda x: ad.sin(ad.sin(x) + ad.sin(x))
    df, ddf = ad.grad(fun), ad.grad(ad.grad(fun))
    check_grads(fun)(rs.normal())
    check_grads(df, modes=("rev",))(rs.uniform())
    check_grads(ddf, modes=("rev",))(rs.uniform())


@pytest.mark.parametrize("first", [0, 1])
def test_third_derivative_other_args(first):
    fun = lambda x, y: ad.sin(ad.sin(x) + ad.sin(y))
    df = ad.grad(fun, first)
    ddf = ad.grad(df, 1 - first)
    dddf = ad.grad(ddf, first)
    for g in (fun, df, ddf, dddf):
        check_grads(g, modes=("rev",) if g is not fun else ("fwd", "rev"))(
            rs.normal(), rs.normal())


@pytest.mark.parametrize(("axis", "keepdims", "shape"), [
    (None, True, (3, 3)), (0, False, (3, 1)), (1, False, (1, 3)), (0, True, (3, 1)),
    (1, True, (1, 3)),
])
def test_singleton_array_output(axis, keepdims, shape):
    def fun(x):
        return ad.sin(x).sum(axis=axis, keepdims=keepdims)

    A = rs.normal(size=shape)
    check_grads(fun)(A)
    check_grads(lambda x: ad.grad(fun)(x).sum(), modes=("rev",))(A)


def test_assignment_raises_error():
    def fun(A, b):
        A[1] = b
        return A

    with pytest.raises(TypeError):
        ad.grad(lambda A: fun(A, 3.0).sum())(rs.normal(size=5))


# --- test_binary_ops.py: every pair of scalar, vector, matrix, row (broadcasting) ---------
def arg_pairs():
    scalar, vector, mat, mat2 = 2.0, rs.normal(size=4), rs.normal(size=(3, 4)), rs.normal(
        size=(1, 4))
    return list(itertools.product([scalar, vector, mat, mat2], repeat=2))


@pytest.mark.parametrize("fun", [lambda x, y: x * y, lambda x, y: x + y,
                                 lambda x, y: x - y], ids=["mul", "add", "sub"])
def test_binary_ops(fun):
    for a, b in arg_pairs():
        check_grads(fun)(a, b)


def test_binary_div():
    for a, b in arg_pairs():
        check_grads(lambda x, y: x / y)(gap_from_zero(a), gap_from_zero(b))


def test_binary_pow():
    for a, b in arg_pairs():
        check_grads(lambda x, y: x ** y)(np.abs(a) + 1.1, b)


def test_binary_maximum_and_minimum():  # reverse mode: Dual has no maximum
    for a, b in arg_pairs():
        if np.shape(a) == np.shape(b):
            b = b + 0.5  # no ties: the derivative is undefined there
        check_grads(lambda x, y: np.maximum(x, y) * 1.0, modes=("rev",))(a, b)
        check_grads(lambda x, y: np.minimum(x, y) * 1.0, modes=("rev",))(a, b)


def test_comparison_grads_are_zero():
    for a, b in arg_pairs():
        assert np.all(ad.grad(lambda x, b=b: (x == b).sum() * 1.0)(np.asarray(a)) == 0)


# --- test_systematic.py / test_scalar_ops.py: unary functions and statistics -------------
def transform(lims, x):
    return x * (lims[1] - lims[0]) + lims[0]


UNARY = [
    ("sin", ad.sin, None), ("cos", ad.cos, None), ("tanh", ad.tanh, None),
    ("exp", ad.exp, None), ("log", ad.log, [0.2, 2.0]), ("sqrt", ad.sqrt, [1.0, 3.0]),
    ("abs", ad.abs, [0.1, 4.0]), ("neg", lambda x: -x, None),
    ("square", lambda x: x * x, None), ("reciprocal", lambda x: 1.0 / x, [0.5, 2.0]),
    ("sigmoid", ad.sigmoid, None), ("softplus", ad.softplus, None),
    ("relu", ad.relu, [0.1, 2.0]),
]


@pytest.mark.parametrize(("name", "fun", "lims"), UNARY, ids=[u[0] for u in UNARY])
def test_unary_ufunc(name, fun, lims):
    lims = lims or [-2, 2]
    for x in (transform(lims, 0.4), transform(lims, rs.uniform(size=2)),
              transform(lims, rs.uniform(size=(3, 2))), transform(lims, rs.uniform(size=(1, 2)))):
        check_grads(fun)(x)


NUMPY_UNARY = [np.sin, np.cos, np.tanh, np.exp, np.negative, np.square]


@pytest.mark.parametrize("fun", NUMPY_UNARY, ids=[f.__name__ for f in NUMPY_UNARY])
def test_numpy_unary_ufunc_on_tensors(fun):  # as autograd's tests call np.sin on boxes
    check_grads(lambda x: fun(x) * 1.0, modes=("rev",))(rs.uniform(size=(3, 2)))


@pytest.mark.parametrize("stat", ["sum", "mean", "max"])
def test_stat(stat):
    B, C, D = rs.normal(size=3), rs.normal(size=(2, 3)), rs.normal(size=(1, 3))
    check_grads(lambda x: getattr(x, stat)() * 1.0)(np.array(3.5))
    for X, axes in ((B, [None, 0]), (C, [None, 0, 1]), (D, [None, 0, 1])):
        for axis in axes:
            for keepdims in (True, False):
                check_grads(lambda x, a=axis, k=keepdims: getattr(x, stat)(axis=a, keepdims=k))(X)


# --- test_numpy.py ----------------------------------------------------------------------------
def test_dot():
    mat1, mat2 = rs.normal(size=(10, 11)), rs.normal(size=(10, 11))
    vect1, vect2, vect3 = rs.normal(size=10), rs.normal(size=11), rs.normal(size=11)
    for a, b in ((mat1, vect2), (mat1, mat2.T), (vect1, mat1), (vect2, vect3)):
        check_grads(lambda x, y: x @ y)(a, b)
        check_grads(lambda x, y: np.dot(x, y), modes=("rev",))(a, b)


def test_dot_with_floats():
    mat1, vect1, float1 = rs.normal(size=(10, 11)), rs.normal(size=10), rs.normal()
    for a, b in ((mat1, float1), (float1, mat1), (vect1, float1), (float1, vect1)):
        check_grads(lambda x, y: np.dot(x, y), modes=("rev",))(a, b)


def test_max_axis_and_keepdims():
    mat = rs.normal(size=(3, 4, 5))
    check_grads(lambda x: x.max())(mat)
    check_grads(lambda x: x.max(axis=1))(mat)
    check_grads(lambda x: x.max(axis=1, keepdims=True))(mat)


def test_sum_variants():
    mat, cube = rs.normal(size=(10, 11)), rs.normal(size=(10, 11, 7))
    check_grads(lambda x: x.sum())(mat)
    check_grads(lambda x: x.sum(axis=0))(mat)
    check_grads(lambda x: x.sum(axis=0, keepdims=True))(mat)
    check_grads(lambda x: x.sum(axis=(1, 2)))(cube)
    check_grads(lambda x: np.sum(x, axis=(1, 2)), modes=("rev",))(cube)


def test_mean_variants():
    mat = rs.normal(size=(3, 4))
    for axis in (None, 0, 1):
        check_grads(lambda x, a=axis: x.mean(axis=a))(mat)
        check_grads(lambda x, a=axis: np.mean(x, axis=a), modes=("rev",))(mat)


A3 = rs.normal(size=(5, 6, 4))


@pytest.mark.parametrize("fun", [
    lambda x: x[3, 0, 1],
    lambda x: x[::-1, 2:4, :],
    lambda x: x[[0, 1, 2], :, :],
    lambda x: x[3, 2:, [1, 3]],
    lambda x: x[::-1, 2:4, :] + x[::-1, 3:5, :],
    lambda x: x.reshape((5 * 4, 6)),
    lambda x: x.reshape(5 * 4, 6),
    lambda x: x.reshape(-1),
    lambda x: x.T,
    lambda x: x.transpose(1, 0, 2),
], ids=["index_ints", "index_slice", "index_lists", "index_mixed", "index_slice_fanout",
        "reshape_method", "reshape_nolist", "ravel", "transpose", "transpose_axes"])
def test_indexing_and_shapes(fun):
    check_grads(fun)(A3)


def test_vector_slice_and_multiple_slices():
    check_grads(lambda x: x[2:4])(rs.normal(size=5))
    check_grads(lambda x: x[2:6][1:3])(rs.normal(size=7))


def test_reshape_and_transpose_calls():
    check_grads(lambda x: np.reshape(x, (5 * 4, 6)), modes=("rev",))(A3)
    check_grads(lambda x: np.transpose(x), modes=("rev",))(A3)


def test_len():
    assert len(Tensor(np.zeros((3, 2)))) == 3


@pytest.mark.parametrize("fun", [np.prod, np.var, np.std, np.cumsum, np.ravel,
                                 lambda x: np.concatenate([x, x])])
def test_numpy_functions_outside_the_api_are_refused_clearly(fun):
    with pytest.raises(TypeError, match="Tensor methods"):
        fun(Tensor(rs.normal(size=3), requires_grad=True))


def test_checker_catches_a_wrong_rule():
    """The port's checker is able to fail: a deliberately wrong derivative is caught."""
    from calcml.autodiff import rules

    original = rules.VJP["sin"]
    rules.VJP["sin"] = (lambda g, ans, x: g * 2.0 * np.cos(x),)
    check = check_grads(ad.sin, modes=("rev",), order=1)
    try:
        with pytest.raises(AssertionError):
            check(rs.normal(size=3))
    finally:
        rules.VJP["sin"] = original
