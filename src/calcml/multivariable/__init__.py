"""Functions of several variables: the few symbolic helpers SymPy has not as such.

One module per idea, re-exported here (lessons 04–05: directional derivatives and
tangent planes; lessons 07–08: critical points and Lagrange multipliers). SymPy's own
``sp.diff``, ``sp.Matrix.jacobian`` and ``sp.hessian`` are used as they are, not re-wrapped.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from calcml.multivariable.critical import (
    CriticalPoint,
    CriticalPointsError,
    classify,
    critical_points,
)
from calcml.multivariable.directional import directional_derivative, tangent_plane
from calcml.multivariable.lagrange import LagrangeCandidate, lagrange

__all__: list[str] = [
    "CriticalPoint",
    "CriticalPointsError",
    "LagrangeCandidate",
    "classify",
    "critical_points",
    "directional_derivative",
    "lagrange",
    "tangent_plane",
]
