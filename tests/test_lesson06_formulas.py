"""Lesson 06's formulas, checked against SymPy and against the engine ``calcml.autodiff``.

The cells already assert: the chain rule for the pipeline tanh(2x + 1)², the two-path
example f = x·eˣ, the dual-number product (a + bε)(c + dε) and sin(a + bε) symbolically,
σ' = σ(1 − σ). They compute without asserting the rest (the rule table, the hand-written
backward pass, the pass counts, the swell, the gradient sizes through depth, the
accumulation). Here every formula the prose states is checked with real values: the
chain rule in one and many variables, the matrix rules of Y = XW + b, tanh' and σ' and
the 4⁻ᵏ bound, dual numbers for every function of the table, the cost of forward and
reverse mode counted on the engine, and the answers of the exercises.
"""

import math

import numpy as np
import pytest
import sympy as sp

from calcml import autodiff as ad
from calcml.autodiff import Dual, Tensor
from calcml.autodiff.nn import gradient_norms_through_depth, init_params
from calcml.autodiff.rules import ELEMENTWISE
from calcml.exercises.lesson06 import problem_6_3
from calcml.numdiff import derivative, gradient

x = sp.Symbol("x", real=True)
sigma = 1 / (1 + sp.exp(-x))

# the SymPy version of every function of the engine's table
SYMPY_OF = {"exp": sp.exp(x), "log": sp.log(x), "sin": sp.sin(x), "cos": sp.cos(x),
            "tanh": sp.tanh(x), "sigmoid": sigma, "softplus": sp.log(1 + sp.exp(x)),
            "relu": sp.Max(x, 0), "sqrt": sp.sqrt(x), "abs": sp.Abs(x)}
POSITIVE_ONLY = {"log", "sqrt"}
POINTS = (-2.3, -0.7, 0.4, 1.1, 2.9)  # no 0: relu and abs have their kink there


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


def differs(expr) -> bool:
    """Not identically 0: nonzero at a sample point (cheaper than simplifying)."""
    return any(abs(complex(expr.subs(x, p).evalf())) > 1e-9 for p in (0.37, 1.3))


def points_for(name):
    return [abs(p) for p in POINTS] if name in POSITIVE_ONLY else list(POINTS)


def counted(f):
    """f, counting its calls in ``.calls`` (as the lesson's cell does)."""
    def wrapper(z):
        wrapper.calls += 1
        return f(z)
    wrapper.calls = 0
    return wrapper


# --- one variable: rates multiply through a pipeline ---------------------------------------

@pytest.mark.parametrize(("outer", "inner"), [
    (sp.sin(x), x ** 3 - 2 * x),
    (sp.exp(x), sp.cos(x)),
    (sp.log(x), 1 + x ** 2),
    (x ** 5, sp.tanh(x)),
    (sigma, 3 * x - 1),
])
def test_chain_rule_outer_rate_taken_at_the_inner_value(outer, inner):
    """(f ∘ g)' = f'(g(x)) g'(x): "the outer derivative is taken at g(x) ... not at x"."""
    composite = outer.subs(x, inner)
    by_the_rule = sp.diff(outer, x).subs(x, inner) * sp.diff(inner, x)
    assert is_zero(sp.diff(composite, x) - by_the_rule)
    # the mistake of the prose, f'(x) g'(x), is a different function
    wrong = sp.diff(outer, x) * sp.diff(inner, x)
    assert differs(sp.diff(composite, x) - wrong)


@pytest.mark.parametrize("stages", [
    (2 * x + 1, sp.tanh(x), x ** 2),  # the lesson's pipeline y = tanh(2x + 1)²
    (3 * x, sp.sin(x), sp.exp(x)),  # exercise 6.1's e^(sin 3x)
    (x ** 2 + 1, sp.log(x), sigma),
])
def test_three_stage_pipeline_is_the_product_of_the_stage_rates(stages):
    """"Each stage's rate is its derivative at the value entering it"; the slope of the
    whole pipeline is the product of the rates — symbolically and through dual numbers."""
    u_, v_, y_ = stages
    u = u_
    v = v_.subs(x, u)
    whole = y_.subs(x, v)
    rates = sp.diff(u_, x) * sp.diff(v_, x).subs(x, u) * sp.diff(y_, x).subs(x, v)
    assert is_zero(sp.diff(whole, x) - rates)
    # at a point: the product of the rates, each at its entering value, by numbers alone
    x0, product, a = 0.3, 1.0, 0.3
    for stage in stages:
        product *= float(sp.diff(stage, x).subs(x, a))
        a = float(stage.subs(x, a))
    assert a == pytest.approx(float(whole.subs(x, x0)), rel=1e-12)
    assert product == pytest.approx(float(sp.diff(whole, x).subs(x, x0)), rel=1e-12)
    assert product == pytest.approx(derivative(sp.lambdify(x, whole, "numpy"), x0), rel=1e-8)


def test_the_lesson_pipeline_by_dual_numbers_and_by_the_engine():
    """"Evaluating the pipeline on x₀ + 1ε produces the value and the derivative in one
    forward pass" — and the reverse-mode engine gives the same product of rates."""
    x0 = 0.3
    rates = [2.0, 1 - math.tanh(2 * x0 + 1) ** 2, 2 * math.tanh(2 * x0 + 1)]
    y_dual = ad.tanh(2 * Dual(x0, 1.0) + 1) ** 2
    assert float(y_dual.value) == pytest.approx(math.tanh(2 * x0 + 1) ** 2, rel=1e-14)
    assert float(y_dual.deriv) == pytest.approx(math.prod(rates), rel=1e-13)
    assert float(ad.grad(lambda t: ad.tanh(2 * t + 1) ** 2)(x0)) == pytest.approx(
        math.prod(rates), rel=1e-13)


def test_a_small_change_moves_through_the_pipeline_at_the_product_rate():
    """"If x moves by a small Δx, the first stage turns it into a change of u about u'Δx";
    the change of y is about (product of rates)·Δx, with an error O(Δx²)."""
    y = sp.lambdify(x, sp.tanh(2 * x + 1) ** 2)
    x0 = 0.3
    slope = float(sp.diff(sp.tanh(2 * x + 1) ** 2, x).subs(x, x0))
    errors = [abs(y(x0 + dx) - y(x0) - slope * dx) for dx in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50  # 10× smaller step, ~100× smaller error


# --- many variables: add over paths -----------------------------------------------------

u_s, v_s = sp.symbols("u v", real=True)


@pytest.mark.parametrize(("f_uv", "u_of_x", "v_of_x"), [
    (u_s * v_s, x, sp.exp(x)),  # the lesson's example
    (u_s * v_s, x ** 2, sp.sin(x)),  # exercise 6.2
    (sp.sin(u_s) * v_s ** 2, x ** 2, sp.exp(x)),
    (sp.exp(u_s * v_s), sp.cos(x), 1 + x),
    (u_s / v_s + sp.log(v_s), sp.tanh(x), 2 + x ** 2),
])
def test_multivariable_chain_rule_sum_over_two_paths(f_uv, u_of_x, v_of_x):
    """df/dx = ∂f/∂u · du/dx + ∂f/∂v · dv/dx; each path alone is not the derivative."""
    at = {u_s: u_of_x, v_s: v_of_x}
    through_u = sp.diff(f_uv, u_s).subs(at) * sp.diff(u_of_x, x)
    through_v = sp.diff(f_uv, v_s).subs(at) * sp.diff(v_of_x, x)
    whole = sp.diff(f_uv.subs(at), x)
    assert is_zero(whole - (through_u + through_v))
    assert differs(whole - through_u)
    assert differs(whole - through_v)


def test_a_node_that_uses_x_twice_gets_two_terms():
    """y = x·x: the product node uses x twice, so ∂y/∂x = x·1 + x·1 = 2x ("dropping a path"
    would give x)."""
    a, b = sp.symbols("a b")
    paths = (sp.diff(a * b, a) + sp.diff(a * b, b)).subs({a: x, b: x})
    assert is_zero(paths - 2 * x)
    for x0 in (-1.5, 0.25, 3.0):
        t = Tensor(x0, requires_grad=True)
        (t * t).backward()
        assert float(t.grad) == pytest.approx(2 * x0, rel=1e-15)
        assert float((Dual(x0, 1.0) * Dual(x0, 1.0)).deriv) == pytest.approx(2 * x0, rel=1e-15)


def test_the_graph_example_gradient_is_y_plus_cos_x():
    """f(x, y) = xy + sin x at (2, 3): "x feeds two operations, so its gradient is the sum
    ... y from the product and cos x from the sine"; ∂f/∂y = x."""
    xt, yt = Tensor(2.0, requires_grad=True), Tensor(3.0, requires_grad=True)
    (xt * yt + ad.sin(xt)).backward()
    assert float(xt.grad) == pytest.approx(3.0 + math.cos(2.0), rel=1e-15)
    assert float(yt.grad) == pytest.approx(2.0, rel=1e-15)


# a small graph: x → a = x², b = sin x;  c = a·b;  L = c + a  (x used twice, a used twice)
_A, _B, _C = sp.symbols("a b c")
GRAPH = {  # node: (expression in its inputs, inputs)
    _A: (x ** 2, (x,)),
    _B: (sp.sin(x), (x,)),
    _C: (_A * _B, (_A, _B)),
    sp.Symbol("L"): (_C + _A, (_C, _A)),
}


def test_sum_over_uses_equals_sum_over_paths_equals_the_derivative():
    """∂L/∂x = Σ over the nodes y that use x of ∂L/∂y · ∂y/∂x, "which unrolls into the sum
    over all paths of the product of local derivatives"."""
    out = sp.Symbol("L")
    values = {x: x}
    for node, (expr, _) in GRAPH.items():  # forward pass, symbolically
        values[node] = expr.subs(values)
    local = {(node, inp): sp.diff(expr, inp).subs(values)
             for node, (expr, inputs) in GRAPH.items() for inp in inputs}

    def paths(start):  # every path from ``start`` to L, as lists of edges
        if start == out:
            return [[]]
        return [[(node, start), *rest] for (node, inp) in local if inp == start
                for rest in paths(node)]

    all_paths = paths(x)
    assert len(all_paths) == 3  # x→a→L, x→a→c→L, x→b→c→L
    by_paths = sum(sp.Mul(*(local[edge] for edge in path)) for path in all_paths)
    adjoint = {out: sp.Integer(1)}  # reverse mode: each node before its inputs
    for node in [out, _C, _B, _A, x]:
        if node != out:
            adjoint[node] = sum(adjoint[user] * local[(user, node)]
                                for (user, inp) in local if inp == node)
    assert is_zero(by_paths - sp.diff(values[out], x))
    assert is_zero(adjoint[x] - sp.diff(values[out], x))
    # and the engine, which does the same with numbers
    x0 = 0.8
    xt = Tensor(x0, requires_grad=True)
    a = xt * xt
    (a * ad.sin(xt) + a).backward()
    assert float(xt.grad) == pytest.approx(float(adjoint[x].subs(x, x0)), rel=1e-14)


def test_backward_visits_each_node_before_its_inputs():
    """"Backpropagation visits the nodes in topological order from the output (each node
    before its inputs)"."""
    xt, yt = Tensor(0.5, requires_grad=True), Tensor(-1.2, requires_grad=True)
    a = xt * yt
    out = ad.sin(a) * xt + ad.exp(a) / yt
    order = ad.topological_order(out)
    assert order[0] is out
    position = {id(node): i for i, node in enumerate(order)}
    assert {id(xt), id(yt), id(a)} <= set(position)
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] > position[id(node)]


# --- arrays: the matrix rules of Y = XW + b ----------------------------------------------

N, D, M = 2, 3, 2  # n examples, d inputs, m outputs: small enough for SymPy


def _symbolic_layer():
    X = sp.Matrix(N, D, sp.symbols(f"x0:{N * D}", real=True))
    W = sp.Matrix(D, M, sp.symbols(f"w0:{D * M}", real=True))
    b = sp.Matrix(1, M, sp.symbols(f"b0:{M}", real=True))
    Y = X * W + sp.ones(N, 1) * b  # b added to every row
    return X, W, b, Y


def _grad(L, A):
    return A.applyfunc(lambda entry: sp.diff(L, entry))


def test_matrix_rules_entrywise_with_sympy():
    """With G = ∂L/∂Y: ∂L/∂W = Xᵀ G, ∂L/∂X = G Wᵀ, ∂L/∂b = the column sums of G.
    L = Σ Gᵢⱼ Yᵢⱼ is the general case (only ∂L/∂Y enters the chain rule)."""
    X, W, b, Y = _symbolic_layer()
    G = sp.Matrix(N, M, sp.symbols(f"g0:{N * M}", real=True))
    L = sum(G[i, j] * Y[i, j] for i in range(N) for j in range(M))
    assert (_grad(L, W) - X.T * G).expand() == sp.zeros(D, M)
    assert (_grad(L, X) - G * W.T).expand() == sp.zeros(N, D)
    assert (_grad(L, b) - sp.ones(1, N) * G).expand() == sp.zeros(1, M)
    # "not ∂L/∂Y Xᵀ": the gradient has the shape of W, and G Xᵀ does not even fit
    assert (X.T * G).shape == W.shape
    with pytest.raises(sp.ShapeError):
        G * X.T


def test_matrix_rule_with_a_nonlinear_loss_downstream():
    """The same rules when L = Σ Cᵢⱼ sin(Yᵢⱼ): G = C ⊙ cos Y, ∂L/∂W = Xᵀ G, ∂L/∂b = Σ_rows G."""
    X, W, b, Y = _symbolic_layer()
    C = sp.Matrix(N, M, sp.symbols(f"c0:{N * M}", real=True))
    L = sum(C[i, j] * sp.sin(Y[i, j]) for i in range(N) for j in range(M))
    G = C.multiply_elementwise(Y.applyfunc(sp.cos))
    assert (_grad(L, W) - X.T * G).expand() == sp.zeros(D, M)
    assert (_grad(L, X) - G * W.T).expand() == sp.zeros(N, D)
    assert (_grad(L, b) - sp.ones(1, N) * G).expand() == sp.zeros(1, M)


def test_each_node_performs_a_vector_jacobian_product():
    """"∂L/∂y is a row vector and ∂y/∂x a Jacobian, so each node performs a vector–Jacobian
    product": vec(Xᵀ G) = vec(G)ᵀ · ∂vec(Y)/∂vec(W)."""
    X, W, _, Y = _symbolic_layer()
    G = sp.Matrix(N, M, sp.symbols(f"g0:{N * M}", real=True))
    jacobian = Y.reshape(N * M, 1).jacobian(W.reshape(D * M, 1))
    assert jacobian.shape == (N * M, D * M)
    vjp = G.reshape(1, N * M) * jacobian
    assert (vjp - (X.T * G).reshape(1, D * M)).expand() == sp.zeros(1, D * M)


@pytest.mark.parametrize("fused", [False, True], ids=["X@W+b", "ad.linear"])
def test_matrix_rules_against_the_engine(fused):
    """The engine's gradients of Y = XW + b equal Xᵀ G, G Wᵀ and the column sums of G."""
    rng = np.random.default_rng(0)
    X = Tensor(rng.normal(size=(5, 3)), requires_grad=True)
    W = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    b = Tensor(rng.normal(size=4), requires_grad=True)
    C = rng.normal(size=(5, 4))
    Y = ad.linear(X, W, b) if fused else X @ W + b
    (C * ad.tanh(Y)).sum().backward()
    G = C * (1 - np.tanh(X.data @ W.data + b.data) ** 2)  # ∂L/∂Y, tanh' = 1 − tanh²
    np.testing.assert_allclose(W.grad, X.data.T @ G, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(X.grad, G @ W.data.T, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b.grad, G.sum(axis=0), rtol=1e-12, atol=1e-14)


def test_two_layer_network_backward_by_hand():
    """Z₁ = XW₁ + b₁, H = tanh Z₁, ŷ = HW₂ + b₂, L = (1/n)Σ(ŷᵢ − yᵢ)²: ∂L/∂ŷ = 2(ŷ − y)/n,
    ∂L/∂W₂ = Hᵀ ∂L/∂ŷ, ∂L/∂b₂ = Σ_rows, ∂L/∂H = ∂L/∂ŷ W₂ᵀ, ∂L/∂Z₁ = ∂L/∂H ⊙ (1 − H²),
    ∂L/∂W₁ = Xᵀ ∂L/∂Z₁ — against the engine and against central differences."""
    rng = np.random.default_rng(0)
    n = 5
    X, y = rng.normal(size=(n, 3)), rng.normal(size=(n, 1))
    params = [rng.normal(size=(3, 4)) / np.sqrt(3), rng.normal(size=4) * 0.1,
              rng.normal(size=(4, 1)) / 2, rng.normal(size=1) * 0.1]
    W1, b1, W2, b2 = (Tensor(p, requires_grad=True) for p in params)
    ((ad.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2).mean().backward()

    h = np.tanh(X @ params[0] + params[1])
    d_out = 2 * (h @ params[2] + params[3] - y) / n
    d_z1 = d_out @ params[2].T * (1 - h ** 2)
    by_hand = [X.T @ d_z1, d_z1.sum(axis=0), h.T @ d_out, d_out.sum(axis=0)]
    for engine, hand in zip((W1, b1, W2, b2), by_hand, strict=True):
        assert engine.grad.shape == hand.shape
        np.testing.assert_allclose(engine.grad, hand, rtol=1e-12, atol=1e-15)

    def loss_of_w1(w1):
        return float(np.mean((np.tanh(X @ w1 + params[1]) @ params[2] + params[3] - y) ** 2))

    np.testing.assert_allclose(by_hand[0], gradient(loss_of_w1, params[0]), rtol=1e-6,
                               atol=1e-9)


# --- the derivative table: tanh' = 1 − tanh², σ' = σ(1 − σ), ... -------------------------

@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_every_rule_of_the_table_is_the_sympy_derivative(name):
    """The engine's table (one rule per primitive, "like the table at the back of a calculus
    book"), through the table, through Dual and through Tensor, at several points."""
    f, df = ELEMENTWISE[name]
    d_exact = sp.lambdify(x, sp.diff(SYMPY_OF[name], x), "mpmath")
    for a in points_for(name):
        exact = float(d_exact(a))
        assert float(df(np.array(a), f(np.array(a)))) == pytest.approx(exact, rel=1e-13)
        t = Tensor(a, requires_grad=True)
        getattr(ad, name)(t).backward()
        assert float(t.grad) == pytest.approx(exact, rel=1e-13, abs=1e-300)


def test_tanh_derivative_is_one_minus_tanh_squared_not_one_minus_tanh():
    """tanh' = 1 − tanh² ("mixing up 1 − tanh and 1 − tanh²" is a classic mistake)."""
    assert is_zero(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x) ** 2))
    assert differs(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x)))


def test_sigmoid_derivative_at_most_a_quarter_with_equality_only_at_zero():
    """σ' = σ(1 − σ) "never exceeds one quarter": 1/4 − σ(1 − σ) = (σ − 1/2)² ≥ 0, and it
    is 0 only where σ = 1/2, i.e. at x = 0."""
    d_sigma = sp.diff(sigma, x)
    assert is_zero(d_sigma - sigma * (1 - sigma))
    assert is_zero(sp.Rational(1, 4) - d_sigma - (sigma - sp.Rational(1, 2)) ** 2)
    assert sp.solve(sp.Eq(sigma, sp.Rational(1, 2)), x) == [0]
    assert d_sigma.subs(x, 0) == sp.Rational(1, 4)
    grid = np.linspace(-8, 8, 1601)
    s = 1 / (1 + np.exp(-grid))
    assert np.all(s * (1 - s) <= 0.25)
    assert np.all(s[grid != 0] * (1 - s[grid != 0]) < 0.25)


def test_stacked_sigmoids_shrink_the_gradient_at_least_by_four_to_the_minus_k():
    """"Through k sigmoids a gradient is multiplied by at most 4⁻ᵏ": from random starts, the
    engine's derivative of σ(σ(⋯σ(x)⋯)) equals the product of the local rates σ(a)(1 − σ(a))
    at each layer's own input, and never exceeds 4⁻ᵏ (strictly below for k ≥ 2)."""
    rng = np.random.default_rng(0)
    starts = np.concatenate([[0.0, 0.5], rng.normal(scale=3.0, size=200)])
    for k in (1, 2, 3, 5, 10, 20, 30):
        xt = Tensor(starts, requires_grad=True)
        out = xt
        for _ in range(k):
            out = ad.sigmoid(out)
        out.sum().backward()  # the entries are independent: the gradient is each slope
        slope = xt.grad
        rates, a = np.ones_like(starts), starts.copy()
        for _ in range(k):
            s = 1 / (1 + np.exp(-a))
            rates, a = rates * s * (1 - s), s
        np.testing.assert_allclose(slope, rates, rtol=1e-12, atol=0)
        assert np.all(slope <= 4.0 ** -k)
        if k >= 2:  # only the first layer can sit at 0; later inputs lie in (0, 1)
            assert np.all(slope < 4.0 ** -k)
    one = Tensor(0.0, requires_grad=True)
    ad.sigmoid(one).backward()
    assert float(one.grad) == 0.25  # the bound is reached: one sigmoid at 0


def test_a_relu_chain_passes_the_gradient_on_with_rate_one():
    """"A ReLU passes it on with rate 1 wherever it is active"."""
    for depth in (5, 30):
        xt = Tensor(0.5, requires_grad=True)
        out = xt
        for _ in range(depth):
            out = ad.relu(out)
        out.backward()
        assert float(xt.grad) == 1.0


def test_gradient_sizes_through_depth():
    """30 layers of 32 units: the sigmoid network's first layers get "almost no gradient",
    ReLU with scale 2 "a huge one", ReLU with scale √2 keeps it "roughly level"."""
    rng = np.random.default_rng(0)

    def ratio(act, scale):
        norms = gradient_norms_through_depth(act, depth=30, width=32, weight_scale=scale,
                                             rng=rng)
        return norms[0] / norms[-1]

    assert ratio("sigmoid", 1.0) < 1e-12  # at most 4⁻³⁰ ≈ 1e-18 times ‖W‖ factors
    assert ratio("relu", 2.0) > 1e3  # each layer multiplies the size by about √2
    assert 0.1 < ratio("relu", np.sqrt(2)) < 10


# --- forward mode: dual numbers -----------------------------------------------------------

def test_dual_product_rule_and_epsilon_squared_is_zero():
    """(a + bε)(c + dε) = ac + (ad + bc)ε, with ε² = 0 (but ε ≠ 0), by the Dual class."""
    rng = np.random.default_rng(0)
    eps = Dual(0.0, 1.0)
    square = eps * eps
    assert float(square.value) == 0.0
    assert float(square.deriv) == 0.0
    for a, b, c, d in rng.normal(size=(5, 4)):
        p = Dual(a, b) * Dual(c, d)
        assert float(p.value) == pytest.approx(a * c, rel=1e-15)
        assert float(p.deriv) == pytest.approx(a * d + b * c, rel=1e-14)


def test_dual_powers_are_the_binomial_truncated_after_first_order():
    """"The Taylor series stops after the first-order term": (a + bε)ⁿ = aⁿ + n aⁿ⁻¹ b ε."""
    a, b, eps = sp.symbols("a b epsilon")
    for n in range(2, 7):
        truncated = sp.expand((a + b * eps) ** n).subs({eps ** k: 0 for k in range(2, n + 1)})
        assert sp.expand(truncated - (a ** n + n * a ** (n - 1) * b * eps)) == 0
        p = Dual(1.3, 0.7) ** n
        assert float(p.deriv) == pytest.approx(n * 1.3 ** (n - 1) * 0.7, rel=1e-13)


@pytest.mark.parametrize("name", ["exp", "log", "sin", "cos", "tanh", "sigmoid", "softplus",
                                  "sqrt"])
def test_first_order_taylor_of_the_smooth_functions(name):
    """f(a + bε) = f(a) + f'(a) b ε: the series of f(a + bε) in ε, cut after ε¹."""
    a = sp.Symbol("a", positive=True)
    b, eps = sp.symbols("b epsilon", real=True)
    f = SYMPY_OF[name]
    series = sp.series(f.subs(x, a + b * eps), eps, 0, 2).removeO()
    assert is_zero(series - (f.subs(x, a) + sp.diff(f, x).subs(x, a) * b * eps))


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_dual_numbers_carry_the_derivative_of_every_supported_function(name):
    """f(a + ε) = f(a) + f'(a)ε (and f(a + bε) = f(a) + f'(a)bε) for every function
    calcml.autodiff.Dual supports, against SymPy at several points."""
    f_exact = sp.lambdify(x, SYMPY_OF[name], "mpmath")
    d_exact = sp.lambdify(x, sp.diff(SYMPY_OF[name], x), "mpmath")
    for a in points_for(name):
        for b in (1.0, -2.5):
            out = getattr(Dual(a, b), name)()
            assert float(out.value) == pytest.approx(float(f_exact(a)), rel=1e-14)
            assert float(out.deriv) == pytest.approx(float(d_exact(a)) * b, rel=1e-13)


def test_jvp_is_one_forward_pass_giving_a_directional_derivative():
    """ad.jvp(f, x, v) = (f(x), J_f(x) v): one evaluation of f on duals."""
    A = np.random.default_rng(0).normal(size=(4, 3))
    z0, v = np.array([0.3, -0.8, 1.1]), np.array([1.0, 2.0, -0.5])
    f = counted(lambda z: ad.sin(A @ z))
    value, tangent = ad.jvp(f, z0, v)
    assert f.calls == 1
    np.testing.assert_allclose(value, np.sin(A @ z0), rtol=1e-15)
    np.testing.assert_allclose(tangent, (np.cos(A @ z0)[:, None] * A) @ v, rtol=1e-13)


# --- forward or reverse: counting passes ---------------------------------------------------

@pytest.mark.parametrize(("n_in", "m_out"), [(1, 6), (3, 5), (7, 1), (50, 1)])
def test_jacobian_costs_n_forward_passes_or_m_backward_passes(n_in, m_out, monkeypatch):
    """A Jacobian of f: Rⁿ → Rᵐ takes n forward-mode passes (one JVP per input direction),
    or one evaluation plus m backward passes (one VJP per output) in reverse mode; for a
    loss (m = 1) that is one forward and one backward pass, whatever n (exercise 6.6: a
    loss of 10 000 weights needs 10 000 forward-mode passes)."""
    A = np.random.default_rng(0).normal(size=(m_out, n_in))
    z0 = np.linspace(-1, 1, n_in)
    backward_calls = []
    original = Tensor.backward

    def counting_backward(self, grad=None):
        backward_calls.append(1)
        return original(self, grad)

    monkeypatch.setattr(Tensor, "backward", counting_backward)
    fwd, rev = counted(lambda z: ad.tanh(A @ z)), counted(lambda z: ad.tanh(A @ z))
    J_forward = ad.jacfwd(fwd, z0)
    J_reverse = ad.jacrev(rev, z0)
    assert fwd.calls == n_in
    assert (rev.calls, len(backward_calls)) == (1, m_out)
    exact = (1 - np.tanh(A @ z0) ** 2)[:, None] * A
    np.testing.assert_allclose(J_forward, exact, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(J_reverse, exact, rtol=1e-13, atol=1e-15)
    if m_out == 1:  # a loss: grad is one evaluation and one backward pass
        backward_calls.clear()
        loss = counted(lambda z: ad.tanh(A @ z).sum())
        g = ad.grad(loss)(z0)
        assert (loss.calls, len(backward_calls)) == (1, 1)
        np.testing.assert_allclose(g, exact[0], rtol=1e-13, atol=1e-15)


def test_central_difference_gradient_costs_two_evaluations_per_weight():
    """Motivation: nudging the weights one at a time costs 2 × (number of weights) loss
    evaluations; the 64-128-10 network has 64·128 + 128 + 128·10 + 10 = 9610 of them."""
    sizes = (64, 128, 10)
    params = init_params(sizes, np.random.default_rng(0))
    assert sum(p.size for p in params) == 64 * 128 + 128 + 128 * 10 + 10 == 9610
    loss = counted(lambda w: float(np.sum(np.tanh(w) * w)))
    w0 = np.linspace(-1, 1, 12)
    g = gradient(loss, w0)
    assert loss.calls == 2 * w0.size
    np.testing.assert_allclose(g, np.tanh(w0) + w0 * (1 - np.tanh(w0) ** 2), rtol=1e-8)


# --- symbolic, numerical, automatic ------------------------------------------------------

def test_automatic_is_exact_up_to_rounding_numerical_is_not():
    """f = x sin(x²) e⁻ˣ at 1.3: automatic differentiation is "exact up to rounding", central
    differences carry a truncation and rounding error."""
    f_sym = x * sp.sin(x ** 2) * sp.exp(-x)
    exact = float(sp.diff(f_sym, x).subs(x, 1.3).evalf(30))
    automatic = float(ad.grad(lambda t: t * ad.sin(t ** 2) * ad.exp(-t))(1.3))
    numerical = derivative(sp.lambdify(x, f_sym, "numpy"), 1.3)
    assert abs(automatic - exact) <= 1e-14 * abs(exact)
    assert 1e-14 * abs(exact) < abs(numerical - exact) < 1e-7 * abs(exact)


def test_expression_swell_quadratic_derivative_linear_graph():
    """Nest u_{k+1} = x sin(u_k): f grows "by a constant each level" (2 operations), the
    graph by "two per level", the written-out derivative "roughly quadratically"."""
    u, t0 = x, Tensor(0.5, requires_grad=True)
    t = t0
    ops_f, ops_df, nodes = [], [], []
    for _ in range(8):
        u, t = x * sp.sin(u), t0 * ad.sin(t)
        ops_f.append(int(sp.count_ops(u)))
        ops_df.append(int(sp.count_ops(sp.diff(u, x))))
        nodes.append(len(ad.topological_order(t)))
    depth = np.arange(1, 9)
    assert ops_f == list(2 * depth)
    assert nodes == list(2 * depth + 1)  # x and two operations per level
    second = np.diff(ops_df, 2)
    assert np.all(second == second[0])  # exactly quadratic here
    assert second[0] > 0


# --- gradients accumulate ----------------------------------------------------------------

def test_backward_accumulates_and_zero_grad_resets():
    """L = 3w² at w = 2: dL/dw = 6w = 12 per call; calls without zero_grad add up
    (12, 24, 36: the Common mistakes cell); after zero_grad (or .grad = None) one call
    gives 12."""
    w_s = sp.Symbol("w")
    per_call = float(sp.diff(3 * w_s ** 2, w_s).subs(w_s, 2))
    assert per_call == 12.0
    w = Tensor(2.0, requires_grad=True)
    seen = []
    for _ in range(3):
        (3 * w ** 2).backward()
        seen.append(float(w.grad))
    assert seen == [12.0, 24.0, 36.0]
    w.zero_grad()
    (3 * w ** 2).backward()
    assert float(w.grad) == 12.0
    w.grad = None
    (3 * w ** 2).backward()
    assert float(w.grad) == 12.0


def test_exercise_6_5_accumulate_then_reset():
    """Exercise 6.5: two (w³)' = 3w² are discarded by zero_grad; then (4w)' = 4 and
    (w²)' = 2w add up: 4 + 2·1.5 = 7 at w = 1.5."""
    w_s = sp.Symbol("w")
    after = sum(sp.diff(e, w_s) for e in (4 * w_s, w_s ** 2)).subs(w_s, sp.Rational(3, 2))
    assert after == 7
    w = Tensor(1.5, requires_grad=True)
    (w ** 3).backward()
    (w ** 3).backward()
    assert float(w.grad) == 2 * 3 * 1.5 ** 2
    w.zero_grad()
    (4 * w).backward()
    (w ** 2).backward()
    assert float(w.grad) == float(after)


# --- softmax and cross-entropy (the training cell's loss) --------------------------------

def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n():
    """calcml.autodiff.cross_entropy, which trains the digits network: its gradient is
    (softmax(z) − onehot(y)) / n."""
    n, classes = 2, 3
    z = sp.Matrix(n, classes, sp.symbols(f"z0:{n * classes}", real=True))
    labels = [2, 0]
    L = sum(sp.log(sum(sp.exp(z[i, c]) for c in range(classes))) - z[i, labels[i]]
            for i in range(n)) / n
    for i in range(n):
        denominator = sum(sp.exp(z[i, c]) for c in range(classes))
        for c in range(classes):
            formula = (sp.exp(z[i, c]) / denominator - int(c == labels[i])) / n
            assert is_zero(sp.diff(L, z[i, c]) - formula)
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 4)) * 3
    y = rng.integers(0, 4, size=6)
    zt = Tensor(logits, requires_grad=True)
    ad.cross_entropy(zt, y).backward()
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(zt.grad, (softmax - np.eye(4)[y]) / 6, rtol=1e-12, atol=1e-15)


# --- the exercises' answers, from independent references ---------------------------------

def test_exercise_6_1_three_rates():
    """f = e^(sin 3x) at 0.4: e^(sin 1.2) · cos 1.2 · 3."""
    key = math.exp(math.sin(1.2)) * math.cos(1.2) * 3
    assert key == pytest.approx(float(sp.diff(sp.exp(sp.sin(3 * x)), x).subs(x, 0.4)), rel=1e-14)
    assert key == pytest.approx(float(ad.exp(ad.sin(3 * Dual(0.4, 1.0))).deriv), rel=1e-14)


def test_exercise_6_2_two_paths():
    """f = u·v, u = x², v = sin x at 1.2: v·2x + u·cos x."""
    key = math.sin(1.2) * 2 * 1.2 + 1.2 ** 2 * math.cos(1.2)
    assert key == pytest.approx(float(sp.diff(x ** 2 * sp.sin(x), x).subs(x, 1.2)), rel=1e-14)


def test_exercise_6_3_layer_backward():
    """L(W) = Σ C ⊙ tanh(XW): ∂L/∂W = Xᵀ (C ⊙ (1 − tanh²(XW))), shape of W."""
    X6, W6, C6 = problem_6_3()
    key = X6.T @ (C6 * (1 - np.tanh(X6 @ W6) ** 2))
    assert key.shape == W6.shape == (3, 2)
    W = Tensor(W6, requires_grad=True)
    (C6 * ad.tanh(X6 @ W)).sum().backward()
    np.testing.assert_allclose(key, W.grad, rtol=1e-12, atol=1e-15)


def test_exercise_6_4_ten_sigmoids():
    """d/dx σ(σ(⋯σ(x)⋯)) at 0, ten deep: the product of the ten rates, each at its own
    input — below 4⁻¹⁰ (which only the first rate attains)."""
    a, key = 0.0, 1.0
    for _ in range(10):
        s = 1 / (1 + math.exp(-a))
        key, a = key * s * (1 - s), s
    d = Dual(0.0, 1.0)
    for _ in range(10):
        d = ad.sigmoid(d)
    assert key == pytest.approx(float(d.deriv), rel=1e-13)
    assert key < 4.0 ** -10


def test_the_graph_keeps_values_in_proportion_to_the_batch_and_no_grad_keeps_none():
    """"The intermediate values grow in proportion to the batch; with no_grad() nothing is
    kept" — the digits network of the lesson, on batches of 64 and 512."""
    from calcml.autodiff.nn import MLP, init_params

    rng = np.random.default_rng(0)
    model = MLP(init_params((64, 128, 10), rng), activation="tanh")
    X = rng.normal(size=(512, 64))
    y = rng.integers(0, 10, size=512)
    weights = sum(p.data.nbytes for p in model.params)
    kept = {}
    for size in (64, 512):
        nodes = ad.topological_order(ad.cross_entropy(model(X[:size]), y[:size]))
        kept[size] = sum(node.data.nbytes for node in nodes) - weights
    assert kept[512] == pytest.approx(8 * kept[64], rel=0.01)
    with ad.no_grad():
        assert not model(X).requires_grad
