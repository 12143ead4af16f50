"""SGD (with momentum), RMSprop and Adam, written from the update rules that PyTorch
documents for ``torch.optim`` — same names, same defaults, weight decay added to the
gradient, ``eps`` outside the square root, SGD's momentum buffer starting at the first
gradient — so that a learner's PyTorch habits carry over. Lesson 11
(``notebooks/11-calculus-in-ml``) derives each rule (momentum's effective step
``1/(1 - β)`` and Adam's bias correction from the geometric series of lesson 09).

Each optimiser holds a list of :class:`calcml.autodiff.Tensor` parameters; after
``loss.backward()``, :meth:`step` updates every ``p.data`` from its ``p.grad``, and
:meth:`zero_grad` forgets the gradients before the next backward pass::

    opt = Adam(model.params, lr=1e-3)
    for xb, yb in batches:
        opt.zero_grad()
        loss = cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()

As in PyTorch, ``opt.state[p]`` holds a parameter's running averages under PyTorch's
names (``momentum_buffer``; ``square_avg``; ``exp_avg``, ``exp_avg_sq``, ``step``), and the
learning rate may change between steps (a schedule): ``opt.lr = cosine(t, 0.1, 1000)``
(PyTorch: ``opt.param_groups[0]["lr"]``). One difference on purpose: PyTorch's ``step``
silently skips a parameter whose ``.grad`` is ``None``; here that is an error naming it,
since in a small model it almost always means a forgotten ``backward()``.

For a function of a NumPy point (the 2-D test functions of lesson 11) use
:func:`minimize`, which drives the same classes from a gradient function and returns
the :class:`~calcml.optimize.History` that the trajectory figures draw.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from calcml.autodiff.tensor import Tensor
from calcml.optimize.history import History, StopReason

__all__ = ["SGD", "Adam", "Optimizer", "RMSprop", "minimize"]


def _rate(value, name: str, *, positive: bool = True) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "positive" if positive else "0 or more"
        raise ValueError(f"{name} must be {need} and finite, got {value!r}")
    return value


def _fraction(value, name: str) -> float:
    value = _rate(value, name, positive=False)
    if not value < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return value


class Optimizer:
    """What every optimiser shares: the parameters, ``zero_grad`` and the checks of
    ``step``. Subclasses define :meth:`_update` for one parameter."""

    def __init__(self, params, lr: float):
        if isinstance(params, Tensor):
            raise TypeError("params must be a list of Tensors, e.g. [W1, b1], not one Tensor")
        try:
            params = list(params)
        except TypeError:
            raise TypeError(f"params must be a list of Tensors, got {type(params).__name__}") \
                from None
        if not params:
            raise ValueError("params is empty: give the optimiser the Tensors to train")
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"params[{i}] is a {type(p).__name__}, not a Tensor")
            if not p.requires_grad:
                raise ValueError(f"params[{i}] ({p.name or 'unnamed'}, shape {p.shape}) does "
                                 "not require gradients: create it with requires_grad=True")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("a parameter appears twice in params")
        self.params = params
        self.lr = _rate(lr, "lr")
        self.state: dict[Tensor, dict] = {}  # filled at the first step, as PyTorch's
        self.steps = 0

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``p.grad = None``, as PyTorch does)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter from its gradient, by the optimiser's rule."""
        missing = [f"params[{i}] ({p.name or 'unnamed'}, shape {p.shape})"
                   for i, p in enumerate(self.params) if p.grad is None]
        if missing:
            raise RuntimeError(
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no gradient: "
                "call loss.backward() before step() (and check that the loss depends on "
                f"{'it' if len(missing) == 1 else 'them'})")
        grads = [np.asarray(p.grad, dtype=np.float64) for p in self.params]
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if g.shape != p.shape:  # checked for all before any parameter moves
                raise ValueError(f"params[{i}] has a gradient of shape {g.shape} for its "
                                 f"shape {p.shape}")
        self.steps += 1
        for p, g in zip(self.params, grads, strict=True):
            p.data -= self._update(p.data, g, self.state.setdefault(p, {}))

    def _update(self, theta, g, state):  # pragma: no cover — every subclass defines it
        raise NotImplementedError

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self._settings().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"

    def _settings(self) -> dict:
        return {"lr": self.lr}


class SGD(Optimizer):
    """Stochastic gradient descent, with momentum and weight decay (``torch.optim.SGD``).

    .. math::

        g_t &= \\nabla_\\theta L + \\lambda\\,\\theta_{t-1} \\\\
        b_t &= \\mu\\, b_{t-1} + g_t \\quad (b_1 = g_1) \\\\
        \\theta_t &= \\theta_{t-1} - \\text{lr}\\; b_t \\qquad (b_t = g_t \\text{ when } \\mu = 0)

    ``lr`` defaults to PyTorch's 1e-3; ``momentum`` μ in [0, 1); ``weight_decay`` λ ≥ 0.
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = _fraction(momentum, "momentum")
        self.weight_decay = _rate(weight_decay, "weight_decay", positive=False)

    def _update(self, theta, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * theta
        if self.momentum:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()  # the buffer starts at the first gradient
            else:
                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g
            g = state["momentum_buffer"]
        return self.lr * g

    def _settings(self):
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay}


class RMSprop(Optimizer):
    """RMSprop: divide each coordinate's step by a running root mean square of its
    gradients (``torch.optim.RMSprop``).

    .. math::

        g_t &= \\nabla_\\theta L + \\lambda\\,\\theta_{t-1} \\\\
        v_t &= \\alpha\\, v_{t-1} + (1 - \\alpha)\\, g_t^2 \\quad (v_0 = 0) \\\\
        \\theta_t &= \\theta_{t-1} - \\text{lr}\\; g_t / (\\sqrt{v_t} + \\varepsilon)

    ``lr`` defaults to PyTorch's 1e-2; ``alpha`` in [0, 1); ``eps`` > 0.
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.alpha = _fraction(alpha, "alpha")
        self.eps = _rate(eps, "eps")
        self.weight_decay = _rate(weight_decay, "weight_decay", positive=False)

    def _update(self, theta, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * theta
        state["step"] = state.get("step", 0) + 1
        v = state.get("square_avg", 0.0)
        state["square_avg"] = v = self.alpha * v + (1 - self.alpha) * g * g
        return self.lr * g / (np.sqrt(v) + self.eps)

    def _settings(self):
        return {"lr": self.lr, "alpha": self.alpha, "eps": self.eps,
                "weight_decay": self.weight_decay}


class Adam(Optimizer):
    """Adam: momentum on the gradient and RMSprop's scaling, both bias-corrected
    (``torch.optim.Adam``).

    .. math::

        g_t &= \\nabla_\\theta L + \\lambda\\,\\theta_{t-1} \\\\
        m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t, \\qquad
        v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2 \\quad (m_0 = v_0 = 0) \\\\
        \\hat m_t &= m_t / (1 - \\beta_1^t), \\qquad \\hat v_t = v_t / (1 - \\beta_2^t) \\\\
        \\theta_t &= \\theta_{t-1} - \\text{lr}\\; \\hat m_t / (\\sqrt{\\hat v_t} + \\varepsilon)

    The corrections undo the start at zero: with a constant gradient g,
    ``m_t = (1 - β₁ᵗ) g`` (a geometric series), so ``m̂_t = g`` from the first step.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(params, lr)
        try:
            beta1, beta2 = betas
        except (TypeError, ValueError):
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
        self.betas = (_fraction(beta1, "betas[0]"), _fraction(beta2, "betas[1]"))
        self.eps = _rate(eps, "eps")
        self.weight_decay = _rate(weight_decay, "weight_decay", positive=False)

    def _update(self, theta, g, state):
        beta1, beta2 = self.betas
        if self.weight_decay:
            g = g + self.weight_decay * theta
        t = state["step"] = state.get("step", 0) + 1
        state["exp_avg"] = m = beta1 * state.get("exp_avg", 0.0) + (1 - beta1) * g
        state["exp_avg_sq"] = v = beta2 * state.get("exp_avg_sq", 0.0) + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def _settings(self):
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps,
                "weight_decay": self.weight_decay}


def minimize(make_optimizer: Callable, grad_f: Callable, x0, *, num_steps: int,
             f: Callable | None = None, schedule: Callable | None = None) -> History:
    """Run an optimiser on a function of a point and record every iterate.

    Parameters
    ----------
    make_optimizer : callable
        ``params -> optimiser``, e.g. ``lambda ps: Adam(ps, lr=0.1)``.
    grad_f : callable
        ``x -> ∇f(x)``, an array of the shape of ``x0``.
    x0 : array_like
        The starting point.
    num_steps : int
        Steps to take; the run stops early (as diverged) at a non-finite iterate.
    f : callable, optional
        ``x -> f(x)``, recorded at each iterate.
    schedule : callable, optional
        ``step -> learning rate`` (steps counted from 0), e.g.
        ``lambda t: cosine(t, 0.1, num_steps)``.

    Returns
    -------
    History
        ``xs`` (num_steps + 1, d), values, gradient norms and why it stopped.
    """
    from calcml.optimize.descent import EXPLODE, _num_steps, _start

    if not callable(grad_f):
        raise TypeError(f"grad_f must be a function of x, got {type(grad_f).__name__}")
    num_steps = _num_steps(num_steps)
    x = Tensor(_start(x0), requires_grad=True)
    optimizer = make_optimizer([x])
    if not isinstance(optimizer, Optimizer):
        raise TypeError("make_optimizer must return an optimiser (SGD, RMSprop, Adam), got "
                        f"{type(optimizer).__name__}")
    xs, grads, values = [x.data.copy()], [], []
    scale = max(1.0, float(np.linalg.norm(x.data)))
    reason, message = StopReason.MAX_STEPS, f"took all {num_steps} steps"
    for step in range(num_steps + 1):
        with np.errstate(all="ignore"):
            g = np.asarray(grad_f(x.data.copy()), dtype=np.float64).reshape(x.shape)
            grads.append(float(np.linalg.norm(g)))
        if f is not None:
            values.append(float(f(x.data.copy())))
        if step == num_steps:
            break
        if not np.all(np.isfinite(g)):
            reason, message = StopReason.DIVERGED, f"a non-finite gradient at step {step}"
            break
        if schedule is not None:
            optimizer.lr = _rate(schedule(step), "the schedule's learning rate")
        x.grad = g
        with np.errstate(all="ignore"):
            optimizer.step()
        xs.append(x.data.copy())
        with np.errstate(all="ignore"):
            size = float(np.linalg.norm(x.data))
        if not size <= EXPLODE * scale:  # non-finite, or exploding before it overflows
            reason = StopReason.DIVERGED
            message = f"diverged at step {step + 1}: |x| = {size:.3g}"
            grads.append(math.nan)
            if f is not None:
                values.append(math.nan)
            break
    return History(np.array(xs), np.array(values) if f is not None else None,
                   np.array(grads), reason, message)
