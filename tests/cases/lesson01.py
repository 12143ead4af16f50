"""Right and wrong answers for lesson 01's exercises."""

import math

CASES = {
    "1.1": {
        "right": [3.0, 3, 2.9999999],
        "wrong": [
            (1.0, "angle is 3x"),
            (1 / 3, "upside down"),
            (math.sin(3.0), "value at x = 1"),
            (-3.0, "wrong sign"),
        ],
    },
}
