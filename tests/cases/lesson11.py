"""Right and wrong answers for lesson 11's exercises (calculus in machine learning)."""

import math

import numpy as np

from calcml.exercises.lesson11 import (
    problem_11_1,
    problem_11_2,
    problem_11_4,
    problem_11_5,
    problem_11_6,
)

# 11.1: ∇L = (2/n) Xᵀ(Xw − y) + 2λw
X1, Y1, W1, LAM1 = problem_11_1()
DATA1 = 2 / len(Y1) * X1.T @ (X1 @ W1 - Y1)
G1 = DATA1 + 2 * LAM1 * W1

# 11.2: 2/λ_max of the Hessian (2/n) XᵀX
X2 = problem_11_2()
EIG2 = np.linalg.eigvalsh(X2.T @ X2)
N2 = len(X2)
R2 = 2 / (2 / N2 * EIG2[-1])


# 11.4: three steps of Adam
def adam(theta, grads, lr, betas, eps, correct=True):
    m = v = 0.0
    for t, g in enumerate(grads, start=1):
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        mh, vh = (m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)) if correct else (m, v)
        theta -= lr * mh / (math.sqrt(vh) + eps)
    return theta


T4, GRADS4, S4 = problem_11_4()
R4 = adam(T4, GRADS4, **S4)

# 11.5: ∂p/∂x = p(1 − p) w
W5, B5, X5 = problem_11_5()
P5 = 1 / (1 + math.exp(-(W5 @ X5 + B5)))
R5 = P5 * (1 - P5) * W5

# 11.6: dw*/dλ = −(XᵀX/n + λI)⁻¹ w*
X6, Y6, LAM6 = problem_11_6()
M6 = X6.T @ X6 / len(Y6) + LAM6 * np.eye(3)
WS6 = np.linalg.solve(M6, X6.T @ Y6 / len(Y6))
R6 = -np.linalg.solve(M6, WS6)
H = 1e-5
FD6 = (np.linalg.solve(M6 + H * np.eye(3), X6.T @ Y6 / len(Y6))
       - np.linalg.solve(M6 - H * np.eye(3), X6.T @ Y6 / len(Y6))) / (2 * H)

CASES = {
    "11.1": {
        "right": [G1, G1.tolist()],
        "wrong": [
            (DATA1 - 2 * LAM1 * W1, "wrong sign: λ|w|² grows"),
            (DATA1 + LAM1 * W1, "not λw"),
            (DATA1, "penalty λ|w|² has a gradient too"),
            (DATA1 / 2 + 2 * LAM1 * W1, "lost a factor"),
            (len(Y1) * DATA1 + 2 * LAM1 * W1, "keeps the 1/n"),
            (-DATA1 + 2 * LAM1 * W1, "∂r/∂w is +X"),
            (2 * G1, "constant factor"),
            (G1[:2], "shape"),
            (np.round(G1, 2), "close to the expected"),
        ],
    },
    "11.2": {
        "right": [R2, float(f"{R2:.5g}"), N2 / EIG2[-1]],
        "wrong": [
            (1 / (2 / N2 * EIG2[-1]), "removes the steepest direction in one step"),
            (2 / (EIG2[-1] / N2), "a factor the matrix XᵀX/n alone"),
            (2 / (2 / N2 * EIG2[0]), "the steepest one"),
            (2 / EIG2[-1], "carries that 1/n"),
            (2 / (2 / N2 * (EIG2[0] + EIG2[-1])), "best fixed rate"),
            (2 / (2 / N2 * np.linalg.eigvalsh(np.hstack([X2, np.ones((N2, 1))]).T
                                              @ np.hstack([X2, np.ones((N2, 1))]))[-1]),
             "no bias b"),
            (2 / (2 / N2 * np.linalg.eigvalsh((X2 - X2.mean(0)).T @ (X2 - X2.mean(0)))[-1]),
             "nothing is centred"),
            (float(f"{R2:.3g}"), "close but slightly"),
            (-R2, "sign"),
        ],
    },
    "11.3": {
        "right": [0.15, "0.15", 0.02 * 1.5 / 0.2],
        "wrong": [
            (0.02 * 1.5 / 0.8, "not 1/μ"),
            (0.03, "without momentum"),
            (0.02 * 1.5 * 0.8 / 0.2, "the term μ⁰ = 1"),
            (0.02 * 1.5 * 0.2, "a division, not a product"),
            (0.02 * 1.5 / 0.04, "sums to 1/(1 − μ)"),
            (1.5 / 0.2, "lr times the buffer"),
            (-0.15, "sign"),
            (0.02 * 1.5 / 1.8, "flips sign every step"),
            (5.0, "lr times the buffer"),
            (0.1, "1.5 is in every term"),
        ],
    },
    "11.4": {
        "right": [R4, f"{R4:.10f}"],
        "wrong": [
            (adam(T4, GRADS4, **S4, correct=False), "biased towards it"),
            (adam(T4, GRADS4, S4["lr"], S4["betas"][::-1], S4["eps"]), "β₁ = 0.9 belongs"),
            (T4 - S4["lr"] * sum(GRADS4), "plain gradient descent"),
            (2 * T4 - R4, "against the gradient"),
            (adam(T4, GRADS4[:2], **S4), "all three gradients"),
            (T4 - 0.3, "not all lr long"),
            (round(R4, 3), "close but slightly"),
            (adam(T4, GRADS4[:1], **S4), "that is θ₁"),
            (T4 - R4, "how far θ moved"),
        ],
    },
    "11.5": {
        "right": [R5, R5.tolist()],
        "wrong": [
            (W5, "gradient of the logit"),
            (P5 * W5, "not σ(z)"),
            ((1 - P5) * W5, "not 1 − σ(z)"),
            (P5 * (1 - P5) * X5, "∂p/∂w"),
            (-R5, "sign"),
            (R5 * X5, "not a factor of its own"),
            (R5[:3], "shape"),
        ],
    },
    "11.6": {
        "right": [R6, R6.tolist(), FD6],
        "wrong": [
            (-R6, "pulls the weights towards 0"),
            (-np.linalg.solve(X6.T @ X6 + LAM6 * np.eye(3), WS6), "carry the 1/n"),
            (-np.linalg.solve(X6.T @ X6 / len(Y6), WS6), "keeps the λI"),
            (-WS6, "multiply by the inverse"),
            (-WS6 / LAM6, "not λ, is what to divide by"),
            (2 * R6, "constant factor"),
            (np.round(R6, 2), "close to the expected"),
        ],
    },
    "11.7": {
        "right": [0.2, "0.2", 0.6 / 3],
        "wrong": [
            (0.6 * 16 / 144, "falls like 1/√B"),
            (0.6 / 12, "compare the two batch sizes"),
            (1.8, "less spread"),
            (0.6, "unbiased"),
            (0.6 / 144, "measured at B = 16"),
            (0.1995, "close but slightly"),
            (0.04, "that is a variance"),
        ],
    },
}
