"""The course's lesson list: fixed names, in order, with what each one teaches.

The list is the single source for the README's table, the book's table of contents
and ``calcml list``. A lesson appears in the book only once its notebook exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["APPENDICES", "LESSONS", "Lesson", "count_exercises", "existing_lessons",
           "find_root"]


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course."""

    number: int
    slug: str
    title: str
    teaches: str
    ml_connection: str
    appendix: bool = False

    @property
    def stem(self) -> str:
        """File name without extension, e.g. ``01-functions-and-limits``."""
        return f"{self.number:02d}-{self.slug}"


LESSONS: tuple[Lesson, ...] = (
    Lesson(1, "functions-and-limits", "Functions and limits",
           "functions as models, limits from both sides, continuity, asymptotes",
           "activations (sigmoid, ReLU) and why saturated units stop learning"),
    Lesson(2, "derivatives-basics", "Derivatives: the basics",
           "secant to tangent, the derivative as a limit, numerical derivatives",
           "rate of change of a loss; finite differences for gradient checks"),
    Lesson(3, "rules-of-differentiation", "Rules of differentiation",
           "power, product, quotient and chain rules; derivatives of exp, log, trig",
           "derivatives of activations and losses: sigmoid, softplus, cross-entropy"),
    Lesson(4, "partial-derivatives", "Partial derivatives",
           "surfaces and slices; partial derivatives by hand, with SymPy and numerically; "
           "mixed partials and Schwarz's theorem; the tangent plane and its O(|h|²) error",
           "∂L/∂w and ∂L/∂b of a regression's mean squared error on the diabetes data, "
           "one update step by hand; a neuron's slope in one weight"),
    Lesson(5, "gradients", "Gradients",
           "the gradient, directional derivatives, steepest ascent and level sets; "
           "gradient descent, its largest learning rate 2/λ_max and the condition number κ",
           "ten-feature linear regression by gradient descent reaching the least-squares "
           "solution; standardising the features shrinks κ and the steps needed"),
    Lesson(6, "chain-rule", "The chain rule and backpropagation",
           "chain rule in one and many variables, computational graphs, autodiff",
           "backpropagation: training a neural network from scratch"),
    Lesson(7, "multivariable-functions", "Multivariable functions",
           "surfaces, level sets, limits along paths, Jacobians, Lagrange multipliers",
           "layers as vector functions; Jacobians in backpropagation; ridge as least squares on a ball"),
    Lesson(8, "hessian-matrix", "The Hessian matrix",
           "second derivatives, curvature, convexity, saddle points, Newton's method",
           "curvature of a loss, Newton (IRLS) for logistic regression, why saddles slow training"),
    Lesson(9, "taylor-series", "Sequences, series and Taylor approximation",
           "sequences, series and convergence tests; local polynomial approximation and its error",
           "why gradient descent works locally; second-order optimizers"),
    Lesson(10, "integrals-overview", "Integrals: an overview",
           "area, the fundamental theorem, numerical integration",
           "expectations, probability densities and normalising constants"),
    Lesson(11, "calculus-in-ml", "Calculus in machine learning",
           "regressions trained from their derivatives; SGD, momentum, RMSprop and Adam from "
           "their update rules; minibatches, schedules, sensitivities; where calculus stops",
           "linear, ridge and logistic regression matched to scikit-learn; a digits network "
           "trained with PyTorch-style optimisers; saliency maps and dw*/dλ"),
)

#: Pages outside the numbered path, listed after the lessons (the book's "Appendix").
#: An appendix is numbered 0 so that its exercises are 0.1, 0.2, …
APPENDICES: tuple[Lesson, ...] = (
    Lesson(0, "primer", "A primer on the notation",
           "vectors, matrices, shapes, matrix products and broadcasting in NumPy, sums with Σ",
           "data matrices, a layer's X @ W + b, a loss as a sum over examples",
           appendix=True),
)

_EXERCISE_HEADING = re.compile(r"^#{1,6}\s+Exercise\b", re.MULTILINE)


def find_root(start: Path | None = None) -> Path:
    """Return the course repository's root: the nearest folder holding ``notebooks/``.

    Raises
    ------
    FileNotFoundError
        When no parent of ``start`` (default: the working directory) has one.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    raise FileNotFoundError(
        f"no calcml course folder (with notebooks/ and pyproject.toml) at or above {here}"
    )


def existing_lessons(root: Path) -> list[tuple[Lesson, Path]]:
    """The lessons whose text source ``notebooks/NN-slug.md`` exists, in course order,
    followed by the appendices that exist."""
    out = []
    for lesson in (*LESSONS, *APPENDICES):
        path = root / "notebooks" / f"{lesson.stem}.md"
        if path.is_file():
            out.append((lesson, path))
    return out


def count_exercises(markdown_sources: list[str]) -> int:
    """Count the exercise headings (markdown headings starting with "Exercise")."""
    return sum(len(_EXERCISE_HEADING.findall(src)) for src in markdown_sources)
