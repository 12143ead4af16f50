"""Lesson 07's formulas, checked symbolically, against finite differences and against the
engine ``calcml.autodiff``: limits along paths, the Jacobians of a layer, an activation and
softmax, the chain rule as a product of Jacobians and backpropagation as VJPs, |det J| as
the area stretch, Lagrange's condition and the multiplier as df*/dc, maximum entropy,
ridge regression as least squares on a ball (λ = −α, dMSE*/dc = −α), and the exercises."""

import itertools
import math

import numpy as np
import pytest
import sympy as sp

from calcml import autodiff as ad
from calcml.datasets import breast_cancer, diabetes, standardize
from calcml.exercises import evaluate
from calcml.exercises.lesson07 import problem_7_2, problem_7_3, problem_7_4
from calcml.multivariable import lagrange
from calcml.numdiff import gradient, jacobian

x, y, z, m, c = sp.symbols("x y z m c", real=True)


def shoelace(u, v):
    # centred first: the area does not move, and a tiny polygon far from the origin no longer
    # loses its digits to cancellation between products of size |u||v| (1e-5 for side 1e-4 at 1)
    u, v = u - u.mean(), v - v.mean()
    return 0.5 * abs(np.dot(u, np.roll(v, 1)) - np.dot(v, np.roll(u, 1)))


def square_image_area(F, corner, side, num=400):
    s = np.linspace(0, side, num, endpoint=False)
    cx, cy = corner
    edge = np.concatenate([np.stack([cx + s, cy + 0 * s]), np.stack([cx + side + 0 * s, cy + s]),
                           np.stack([cx + side - s, cy + side + 0 * s]),
                           np.stack([cx + 0 * s, cy + side - s])], axis=1)
    return shoelace(*F(edge))


# --- limits along paths ------------------------------------------------------------------

def test_xy_over_r2_along_lines_is_m_over_one_plus_m2():
    f = x * y / (x ** 2 + y ** 2)
    assert sp.simplify(f.subs(y, m * x) - m / (1 + m ** 2)) == 0
    # so the values along lines fill [-1/2, 1/2] and there is no limit
    assert sp.maximum(m / (1 + m ** 2), m) == sp.Rational(1, 2)
    assert sp.minimum(m / (1 + m ** 2), m) == -sp.Rational(1, 2)


def test_parabola_counterexample():
    g = x ** 2 * y / (x ** 4 + y ** 2)
    assert sp.limit(g.subs(y, m * x), x, 0) == 0
    assert sp.simplify(g.subs(y, x ** 2)) == sp.Rational(1, 2)


def test_contour_spacing_is_level_gap_over_gradient_norm():
    # f = x² + 4y²: from f = 1 to f = 1 + dl the distance along ∇f/|∇f| is ≈ dl / |∇f|
    for point, grad in (((1.0, 0.0), np.array([2.0, 0.0])), ((0.0, 0.5), np.array([0.0, 4.0]))):
        dl = 1e-4
        step = dl / np.linalg.norm(grad) ** 2 * grad
        moved = np.add(point, step)
        assert moved[0] ** 2 + 4 * moved[1] ** 2 == pytest.approx(1 + dl, rel=1e-7)


# --- the motivating loss -----------------------------------------------------------------

def test_logistic_gradient_formula_on_breast_cancer():
    data = breast_cancer()
    X = standardize(np.column_stack([data.column("mean radius"), data.column("mean texture")]))
    yy = data.y.astype(float)
    loss = lambda w: float(np.mean(np.logaddexp(0, X @ w) - yy * (X @ w)))
    grad = lambda w: X.T @ (1 / (1 + np.exp(-X @ w)) - yy) / len(yy)
    for w in ([2.0, 2.5], [-1.0, 0.3]):
        np.testing.assert_allclose(grad(np.array(w)), gradient(loss, w), rtol=1e-6, atol=1e-9)


# --- Jacobians ---------------------------------------------------------------------------

def test_polar_jacobian_and_determinant():
    r, t = sp.symbols("r theta", positive=True)
    J = sp.Matrix([r * sp.cos(t), r * sp.sin(t)]).jacobian([r, t])
    assert sp.Matrix([[sp.cos(t), -r * sp.sin(t)], [sp.sin(t), r * sp.cos(t)]]) == J
    assert sp.simplify(J.det()) == r


@pytest.fixture
def net():
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=3)
    return W, b, rng.normal(size=4)


def softmax(v):
    e = np.exp(v - np.max(v))
    return e / e.sum()


def softmax_ad(v):
    e = ad.exp(v)
    return e / e.sum()


def test_dense_layer_jacobian_is_W(net):
    W, b, x0 = net
    for J in (jacobian(lambda v: W @ v + b, x0), ad.jacfwd(lambda v: W @ v + b, x0),
              ad.jacrev(lambda v: W @ v + b, x0)):
        np.testing.assert_allclose(J, W, atol=1e-8)


def test_elementwise_activation_jacobian_is_diagonal(net):
    W, b, x0 = net
    z0 = W @ x0 + b
    want = np.diag(1 - np.tanh(z0) ** 2)
    np.testing.assert_allclose(jacobian(np.tanh, z0), want, atol=1e-9)
    np.testing.assert_allclose(ad.jacfwd(ad.tanh, z0), want, atol=1e-14)
    np.testing.assert_allclose(ad.jacrev(ad.tanh, z0), want, atol=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_softmax_jacobian_is_diag_p_minus_ppT(seed):
    z0 = np.random.default_rng(seed).normal(size=5) * 2
    p = softmax(z0)
    want = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(jacobian(softmax, z0), want, atol=1e-9)
    np.testing.assert_allclose(ad.jacfwd(softmax_ad, z0), want, atol=1e-14)
    np.testing.assert_allclose(ad.jacrev(softmax_ad, z0), want, atol=1e-14)
    np.testing.assert_allclose(want.sum(axis=1), 0, atol=1e-15)
    np.testing.assert_array_equal(want, want.T)
    # symbolically, for three scores: ∂p_i/∂z_j = p_i(δ_ij − p_j)
    zs = sp.symbols("z1:4")
    ps = [sp.exp(zi) / sum(sp.exp(zk) for zk in zs) for zi in zs]
    for i in range(3):
        for j in range(3):
            rule = ps[i] * ((1 if i == j else 0) - ps[j])
            assert sp.simplify(sp.diff(ps[i], zs[j]) - rule) == 0


def test_chain_rule_is_a_product_of_jacobians_and_backprop_is_vjps(net):
    W, b, x0 = net
    a0 = np.tanh(W @ x0 + b)
    q0 = softmax(a0)
    product = (np.diag(q0) - np.outer(q0, q0)) @ np.diag(1 - a0 ** 2) @ W
    assert product.shape == (3, 4)
    np.testing.assert_allclose(product, jacobian(lambda v: softmax(np.tanh(W @ v + b)), x0),
                               atol=1e-9)
    u = np.array([0.2, -1.0, 0.5])
    _, by_vjp = ad.vjp(lambda v: softmax_ad(ad.tanh(W @ v + b)), x0, u)
    step = ((u @ (np.diag(q0) - np.outer(q0, q0))) * (1 - a0 ** 2)) @ W
    np.testing.assert_allclose(by_vjp, u @ product, atol=1e-14)
    np.testing.assert_allclose(step, u @ product, atol=1e-14)


@pytest.mark.parametrize("corner", [(1.2, 1.0), (0.5, 2.5), (1.9, 0.1)])
def test_det_J_is_the_area_stretch_of_small_squares(corner):
    polar = lambda p: (p[0] * np.cos(p[1]), p[0] * np.sin(p[1]))
    errors = [abs(square_image_area(polar, corner, s) / s ** 2 - corner[0])
              for s in (0.1, 0.01, 0.001)]
    # the image of [r, r + s] × [θ, θ + s] has area exactly s·(r + s/2)·s: error s/2
    np.testing.assert_allclose(errors, [0.05, 0.005, 0.0005], rtol=1e-3)


# --- Lagrange multipliers ----------------------------------------------------------------

def test_xy_on_the_ellipse():
    found = lagrange(x * y, x ** 2 / 4 + y ** 2 - 1, [x, y])
    assert sorted(cand.value for cand in found) == [-1, -1, 1, 1]
    for cand in found:
        px, py = cand.point
        grad_f = sp.Matrix([py, px])
        grad_g = sp.Matrix([px / 2, 2 * py])
        assert sp.simplify(grad_f - cand.multiplier * grad_g) == sp.zeros(2, 1)
        assert sp.simplify(px ** 2 / 4 + py ** 2 - 1) == 0


def test_closest_point_of_a_plane():
    (cand,) = lagrange(x ** 2 + y ** 2 + z ** 2, sp.Eq(x + 2 * y + 3 * z, 6), [x, y, z])
    assert cand.point == (sp.Rational(3, 7), sp.Rational(6, 7), sp.Rational(9, 7))
    assert cand.value == sp.Rational(36, 14)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_maximum_entropy_is_uniform(n):
    p = sp.symbols(f"p1:{n + 1}", positive=True)
    (cand,) = lagrange(-sum(pi * sp.log(pi) for pi in p), sum(p) - 1, p)
    assert cand.point == (sp.Rational(1, n),) * n
    assert sp.simplify(cand.value - sp.log(n)) == 0


def test_entropy_of_random_distributions_is_below_log_n():
    q = np.random.default_rng(0).dirichlet(np.ones(10), size=20_000)
    assert np.max(-np.sum(q * np.log(q), axis=1)) < math.log(10)


def test_multiplier_is_df_star_dc():
    cp = sp.Symbol("c", positive=True)
    best = lagrange(x * y, x ** 2 / 4 + y ** 2 - cp, [x, y], params=[cp])[-1]
    assert sp.simplify(sp.diff(best.value, cp) - best.multiplier) == 0
    f_star = sp.lambdify(cp, best.value)
    h = 1e-5
    assert (f_star(1 + h) - f_star(1 - h)) / (2 * h) == pytest.approx(
        float(best.multiplier.subs(cp, 1)), rel=1e-8)


# --- ridge regression on a ball ------------------------------------------------------------

@pytest.fixture(scope="module")
def diabetes_data():
    data = diabetes()
    return standardize(data.X), data.y - data.y.mean()


def ridge(X, yy, alpha):
    n = len(yy)
    return np.linalg.solve(X.T @ X / n + alpha * np.eye(X.shape[1]), X.T @ yy / n)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 1.0, 10.0])
def test_ridge_solution_is_the_tangency_point_with_lambda_minus_alpha(diabetes_data, alpha):
    X, yy = diabetes_data
    w = ridge(X, yy, alpha)
    grad_mse = 2 * X.T @ (X @ w - yy) / len(yy)
    np.testing.assert_allclose(grad_mse, -alpha * 2 * w, rtol=1e-8, atol=1e-9)


def test_ridge_radius_shrinks_with_alpha_and_least_squares_is_alpha_zero(diabetes_data):
    X, yy = diabetes_data
    radii = [np.linalg.norm(ridge(X, yy, a)) for a in (0.01, 0.1, 1.0, 10.0)]
    assert all(r1 > r2 for r1, r2 in itertools.pairwise(radii))
    np.testing.assert_allclose(ridge(X, yy, 1e-12), np.linalg.lstsq(X, yy, rcond=None)[0],
                               rtol=1e-6)


@pytest.mark.parametrize("alpha", [0.1, 1.0, 10.0])
def test_dmse_star_dc_is_minus_alpha(diabetes_data, alpha):
    X, yy = diabetes_data
    mse = lambda w: np.mean((X @ w - yy) ** 2)
    h = 1e-4 * alpha
    lo, hi = ridge(X, yy, alpha - h), ridge(X, yy, alpha + h)
    assert (mse(hi) - mse(lo)) / (hi @ hi - lo @ lo) == pytest.approx(-alpha, rel=1e-6)



@pytest.mark.parametrize("alpha", [0.1, 1.0])
def test_scikit_learn_ridge_alpha_is_n_times_the_lessons(diabetes_data, alpha):
    """scikit-learn's Ridge minimises |Xw − y|² + alpha|w|²: the lesson's α is alpha / n."""
    from sklearn.linear_model import Ridge

    X, yy = diabetes_data
    model = Ridge(alpha=len(yy) * alpha, fit_intercept=False).fit(X, yy)
    np.testing.assert_allclose(model.coef_, ridge(X, yy, alpha), rtol=1e-8)


# --- the exercises' answers --------------------------------------------------------------

def test_exercise_answers():
    F, point = problem_7_2()
    assert evaluate("7.2", jacobian(F, point)).passed
    zz = problem_7_3()
    assert evaluate("7.3", ad.jacfwd(softmax_ad, zz)).passed
    W, b, x0 = problem_7_4()
    assert evaluate("7.4", ad.jacfwd(lambda v: ad.tanh(W @ v + b), x0)).passed
    square = lambda p: (p[0] ** 2 - p[1] ** 2, 2 * p[0] * p[1])
    # a tiny square centred on (1, 0.5): image area / side² → |det J| = 5
    assert square_image_area(square, (1 - 5e-5, 0.5 - 5e-5), 1e-4) / 1e-8 == pytest.approx(5, rel=1e-6)
    assert evaluate("7.5", 5.0).passed
    (_, best) = lagrange("3x + 4y", "x^2 + y^2 = 1", ["x", "y"])
    assert evaluate("7.6", [float(v) for v in best.point]).passed
    assert evaluate("7.7", float(best.multiplier)).passed
    assert evaluate("7.1", 3 / 10).passed


def test_change_of_density_under_a_map_normalising_flow():
    # x ~ N(0, 1), F(x) = eˣ: log p_out(F(x)) = log p_in(x) − log|F'(x)| is the log-normal density
    from scipy import stats

    xs = np.linspace(-2, 2, 9)
    lhs = stats.lognorm(s=1.0).logpdf(np.exp(xs))
    rhs = stats.norm.logpdf(xs) - np.log(np.abs(np.exp(xs)))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    # in two dimensions: an invertible linear map A, p_out(Ax) = p_in(x) / |det A|
    A = np.array([[2.0, 0.5], [0.3, 1.0]])
    pts = np.random.default_rng(0).normal(size=(5, 2))
    out = stats.multivariate_normal(cov=A @ A.T).logpdf(pts @ A.T)
    np.testing.assert_allclose(out, stats.multivariate_normal(cov=np.eye(2)).logpdf(pts)
                               - np.log(abs(np.linalg.det(A))), rtol=1e-12)
