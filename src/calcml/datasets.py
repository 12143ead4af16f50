"""The course's datasets: scikit-learn's bundled ones, loaded, split and standardised the
way the lessons use them. Nothing is downloaded.

The files are read directly where scikit-learn keeps them, which spares importing
scikit-learn (about a second per kernel); otherwise ``sklearn.datasets`` is used.

* :func:`diabetes` — 442 patients, ten features, disease progression after a year
  (lessons 04, 05, 07, 11: regression);
* :func:`breast_cancer` — 569 tumours, 30 features, malignant (0) or benign (1)
  (lessons 01–03, 07, 08, 10, 11: logistic regression);
* :func:`digits_split` — 8×8 images of handwritten digits, ten classes (lessons 06, 11);
* :func:`split` and :func:`standardize` — a seeded train/test split and z-scores with the
  training set's mean and spread.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["DIABETES_FEATURES", "Dataset", "breast_cancer", "diabetes", "digits_split",
           "split", "standardize"]

DIABETES_FEATURES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")


@dataclass(frozen=True)
class Dataset:
    """A data matrix ``X`` (rows are examples), its targets ``y`` and the column names."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...] = ()

    def column(self, name: str) -> np.ndarray:
        """One feature by name, e.g. ``data.column("bmi")``."""
        try:
            return self.X[:, self.feature_names.index(name)]
        except ValueError:
            raise KeyError(f"no feature {name!r}; the features are "
                           f"{', '.join(self.feature_names)}") from None


def _data_file(name: str) -> Path | None:
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.origin:  # pragma: no cover
        return None
    path = Path(spec.origin).parent / "datasets" / "data" / name
    return path if path.is_file() else None


def diabetes(*, scaled: bool = False) -> Dataset:
    """The diabetes data: ten baseline measurements of 442 patients and a measure of
    disease progression one year later.

    Parameters
    ----------
    scaled : bool
        False (default): the features in their own units (age in years, BMI in kg/m², ...),
        as a learner would read them. True: each column centred and scaled to unit
        Euclidean norm, exactly as ``sklearn.datasets.load_diabetes()`` returns them.
    """
    data, target = _data_file("diabetes_data_raw.csv.gz"), _data_file("diabetes_target.csv.gz")
    if data is not None and target is not None:
        X, y = np.loadtxt(data), np.loadtxt(target)
    else:  # pragma: no cover — a scikit-learn that keeps its data elsewhere
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True, scaled=False)
    X = X.astype(np.float64)
    if scaled:
        X = X - X.mean(axis=0)
        X = X / np.sqrt((X**2).sum(axis=0))
    return Dataset(X, y.astype(np.float64), DIABETES_FEATURES)


def breast_cancer() -> Dataset:
    """The Wisconsin breast-cancer data: 30 features of 569 tumours; ``y`` is 0 for
    malignant and 1 for benign (scikit-learn's coding)."""
    path = _data_file("breast_cancer.csv")
    if path is not None:
        table = np.loadtxt(path, delimiter=",", skiprows=1)
        X, y = table[:, :-1], table[:, -1].astype(np.int64)
        from_sklearn = None
    else:  # pragma: no cover
        from sklearn.datasets import load_breast_cancer

        from_sklearn = load_breast_cancer()
        X, y = from_sklearn.data, from_sklearn.target
    names = _BREAST_CANCER_FEATURES if from_sklearn is None else tuple(from_sklearn.feature_names)
    return Dataset(X.astype(np.float64), y, names, ("malignant", "benign"))


_MEASURES = ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
             "concavity", "concave points", "symmetry", "fractal dimension")
_BREAST_CANCER_FEATURES = tuple(
    [f"mean {m}" for m in _MEASURES] + [f"{m} error" for m in _MEASURES]
    + [f"worst {m}" for m in _MEASURES])


def split(X, y, rng: np.random.Generator, test_fraction: float = 0.2):
    """A random train/test split drawn with ``rng``: ``X_train, y_train, X_test, y_test``."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(0), "
                        f"got {type(rng).__name__}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} entries")
    order = rng.permutation(len(X))
    cut = int((1 - test_fraction) * len(X))
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


def standardize(X_train, *others):
    """Z-scores: subtract the training columns' mean, divide by their standard deviation.

    The same shift and scale are applied to every array in ``others`` (test sets), so no
    information from them leaks into training. Returns ``(Z_train, *Z_others)``.
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    if np.any(std == 0):
        raise ValueError(f"column(s) {np.flatnonzero(std == 0).tolist()} are constant "
                         "in the training set and cannot be standardised")
    out = [(X_train - mean) / std] + [(np.asarray(o, dtype=np.float64) - mean) / std
                                      for o in others]
    return tuple(out) if others else out[0]


def digits_split(rng: np.random.Generator, test_fraction: float = 0.2):
    """The digits data (8×8 images, ten classes) scaled to [0, 1], split at random.

    Returns ``X_train, y_train, X_test, y_test``: pixel intensities / 16 as float64,
    labels as int64.
    """
    path = _data_file("digits.csv.gz")
    if path is not None:
        table = np.loadtxt(path, delimiter=",")
        X, y = table[:, :-1], table[:, -1].astype(np.int64)
    else:  # pragma: no cover
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
    return split(X.astype(np.float64) / 16.0, y, rng, test_fraction)
