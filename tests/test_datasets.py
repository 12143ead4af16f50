"""calcml.datasets: the bundled sets read as scikit-learn reads them, splits and z-scores."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits

from calcml.datasets import breast_cancer, diabetes, digits_split, split, standardize


def test_diabetes_matches_scikit_learn_raw_and_scaled():
    raw, scaled = diabetes(), diabetes(scaled=True)
    X_raw, y = load_diabetes(return_X_y=True, scaled=False)
    assert np.array_equal(raw.X, X_raw)
    assert np.array_equal(raw.y, y)
    assert np.allclose(scaled.X, load_diabetes().data, rtol=0, atol=1e-15)
    assert raw.feature_names == tuple(load_diabetes().feature_names)
    assert np.array_equal(raw.column("bmi"), X_raw[:, 2])
    with pytest.raises(KeyError, match="no feature 'weight'"):
        raw.column("weight")


def test_breast_cancer_matches_scikit_learn():
    data, ref = breast_cancer(), load_breast_cancer()
    assert np.array_equal(data.X, ref.data)
    assert np.array_equal(data.y, ref.target)
    assert data.feature_names == tuple(ref.feature_names)
    assert data.target_names == tuple(ref.target_names)


def test_digits_split_is_a_seeded_partition_of_the_data():
    X_train, y_train, X_test, y_test = digits_split(np.random.default_rng(0))
    X, y = load_digits(return_X_y=True)
    assert len(X_train) + len(X_test) == len(X)
    assert X_train.max() <= 1.0
    together = np.sort(np.concatenate([y_train, y_test]))
    assert np.array_equal(together, np.sort(y))
    again = digits_split(np.random.default_rng(0))
    assert np.array_equal(again[0], X_train)
    assert not np.array_equal(digits_split(np.random.default_rng(1))[0], X_train)


def test_split_checks_its_input():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    with pytest.raises(TypeError, match="Generator"):
        split(X, y, 0)
    with pytest.raises(ValueError, match="strictly between"):
        split(X, y, np.random.default_rng(0), test_fraction=0.0)
    with pytest.raises(ValueError, match="10 rows but y has 9"):
        split(X, y[:9], np.random.default_rng(0))


def test_standardize_uses_the_training_statistics_only():
    rng = np.random.default_rng(0)
    train, test = rng.normal(3.0, 2.0, (50, 3)), rng.normal(3.0, 2.0, (20, 3))
    z_train, z_test = standardize(train, test)
    assert np.allclose(z_train.mean(axis=0), 0)
    assert np.allclose(z_train.std(axis=0), 1)
    assert np.allclose(z_test, (test - train.mean(axis=0)) / train.std(axis=0))
    assert np.allclose(standardize(train), z_train)
    with pytest.raises(ValueError, match="constant"):
        standardize(np.ones((5, 2)))
