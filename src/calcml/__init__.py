"""calcml — the companion package of the course *Calculus for Machine Learning*.

Small modules, one idea each, used by the lessons in ``notebooks/``:

``calcml.functions``   the functions ML models are built from (sigmoid, ReLU, ...)
``calcml.limits``      numerical limits: tables from both sides, stable rewrites
``calcml.figures.limits``    figures used by the lessons (``ax=None`` in, axes out)
``calcml.widgets``     interactive figures with a static fallback for the book
``calcml.numdiff``     numerical derivatives, gradients, Jacobians, gradient checks
``calcml.symbolic``    derivatives explained step by step
``calcml.autodiff``    forward (dual numbers) and reverse mode (Tensor) autodiff
``calcml.exercises``   auto-checked exercises with diagnosing hints
``calcml.lessons``     the lesson list, used by the CLI and the book

Heavy libraries (SymPy, SciPy, Matplotlib) are imported by the modules that need them,
never here, so ``import calcml`` stays fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
