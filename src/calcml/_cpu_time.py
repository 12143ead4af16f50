"""One CPU-time limit for the searches of the mathematical core (series, integrals).

CPU time, not wall-clock time: on a machine busy with other work (a shared Binder, a test
run in parallel) a search gets the same amount of computing and so gives the same answer;
a wall-clock limit made textbook series "undecided" and gave up on textbook integrals
under load.
"""

from __future__ import annotations

import _weakrefset
import gc
import signal
import sys
import threading
import time
import weakref
from contextlib import contextmanager

AGAIN = 0.05  # seconds of CPU time between repeated timeouts
# the weak-reference machinery, whose callbacks (WeakSet's, WeakValueDictionary's) run
# when an object is freed, where Python swallows what is raised
_WEAKREF_FILES = frozenset({weakref.__file__, _weakrefset.__file__})


def inside(frame, block) -> bool:
    """Whether ``block`` (the frame running a ``with`` of a time limit) is ``frame`` or one
    of its callers: a timer firing when it is not found has outlived its block (it fired
    in the block's exit before the disarming), and disarms itself instead of raising."""
    while frame is not None:
        if frame is block:
            return True
        frame = frame.f_back
    return False


def interruptible(frame) -> bool:
    """Whether a timer's signal handler, called on ``frame``, may raise there: not inside
    an import (it would leave a module half imported), a finalizer (``__del__``), a
    callback of the garbage collector (Hypothesis keeps one) or the standard library's
    weak references (their callbacks run when an object is freed), where Python swallows
    what is raised and reports it as unraisable. A timer that fires again soon stops the
    block once it is out of those."""
    callbacks = {getattr(c, "__code__", None) for c in gc.callbacks}
    while frame is not None:
        code = frame.f_code
        if (code.co_name == "__del__" or code in callbacks
                or code.co_filename.startswith("<frozen importlib")
                or code.co_filename in _WEAKREF_FILES):
            return False
        frame = frame.f_back
    return True


@contextmanager
def cpu_time_limit(seconds: float | None, timeout: type[BaseException]):
    """Raise ``timeout`` inside the block after ``seconds`` of this thread's CPU time.

    (The timer counts the whole process's CPU time, which includes other threads, such as
    BLAS's spinning after a matrix product under a busy machine; it then fires early and
    waits, every ``AGAIN`` seconds, until this thread has used its ``seconds``.)

    Only in the main thread of a Unix process, and only when no other such limit is
    running (an inner limit inside an outer one leaves the outer in charge); otherwise the
    block runs unlimited. ``timeout`` should derive from BaseException, so that a library's
    ``except Exception`` cannot swallow it. It fires again every ``AGAIN`` seconds until
    the block ends, so that code swallowing one (a bare ``except:``) is stopped by the
    next instead of running on without a limit. It is not raised inside an import, a
    finalizer (``__del__``), a callback of the garbage collector or of the standard
    library's weak references (see :func:`interruptible`), where it would leave a module half imported or be
    swallowed (and reported as unraisable); the next one,
    AGAIN later, is. Enter it with ``with`` in the code it limits: it watches the frame of
    that ``with`` and disarms itself if it fires once that frame has left the block.
    """
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if usable and signal.getitimer(signal.ITIMER_PROF)[0] > 0:
        usable = False  # somebody else's limit is running: leave it alone
    if not usable:
        yield
        return
    if seconds <= 0:
        raise timeout

    block = sys._getframe(2)  # the frame with the ``with`` (above contextlib's __enter__)

    def fire(signum, frame):
        if not inside(frame, block):  # the block is over: never raise in unrelated code
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
        elif time.thread_time() - begun < seconds:
            return  # the process's other threads (BLAS's, spinning) spent it: not ours
        elif interruptible(frame):  # else the timer fires again AGAIN seconds later
            raise timeout

    begun = time.thread_time()
    previous = signal.signal(signal.SIGPROF, fire)
    signal.setitimer(signal.ITIMER_PROF, seconds, AGAIN)
    try:
        yield
    finally:
        while True:  # disarm, even when the timer fires again meanwhile (dropped here:
            try:     # the block it would stop has ended)
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
                break
            except timeout:
                continue
