"""SGD, RMSprop, Adam and the schedules: the documented rules of torch.optim, checked
against independent formulations over many steps, and against PyTorch when it is there."""

import inspect
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml.autodiff import Tensor
from calcml.optimize import SGD, Adam, RMSprop, StopReason, cosine, minimize, step_decay

RNG_SEED = 0


def _run(optimizer_class, grads, theta0, **settings_):
    """Feed the optimiser a fixed sequence of gradients; return every iterate."""
    p = Tensor(theta0.copy(), requires_grad=True)
    opt = optimizer_class([p], **settings_)
    out = [p.data.copy()]
    for g in grads:
        p.grad = g.copy()
        opt.step()
        out.append(p.data.copy())
    return np.array(out)


def _gradients(n=60, shape=(3,), seed=RNG_SEED):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) * 10.0 ** rng.uniform(-3, 1) for _ in range(n)]


def test_defaults_are_pytorchs():
    def defaults(cls):
        return {k: v.default for k, v in inspect.signature(cls).parameters.items()
                if v.default is not inspect.Parameter.empty}

    assert defaults(SGD) == {"lr": 1e-3, "momentum": 0.0, "weight_decay": 0.0}
    assert defaults(RMSprop) == {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0}
    assert defaults(Adam) == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8,
                              "weight_decay": 0.0}


@pytest.mark.parametrize(("momentum", "weight_decay"), [(0.0, 0.0), (0.9, 0.0), (0.5, 0.01)])
def test_sgd_is_the_closed_form_of_its_buffer(momentum, weight_decay):
    grads, theta0, lr = _gradients(), np.array([1.0, -2.0, 0.5]), 0.05
    got = _run(SGD, grads, theta0, lr=lr, momentum=momentum, weight_decay=weight_decay)
    # independent: the buffer is the geometric sum  b_t = Σ_k μ^(t-k) g_k  (b_1 = g_1)
    theta, used = theta0.copy(), []
    for t, g in enumerate(grads, start=1):
        used.append(g + weight_decay * theta)
        buffer = sum(momentum ** (t - k) * used[k - 1] for k in range(1, t + 1))
        theta = theta - lr * buffer
        assert np.allclose(got[t], theta, rtol=1e-11, atol=1e-13)


def test_rmsprop_is_the_weighted_mean_of_squares():
    grads, theta0 = _gradients(), np.array([0.3, 0.0, -4.0])
    lr, alpha, eps, wd = 0.01, 0.9, 1e-8, 0.001
    got = _run(RMSprop, grads, theta0, lr=lr, alpha=alpha, eps=eps, weight_decay=wd)
    theta, squares = theta0.copy(), []
    for t, g in enumerate(grads, start=1):
        g = g + wd * theta
        squares.append(g * g)
        v = sum((1 - alpha) * alpha ** (t - k) * squares[k - 1] for k in range(1, t + 1))
        theta = theta - lr * g / (np.sqrt(v) + eps)
        assert np.allclose(got[t], theta, rtol=1e-11, atol=1e-13)


def test_adam_as_pytorch_computes_it():
    grads, theta0 = _gradients(200), np.array([2.0, -1.0, 0.25])
    lr, (b1, b2), eps, wd = 0.01, (0.8, 0.99), 1e-8, 0.01
    got = _run(Adam, grads, theta0, lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    # torch.optim.adam's single-tensor path: step size lr/bc1, denominator √v/√bc2 + eps
    theta, m, v = theta0.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        g = g + wd * theta
        m = m + (1 - b1) * (g - m)
        v = v * b2 + (1 - b2) * g * g
        denom = np.sqrt(v) / math.sqrt(1 - b2**t) + eps
        theta = theta - (lr / (1 - b1**t)) * m / denom
        assert np.allclose(got[t], theta, rtol=1e-10, atol=1e-13)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.01, 100.0), st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3))
def test_adams_bias_correction_makes_the_first_step_lr_in_the_gradients_direction(lr, g):
    got = _run(Adam, [np.array([g])], np.array([0.0]), lr=lr)
    assert got[1, 0] == pytest.approx(-lr * math.copysign(1, g), rel=1e-5)


def test_training_a_tensor_model_lowers_its_loss():
    rng = np.random.default_rng(1)
    X, w_true = rng.normal(size=(50, 3)), np.array([1.0, -2.0, 0.5])
    y = X @ w_true
    for make in (lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: RMSprop(ps, lr=0.01),
                 lambda ps: Adam(ps, lr=0.05)):
        w = Tensor(np.zeros(3), requires_grad=True)
        opt = make([w])
        for _ in range(300):
            opt.zero_grad()
            loss = ((Tensor(X) @ w - y) ** 2).mean()
            loss.backward()
            opt.step()
        assert np.allclose(w.data, w_true, atol=1e-2), type(opt).__name__


def test_zero_grad_forgets_and_step_without_gradients_says_so():
    w = Tensor(np.ones(2), requires_grad=True)
    opt = SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.zero_grad()
    assert w.grad is None
    with pytest.raises(RuntimeError, match=r"no gradient: call loss.backward\(\)"):
        opt.step()


def test_a_missing_or_misshapen_gradient_is_named_and_nothing_moves():
    a = Tensor(np.ones(2), requires_grad=True, name="W1")
    b = Tensor(np.ones(3), requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    (a * a).sum().backward()
    with pytest.raises(RuntimeError, match=r"params\[1\] \(unnamed, shape \(3,\)\) has no "):
        opt.step()
    b.grad = np.ones(2)
    with pytest.raises(ValueError, match=r"params\[1\] has a gradient of shape \(2,\)"):
        opt.step()
    assert np.array_equal(a.data, np.ones(2))
    assert opt.steps == 0
    assert not opt.state


@pytest.mark.parametrize(("make", "keys"), [
    (lambda ps: SGD(ps, lr=0.1, momentum=0.9), {"momentum_buffer"}),
    (lambda ps: RMSprop(ps), {"step", "square_avg"}),
    (lambda ps: Adam(ps), {"step", "exp_avg", "exp_avg_sq"}),
])
def test_state_is_keyed_by_parameter_with_pytorchs_names(make, keys):
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = make([w])
    assert opt.state == {}
    for _ in range(3):
        w.grad = np.array([0.5, 0.25])
        opt.step()
    assert set(opt.state[w]) == keys
    if "step" in keys:
        assert opt.state[w]["step"] == 3
    if "exp_avg" in keys:  # m_3 = (1 − β₁³) g for a constant gradient
        assert np.allclose(opt.state[w]["exp_avg"], (1 - 0.9**3) * np.array([0.5, 0.25]))


@pytest.mark.parametrize(("make", "error", "match"), [
    (lambda w: SGD([w], lr=0.0), ValueError, "lr must be positive"),
    (lambda w: SGD([w], lr=-1.0), ValueError, "lr must be positive"),
    (lambda w: SGD([w], lr="0.1"), TypeError, "lr must be a number"),
    (lambda w: SGD([w], lr=0.1, momentum=1.0), ValueError, r"momentum must lie in \[0, 1\)"),
    (lambda w: Adam([w], betas=(0.9, 1.0)), ValueError, r"betas\[1\] must lie in \[0, 1\)"),
    (lambda w: Adam([w], betas=(-0.1, 0.9)), ValueError, r"betas\[0\]"),
    (lambda w: Adam([w], betas=0.9), TypeError, "pair"),
    (lambda w: RMSprop([w], eps=0.0), ValueError, "eps must be positive"),
    (lambda w: Adam([], lr=0.1), ValueError, "params is empty"),
    (lambda w: Adam(w, lr=0.1), TypeError, "not one Tensor"),
    (lambda w: Adam([w, np.ones(2)]), TypeError, r"params\[1\] is a ndarray"),
    (lambda w: Adam([Tensor(np.ones(2))]), ValueError, "does not require gradients"),
    (lambda w: Adam([w, w]), ValueError, "twice"),
])
def test_bad_settings_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make(Tensor(np.ones(2), requires_grad=True))


def test_minimize_records_a_trajectory_and_reports_divergence():
    A = np.diag([1.0, 10.0])

    def grad_f(x):
        return A @ x

    good = minimize(lambda ps: SGD(ps, lr=0.1, momentum=0.5), grad_f, [1.0, 1.0],
                    num_steps=200, f=lambda x: 0.5 * x @ A @ x)
    assert good.xs.shape == (201, 2)
    assert good.values.shape == good.grad_norms.shape == (201,)
    assert good.reason is StopReason.MAX_STEPS
    assert np.linalg.norm(good.x) < 1e-8
    bad = minimize(lambda ps: SGD(ps, lr=0.5), grad_f, [1.0, 1.0], num_steps=2000)
    assert bad.reason is StopReason.DIVERGED
    assert len(bad.xs) < 2001
    with pytest.raises(TypeError, match="grad_f"):
        minimize(lambda ps: SGD(ps, lr=0.1), None, [1.0], num_steps=3)
    with pytest.raises(TypeError, match="must return an optimiser"):
        minimize(lambda ps: None, grad_f, [1.0, 1.0], num_steps=3)


def test_minimize_follows_a_schedule():
    seen = []
    minimize(lambda ps: SGD(ps, lr=1.0), lambda x: 0 * x, [0.0], num_steps=4,
             schedule=lambda t: seen.append(t) or 0.1 / (t + 1))
    assert seen == [0, 1, 2, 3]


def test_schedules():
    assert [step_decay(t, 0.1, 3, gamma=0.5) for t in range(7)] == \
        pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])
    values = [cosine(t, 1.0, 10, lr_min=0.1) for t in range(12)]
    assert values[0] == 1.0
    assert values[5] == pytest.approx(0.55)
    assert values[10] == values[11] == pytest.approx(0.1)
    assert all(a >= b for a, b in itertools.pairwise(values))
    for bad in (lambda: cosine(-1, 1.0, 10), lambda: step_decay(1, 0.0, 3),
                lambda: step_decay(1, 0.1, 0), lambda: cosine(1, 1.0, 10, lr_min=2.0),
                lambda: step_decay(1, 0.1, 3, gamma="0.5"), lambda: cosine(1, 1.0, 10, None)):
        with pytest.raises(ValueError, match="must"):
            bad()


def test_same_as_torch_optim_when_pytorch_is_installed():
    torch = pytest.importorskip("torch", reason="PyTorch is optional: compared only when installed")
    grads, theta0 = _gradients(100), np.array([1.0, -1.0, 2.0])
    cases = [(SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01}),
             (RMSprop, torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9, "weight_decay": 0.01}),
             (Adam, torch.optim.Adam, {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.01})]
    for ours, theirs, kwargs in cases:
        got = _run(ours, grads, theta0, **kwargs)
        p = torch.tensor(theta0.copy(), dtype=torch.float64, requires_grad=True)
        opt = theirs([p], **kwargs)
        for t, g in enumerate(grads, start=1):
            p.grad = torch.tensor(g, dtype=torch.float64)
            opt.step()
            assert np.allclose(got[t], p.detach().numpy(), rtol=1e-10, atol=1e-13), ours.__name__
