"""Lesson 08's formulas, checked symbolically and numerically: the Hessian's symmetry and
numdiff's accuracy, the O(|h|³) error of the quadratic approximation, curvatures as
eigenvalues, the second-derivative test (inconclusive cases included), the scarcity of
minima among random critical points, Newton's quadratic convergence and its constant,
pure Newton at saddles and the damped fix, the logistic Hessian XᵀSX/n (PSD, against
numdiff and scikit-learn), κ and gradient descent's step counts, Hessian–vector products
(by gradient differences and exactly by the engine's nested grad), and the exercises."""

import itertools
import math

import numpy as np
import pytest
import sympy as sp

from calcml.datasets import breast_cancer, standardize
from calcml.exercises import evaluate
from calcml.exercises.lesson08 import problem_8_4
from calcml.multivariable import classify, critical_points
from calcml.numdiff import hessian
from calcml.optimize import gradient_descent, newton

x, y = sp.symbols("x y", real=True)
F = sp.sin(x) * sp.exp(y) + x ** 2 * y
POINT = (0.5, 0.2)


def at(expr, point=POINT):
    return expr.subs({x: point[0], y: point[1]})


def test_hessian_is_symmetric_and_numdiff_agrees():
    H = sp.hessian(F, (x, y))
    assert sp.simplify(H - H.T) == sp.zeros(2, 2)
    f = sp.lambdify([(x, y)], F, "numpy")
    exact = np.array(at(H), dtype=float)
    assert np.abs(hessian(f, POINT) - exact).max() <= 1e-6 * np.abs(exact).max()


def test_quadratic_approximation_error_is_cubic():
    f = sp.lambdify([(x, y)], F, "numpy")
    a = np.array(POINT)
    g = np.array([float(at(sp.diff(F, v))) for v in (x, y)])
    H = np.array(at(sp.hessian(F, (x, y))), dtype=float)
    u = np.array([0.6, -0.8])
    lin, quad = [], []
    for t in 0.2 / 2.0 ** np.arange(5):
        h = t * u
        lin.append(abs(f(a + h) - f(a) - g @ h))
        quad.append(abs(f(a + h) - f(a) - g @ h - 0.5 * h @ H @ h))
    lin_ratios = np.array(lin[:-1]) / np.array(lin[1:])
    quad_ratios = np.array(quad[:-1]) / np.array(quad[1:])
    assert lin_ratios[-1] == pytest.approx(4, rel=0.02)
    assert quad_ratios[-1] == pytest.approx(8, rel=0.02)


def test_curvature_along_u_is_uHu_and_its_extremes_are_the_eigenvalues():
    f = sp.lambdify([(x, y)], F, "numpy")
    H = np.array(at(sp.hessian(F, (x, y))), dtype=float)
    u = np.array([np.cos(0.4), np.sin(0.4)])
    t = 1e-4
    second = (f(np.add(POINT, t * u)) - 2 * f(np.array(POINT)) + f(np.subtract(POINT, t * u))) / t ** 2
    assert second == pytest.approx(u @ H @ u, rel=1e-5)
    angles = np.linspace(0, np.pi, 3601)
    U = np.stack([np.cos(angles), np.sin(angles)])
    curv = np.einsum("ik,ij,jk->k", U, H, U)
    lo, hi = np.linalg.eigvalsh(H)
    assert curv.min() == pytest.approx(lo, abs=1e-5)
    assert curv.max() == pytest.approx(hi, abs=1e-5)


def test_lesson_examples_are_classified_as_stated():
    kinds = {text: [(p.point, p.kind) for p in critical_points(text, ["x", "y"])]
             for text in ("x^3 - 3x + y^2", "x*y*exp(-(x^2 + y^2)/2)", "x^4 + y^4",
                          "x^3 - 3*x*y^2")}
    assert kinds["x^3 - 3x + y^2"] == [((-1, 0), "saddle"), ((1, 0), "minimum")]
    assert sorted(k for _, k in kinds["x*y*exp(-(x^2 + y^2)/2)"]) == [
        "maximum", "maximum", "minimum", "minimum", "saddle"]
    assert kinds["x^4 + y^4"] == [((0, 0), "inconclusive")]
    assert kinds["x^3 - 3*x*y^2"] == [((0, 0), "inconclusive")]
    # the higher-order terms decide: x⁴ + y⁴ ≥ 0 (a minimum), the monkey saddle changes sign
    assert sp.simplify((x ** 3 - 3 * x * y ** 2).subs(y, 0)) == x ** 3


def test_positive_diagonal_does_not_mean_positive_definite():
    eig = np.linalg.eigvalsh(np.array([[1.0, 2.0], [2.0, 1.0]]))
    np.testing.assert_allclose(eig, [-1, 3])
    assert classify(np.array([[2.0, 3.0], [3.0, 2.0]]))[0] == "saddle"


def test_minima_are_rarer_than_fair_coins_in_high_dimension():
    rng = np.random.default_rng(0)
    fractions = []
    for d in (1, 2, 3, 4, 5):
        G = rng.normal(size=(20_000, d, d))
        smallest = np.linalg.eigvalsh((G + G.transpose(0, 2, 1)) / 2)[:, 0]
        fractions.append(np.mean(smallest > 0))
    assert fractions[0] == pytest.approx(0.5, abs=0.02)
    assert all(f < 0.5 ** d for f, d in zip(fractions[1:], (2, 3, 4, 5), strict=True))
    assert all(a > b for a, b in itertools.pairwise(fractions))


def test_newton_step_is_the_minimum_of_the_quadratic_model():
    g, H = np.array([5.0, 3.0]), np.array([[12.0, 1.0], [1.0, 2.0]])
    p = np.linalg.solve(H, -g)
    model = lambda q: g @ q + 0.5 * q @ H @ q
    rng = np.random.default_rng(1)
    assert all(model(p) < model(p + 1e-3 * rng.normal(size=2)) for _ in range(20))


def test_newton_converges_quadratically_with_constant_one_half():
    run = newton(lambda t: np.exp(t) - 2, lambda t: np.exp(t), 2.0, num_steps=10, tol=1e-14)
    e = np.abs(run.xs[:, 0] - math.log(2))
    e = e[e > 0]
    order = np.log(e[2:] / e[1:-1]) / np.log(e[1:-1] / e[:-2])
    assert order[-1] == pytest.approx(2, abs=0.05)
    # e_{k+1}/e_k² → |f'''/(2f'')| = 1/2 at the minimum (f'' = f''' = eˣ)
    assert e[-1] / e[-2] ** 2 == pytest.approx(0.5, abs=0.02)


def rosen(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def rosen_grad(p):
    return np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)])


def rosen_hess(p):
    return np.array([[2 - 400 * (p[1] - p[0] ** 2) + 800 * p[0] ** 2, -400 * p[0]],
                     [-400 * p[0], 200.0]])


def test_rosenbrock_newton_against_gradient_descent():
    nt = newton(rosen_grad, rosen_hess, [-1.2, 1.0], num_steps=50, tol=1e-3, f=rosen)
    gd = gradient_descent(rosen_grad, [-1.2, 1.0], lr=1e-3, num_steps=50_000, tol=1e-3)
    assert nt.converged
    assert gd.converged
    assert nt.num_steps < 10
    assert gd.num_steps > 10_000
    assert nt.values[2] > nt.values[1]  # pure Newton's second step goes uphill


def test_first_rosenbrock_step_matches_exact_arithmetic():
    f = (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
    point = {x: -sp.Rational(6, 5), y: 1}
    step = -sp.hessian(f, (x, y)).subs(point).inv() @ sp.Matrix([sp.diff(f, v) for v in (x, y)]).subs(point)
    nt = newton(rosen_grad, rosen_hess, [-1.2, 1.0], num_steps=1)
    np.testing.assert_allclose(nt.xs[1] - nt.xs[0], np.array(step, dtype=float).ravel(), atol=1e-14)


def test_pure_newton_finds_the_saddle_and_damped_newton_a_minimum():
    f = lambda p: p[0] ** 4 / 4 - p[0] ** 2 / 2 + p[1] ** 2
    g = lambda p: np.array([p[0] ** 3 - p[0], 2 * p[1]])
    H = lambda p: np.array([[3 * p[0] ** 2 - 1, 0.0], [0.0, 2.0]])
    pure = newton(g, H, [0.3, 0.8], num_steps=30, tol=1e-10, f=f)
    damped = newton(g, H, [0.3, 0.8], num_steps=30, tol=1e-10, f=f, damping=0.1)
    np.testing.assert_allclose(pure.x, [0, 0], atol=1e-10)
    assert "saddle" in pure.message
    np.testing.assert_allclose(np.abs(damped.x), [1, 0], atol=1e-8)
    assert np.all(np.diff(damped.values) <= 0)


# --- logistic regression -----------------------------------------------------------------

@pytest.fixture(scope="module")
def logistic():
    data = breast_cancer()
    X = np.column_stack([np.ones(len(data.y)), standardize(data.X)])
    yy = data.y.astype(float)
    n, d = X.shape
    alpha = 1 / n
    P = np.diag([0.0] + [1.0] * (d - 1))
    sig = lambda z: 1 / (1 + np.exp(-z))

    def loss(w):
        return np.mean(np.logaddexp(0, X @ w) - yy * (X @ w)) + 0.5 * alpha * w @ P @ w

    def grad(w):
        return X.T @ (sig(X @ w) - yy) / n + alpha * P @ w

    def hess(w):
        p = sig(X @ w)
        return X.T @ ((p * (1 - p))[:, None] * X) / n + alpha * P

    return {"X": X, "y": yy, "loss": loss, "grad": grad, "hess": hess, "alpha": alpha, "P": P}


def test_logistic_hessian_formula_is_psd_and_matches_numdiff(logistic):
    rng = np.random.default_rng(3)
    w = rng.normal(size=logistic["X"].shape[1]) * 0.3
    H = logistic["hess"](w)
    H_num = hessian(logistic["loss"], w)
    assert np.abs(H - H_num).max() <= 1e-6 * np.abs(H).max()
    S_part = H - logistic["alpha"] * logistic["P"]
    assert np.linalg.eigvalsh(S_part).min() >= -1e-12
    v = rng.normal(size=len(w))
    X = logistic["X"]
    p = 1 / (1 + np.exp(-X @ w))
    assert v @ S_part @ v == pytest.approx(np.sum(p * (1 - p) * (X @ v) ** 2) / len(p), rel=1e-10)


def test_newton_matches_scikit_learn_and_beats_gradient_descent(logistic):
    from sklearn.linear_model import LogisticRegression

    w0 = np.zeros(logistic["X"].shape[1])
    nt = newton(logistic["grad"], logistic["hess"], w0, num_steps=50, tol=1e-12)
    ref = LogisticRegression(C=1.0, tol=1e-12, max_iter=10_000, solver="newton-cg")
    ref.fit(logistic["X"][:, 1:], logistic["y"])
    w_ref = np.concatenate([ref.intercept_, ref.coef_[0]])
    assert np.abs(nt.x - w_ref).max() < 1e-6
    lr = 1 / np.linalg.eigvalsh(logistic["hess"](w0)).max()
    gd = gradient_descent(logistic["grad"], w0, lr=lr, num_steps=30_000, tol=1e-6)
    nt6 = newton(logistic["grad"], logistic["hess"], w0, num_steps=50, tol=1e-6)
    assert gd.converged
    assert nt6.num_steps <= 10
    assert gd.num_steps > 1000


def test_curvature_is_largest_at_zero_so_one_over_L_is_safe(logistic):
    # p(1 − p) ≤ 1/4 with equality at w = 0: H(w) ⪯ H(0)
    rng = np.random.default_rng(4)
    L0 = np.linalg.eigvalsh(logistic["hess"](np.zeros(31))).max()
    for _ in range(5):
        w = rng.normal(size=31)
        assert np.linalg.eigvalsh(logistic["hess"](w)).max() <= L0 + 1e-12


def test_hessian_vector_product_by_gradient_differences_is_second_order(logistic):
    rng = np.random.default_rng(5)
    w, v = rng.normal(size=31) * 0.3, rng.normal(size=31)
    exact = logistic["hess"](w) @ v
    errs = []
    for eps in (1e-2, 5e-3):
        fd = (logistic["grad"](w + eps * v) - logistic["grad"](w - eps * v)) / (2 * eps)
        errs.append(np.linalg.norm(fd - exact))
    assert errs[0] / errs[1] == pytest.approx(4, rel=0.05)



def test_hessian_vector_product_is_the_gradient_of_the_gradient_along_v():
    """Hv = ∇(∇f · v), symbolically, for the lesson's f and any v."""
    v1, v2 = sp.symbols("v1 v2", real=True)
    directional = sum(sp.diff(F, s) * vs for s, vs in zip((x, y), (v1, v2), strict=True))
    lhs = sp.Matrix([sp.diff(directional, s) for s in (x, y)])
    assert sp.simplify(lhs - sp.hessian(F, (x, y)) @ sp.Matrix([v1, v2])) == sp.zeros(2, 1)


def test_hessian_vector_product_by_the_engine_is_exact(logistic):
    """The engine's nested grad gives Hv to rounding error, against XᵀS(Xv)/n + αPv, the
    formed Hessian and the gradient difference (which is second order, then loses digits)."""
    from calcml import autodiff as ad

    X, yy, alpha, P = logistic["X"], logistic["y"], logistic["alpha"], logistic["P"]
    n, d = X.shape
    penalised = np.diag(P)

    def loss_ad(w):
        z = X @ w
        return (ad.softplus(z) - yy * z).mean() + 0.5 * alpha * (penalised * w * w).sum()

    rng = np.random.default_rng(6)
    w, v = rng.normal(size=d) * 0.3, rng.normal(size=d)
    # the penalty as the prose writes it: ½α Σ_{j ≥ 1} w_j² = ½α wᵀPw (no bias term)
    assert 0.5 * alpha * w @ P @ w == pytest.approx(0.5 * alpha * np.sum(w[1:] ** 2), rel=1e-14)
    assert float(loss_ad(ad.Tensor(w))) == pytest.approx(logistic["loss"](w), rel=1e-14)
    g = ad.grad(loss_ad)(w)
    assert isinstance(g, np.ndarray)
    np.testing.assert_allclose(g, logistic["grad"](w), rtol=1e-12, atol=1e-15)

    hv = ad.grad(lambda w_: ad.grad(loss_ad)(w_) @ v)(w)
    assert isinstance(hv, np.ndarray)
    assert hv.shape == (d,)
    p = 1 / (1 + np.exp(-X @ w))
    closed = X.T @ (p * (1 - p) * (X @ v)) / n + alpha * P @ v
    relative = lambda a: np.linalg.norm(a - closed) / np.linalg.norm(closed)
    assert relative(hv) < 1e-13
    assert relative(logistic["hess"](w) @ v) < 1e-13
    fd = {eps: relative((logistic["grad"](w + eps * v) - logistic["grad"](w - eps * v)) / (2 * eps))
          for eps in (1e-2, 1e-4, 1e-6, 1e-8)}
    assert fd[1e-2] / fd[1e-4] == pytest.approx(1e4, rel=0.05)  # O(ε²)
    assert fd[1e-8] > fd[1e-6]  # rounding error / 2ε takes over
    assert relative(hv) < min(fd.values()) / 1e3
    # d HVPs at once: the engine's whole Hessian, jacrev of grad, is XᵀSX/n + αP
    H_engine = ad.jacrev(ad.grad(loss_ad), w)
    H = logistic["hess"](w)
    assert np.abs(H_engine - H).max() <= 1e-13 * np.abs(H).max()


# --- the exercises -------------------------------------------------------------------------

def test_exercise_answers():
    f = lambda v: v[0] ** 3 * v[1] + np.exp(v[0] * v[1])
    assert evaluate("8.1", hessian(f, [2.0, 0.5])).passed
    (origin,) = critical_points("x^2 + 3x*y + y^2", ["x", "y"])
    assert evaluate("8.2", origin.kind).passed
    g = lambda v: np.array([4 * v[0] ** 3 + v[1], 2 * v[1] + v[0]])
    H = lambda v: np.array([[12 * v[0] ** 2, 1.0], [1.0, 2.0]])
    assert evaluate("8.3", newton(g, H, [1.0, 1.0], num_steps=1).xs[1]).passed
    X, yy, w = problem_8_4()
    loss = lambda v: np.mean(np.logaddexp(0, X @ v) - yy * (X @ v))
    assert evaluate("8.4", hessian(loss, w)).passed
    # damped Newton with margin 0.5 shifts H = [[1, 2], [2, 1]] by exactly the answer
    hist = newton(lambda v: np.array([0.1, 0.2]), lambda v: np.array([[1.0, 2.0], [2.0, 1.0]]),
                  [1.0, 1.0], num_steps=1, damping=0.5)
    assert evaluate("8.5", hist.extras["shifts"][0]).passed
    assert evaluate("8.6", 2.0 ** -10).passed
