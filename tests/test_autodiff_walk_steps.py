"""The backward walk's written-out steps (add, matmul, linear, tanh, cross_entropy) give the
gradients of the rules in ``VJP`` they were written from, and the walk falls back to those
rules when one is replaced."""

import numpy as np
import pytest

from calcml import autodiff as ad
from calcml.autodiff import Tensor, rules
from calcml.autodiff import tensor as engine

rng = np.random.default_rng(8)


def _grads(f, *values, dtype=np.float64):
    inputs = [Tensor(np.asarray(v, dtype=dtype), requires_grad=True) for v in values]
    out = f(*inputs)
    out.backward()
    return [t.grad for t in inputs]


CASES = {
    "add": [
        (lambda a, b: ((a + b) * (a + b)).sum(), (rng.normal(size=(4, 3)), rng.normal(size=3))),
        (lambda a, b: ((a + b) ** 2).sum(), (rng.normal(size=(4, 1)), rng.normal(size=(1, 3)))),
        (lambda a, b: ((a + b) ** 2).sum(), (rng.normal(size=(2, 4, 3)), rng.normal(size=(4, 3)))),
        (lambda a, b: ((a + b) ** 2).sum(), (rng.normal(), rng.normal(size=(2, 3)))),
        (lambda a, b: (a + b).sum(), (rng.normal(size=3), rng.normal(size=3))),
        (lambda a, b: (a + b) * (a + 2.0), (1.5, -0.5)),
    ],
    "matmul": [
        (lambda a, b: ((a @ b) ** 2).sum(), (rng.normal(size=(4, 3)), rng.normal(size=(3, 2)))),
        (lambda a, b: ((a @ b) ** 2).sum(), (rng.normal(size=3), rng.normal(size=(3, 2)))),
        (lambda a, b: ((a @ b) ** 2).sum(), (rng.normal(size=(2, 4, 3)), rng.normal(size=(3, 2)))),
        (lambda a, b: (a @ b) * 2.0, (rng.normal(size=3), rng.normal(size=3))),
    ],
    "linear": [
        (lambda x, w, b: (ad.linear(x, w, b).tanh() ** 2).sum(),
         (rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2))),
    ],
    "tanh": [
        (lambda a: (a.tanh() * a).sum(), (rng.normal(size=(3, 4)),)),
        (lambda a: a.tanh() * 3.0, (0.7,)),
        (lambda a: (a.tanh() + a.tanh()).sum(), (rng.normal(size=5),)),
    ],
    "cross_entropy": [
        (lambda z: ad.cross_entropy(z, np.array([0, 2, 1, 2])), (rng.normal(size=(4, 3)),)),
        (lambda z: ad.cross_entropy(z * 2.0, np.array([1, 0])) * 3.0, (rng.normal(size=(2, 5)),)),
    ],
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("op", "case"), [(op, i) for op, cases in CASES.items()
                                          for i in range(len(cases))])
def test_a_written_out_step_agrees_with_the_rules_of_vjp(op, case, dtype, monkeypatch):
    f, values = CASES[op][case]
    fast = _grads(f, *values, dtype=dtype)
    monkeypatch.setitem(rules.VJP, op, tuple(list(rules.VJP[op])))  # noqa: C414 (tuple(t) is t)
    assert op not in engine._fast_ops()  # the walk now uses the rule in VJP
    general = _grads(f, *values, dtype=dtype)
    for a, b in zip(fast, general, strict=True):
        assert a.shape == b.shape
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-6 if dtype == np.float32 else 1e-14)


def test_the_table_counts_every_kind_of_change():
    table = rules.RuleTable({"a": 1})
    versions = [table.version]
    for change in (lambda t: t.__setitem__("b", 2), lambda t: t.update(c=3),
                   lambda t: t.setdefault("d", 4), lambda t: t.pop("d"),
                   lambda t: t.__delitem__("c"), lambda t: t.__ior__({"e": 5}),
                   lambda t: t.popitem(), lambda t: t.clear()):
        change(table)
        versions.append(table.version)
    assert versions == sorted(set(versions))  # each change a new version


def test_a_rule_put_back_is_written_out_again(monkeypatch):
    with monkeypatch.context() as m:
        m.setitem(rules.VJP, "add", (lambda g, ans, x, y: g, lambda g, ans, x, y: g))
        assert "add" not in engine._fast_ops()
    assert "add" in engine._fast_ops()


def test_a_replaced_rule_is_used_by_the_walk(monkeypatch):
    monkeypatch.setitem(rules.VJP, "tanh", (lambda g, ans, x: g * 0.0 + 7.0,))
    x = Tensor([0.1, 0.2], requires_grad=True)
    x.tanh().sum().backward()
    np.testing.assert_array_equal(x.grad, [7.0, 7.0])


def test_gradients_from_the_written_out_steps_are_never_shared_with_an_input():
    W = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(np.zeros(2), requires_grad=True)
    c = Tensor(np.zeros((4, 2)), requires_grad=True)
    h = Tensor(rng.normal(size=(4, 3))) @ W + b
    out = h + c
    ad.retain_grads(out)
    ad.cross_entropy(out.tanh(), np.array([0, 1, 1, 0])).backward()
    assert not np.shares_memory(c.grad, out.grad)  # c + (…) passes g on: c gets a copy
    assert not np.shares_memory(h.grad, out.grad)  # retained: each its own copy
    np.testing.assert_array_equal(h.grad, out.grad)
    for t in (W, b, c, h):
        assert t.grad.flags.writeable
        t.grad *= 0  # an input's gradient is its own
    assert np.any(out.grad != 0)


def test_a_training_loop_of_the_plain_operations_matches_the_fused_one():
    X, y = rng.normal(size=(16, 4)), rng.integers(0, 3, 16)
    W1, b1, W2, b2 = rng.normal(size=(4, 5)), np.zeros(5), rng.normal(size=(5, 3)), np.zeros(3)
    plain = [Tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    fused = [Tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    for _ in range(3):
        for params, make in ((plain, lambda x, p: (x @ p[0] + p[1]).tanh() @ p[2] + p[3]),
                             (fused, lambda x, p: ad.linear(ad.linear(x, p[0], p[1]).tanh(),
                                                            p[2], p[3]))):
            loss = ad.cross_entropy(make(Tensor(X), params), y)
            for p in params:
                p.zero_grad()
            loss.backward()
            for p in params:
                p.data -= 0.5 * p.grad
    for p, q in zip(plain, fused, strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-13, atol=1e-15)
