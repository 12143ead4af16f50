"""Optimisers built from derivatives, one module per method.

``calcml.optimize.history``   :class:`History`, the record every method returns
(lesson 05: ``gradient_descent``; lesson 08: ``newton``; lesson 11: ``SGD``, ``RMSprop``,
``Adam`` and learning-rate schedules) — each method in its own module, re-exported here.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from calcml.optimize.clipping import clip_grad_norm
from calcml.optimize.descent import gradient_descent
from calcml.optimize.history import History, StopReason
from calcml.optimize.newton import newton
from calcml.optimize.optimizers import SGD, Adam, Optimizer, RMSprop, minimize
from calcml.optimize.schedules import cosine, step_decay

__all__ = ["SGD", "Adam", "History", "Optimizer", "RMSprop", "StopReason", "clip_grad_norm",
           "cosine", "gradient_descent", "minimize", "newton", "step_decay"]
