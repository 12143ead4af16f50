"""Right and wrong answers for lesson 05's exercises."""

import math
import time

import numpy as np
import sympy as sp

from calcml.exercises.lesson05 import problem_5_6

_G = np.array([4.0, 13.0])  # ∇(x²y + y³) at (1, 2)
_U = _G / np.linalg.norm(_G)
_A, _Y, _A_RAW = problem_5_6()
_N = len(_Y)


def _grad(theta):
    return 2 / _N * _A.T @ (_A @ theta - _Y)


def _slow_grad(theta):  # a grad_L that takes far too long
    time.sleep(30)
    return _grad(theta)


def _grad_loop(theta):  # the same, one partial derivative at a time
    r = _A @ theta - _Y
    return np.array([2 * np.mean(r * _A[:, j]) for j in range(_A.shape[1])])


CASES = {
    "5.1": {
        "right": [[4, 13], np.array([4.0, 13.0]), (4, 13)],
        "wrong": [
            ([13, 4], "wrong order"),
            ([8, 17], "which is too large"),
            ([4, 12], "missing a term"),
            ([2, 12], "constant factor"),
            ([-4, -13], "wrong sign"),
            ([10, 10], "f(1, 2) itself"),
            ([4, 13.1], "don't round"),
            (np.array([[4], [13]]), "shape"),
            ([2, 13], "constant factor of x²y"),
            ([4, 7], "power rule for y³"),
            ([4, 14], "x is held fixed"),
        ],
    },
    "5.2": {
        "right": [12.8, "64/5", sp.Rational(64, 5)],
        "wrong": [
            (64, "not a unit vector"),
            (2.56, "length squared"),
            (math.hypot(4, 13), "steepest direction"),
            (11.0, "paired wrongly"),
            (-12.8, "wrong sign"),
            (17 / math.sqrt(2), "not (1, 1)"),
            (64 / 7, "not 3 + 4"),
        ],
    },
    "5.3": {
        "right": [-_U, list(-_U), [-4 / math.sqrt(185), -13 / math.sqrt(185)]],
        "wrong": [
            (_U, "steepest ascent"),
            (-_G, "length 1"),
            (_G, "uphill"),
            ([-_U[1], _U[0]], "perpendicular"),
            ([_U[1], -_U[0]], "level set"),
            ([-_U[1], -_U[0]], "wrong order"),
            ([-0.294, -0.956], "don't round"),
            ([-0.5, -0.5], "has length"),
        ],
    },
    "5.4": {
        "right": [1 / 12, "1/12", sp.Rational(1, 12)],
        "wrong": [
            (1 / 3, "steepest direction sets the limit"),
            (1 / 6, "second derivative"),
            (1 / 24, "a larger one still does"),
            (1 / 15, "best fixed rate"),
            (12, "divided by the curvature"),
            (0.08, "too small"),
        ],
    },
    "5.5": {
        "right": [0.6, "3/5", sp.Rational(3, 5)],
        "wrong": [
            (4, "condition number"),
            (0.25, "1/κ"),
            (0.75, "lr = 1/λ_max"),
            (1 / 15, "best learning rate"),
            (-0.6, "wrong sign"),
            (0.36, "f − f_min"),
            (0.8, "lr = 1/(λ_min + λ_max)"),
            (0.5, "threshold"),
        ],
    },
    "5.6": {
        "right": [_grad, _grad_loop, lambda t: 2 * _A.T @ (_A @ t - _Y) / len(_Y)],
        "wrong": [
            (lambda t: 2 * _A.T @ (_A @ t - _Y), "1/N"),
            (lambda t: _A.T @ (_A @ t - _Y) / _N, "factor 2"),
            (lambda t: 2 / _N * _A_RAW.T @ (_A_RAW @ t - _Y), "raw features"),
            (lambda t: 2 / _N * _A.T @ (_Y - _A @ t), "wrong way"),
            (lambda t: 2 / _N * (_A @ t - _Y), "shape"),
            (lambda t: np.full(11, 2 * np.mean(_A @ t - _Y)), "its own feature column"),
            (lambda t: 2 / _N * _A.T @ (_A @ t - _Y) + 1, "too large"),
            (lambda t: 1 / 0, "ZeroDivisionError"),
            (lambda t: _grad(np.zeros(11)), "its argument theta"),
            (_slow_grad, "too slow"),
        ],
    },
}
