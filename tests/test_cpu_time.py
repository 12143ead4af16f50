"""The CPU-time limit of the core's searches stops a block even when the block swallows
its first timeout, and leaves no timer behind."""

import contextlib
import signal
import time

import pytest

from calcml._cpu_time import cpu_time_limit


class _Stop(BaseException):
    pass


def _swallowing(seconds):
    """Spin, catching the first timeout as a library's bare ``except:`` would, then spin on."""
    with contextlib.suppress(BaseException):
        _spin(seconds)
    _spin(seconds)


def _spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_block_that_swallows_the_first_timeout_is_stopped_by_the_next():
    start = time.process_time()
    with pytest.raises(_Stop), cpu_time_limit(0.1, _Stop):
        _swallowing(5)
    assert time.process_time() - start < 1.0
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0  # disarmed


def test_an_inner_limit_leaves_the_outer_in_charge_and_nothing_is_left_running():
    previous = signal.getsignal(signal.SIGPROF)
    with pytest.raises(_Stop), cpu_time_limit(0.1, _Stop), cpu_time_limit(10.0, _Stop):
        _spin(5)
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0
    assert signal.getsignal(signal.SIGPROF) == previous
    with cpu_time_limit(1.0, _Stop):  # a block that ends in time runs as it is
        _spin(0.01)
    with pytest.raises(_Stop), cpu_time_limit(0, _Stop):
        _spin(1)


class _SpinsWhenFreed:
    def __del__(self):
        _spin(0.3)  # a finalizer running past the deadline: the timeout waits until it ends


def _free_a_spinning_object_then_spin(gc):
    _SpinsWhenFreed()  # freed at once: its __del__ spins through the deadline
    gc.collect()
    _spin(5)


def test_no_timeout_is_raised_inside_a_finalizer_and_the_next_one_stops_the_block():
    import gc
    import sys

    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        start = time.process_time()
        with pytest.raises(_Stop), cpu_time_limit(0.05, _Stop):
            _free_a_spinning_object_then_spin(gc)
    finally:
        sys.unraisablehook = hook
    assert unraisable == []  # nothing swallowed in __del__
    assert time.process_time() - start < 1.5
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0


def test_no_timeout_is_raised_inside_a_callback_of_the_garbage_collector():
    import gc
    import sys

    def slow_callback(phase, info):
        if phase == "stop":
            _spin(0.2)

    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(_Stop), cpu_time_limit(0.05, _Stop):
            _collect_then_spin(gc)
    finally:
        gc.callbacks.remove(slow_callback)
        sys.unraisablehook = hook
    assert unraisable == []


def _collect_then_spin(gc):
    gc.collect()  # the callback spins through the deadline
    _spin(5)



def _checkers_limit():
    from calcml.exercises.core import time_limit

    return time_limit(5.0)


@pytest.mark.parametrize(("limit", "signum", "timer"), [
    (lambda: cpu_time_limit(5.0, _Stop), signal.SIGPROF, signal.ITIMER_PROF),  # the core's
    (_checkers_limit, signal.SIGALRM, signal.ITIMER_REAL),  # the checkers' wall-clock one
])
def test_a_timer_that_outlives_its_block_disarms_itself_instead_of_raising(limit, signum,
                                                                           timer):
    import sys

    def a_block():
        with limit():
            return signal.getsignal(signum)

    before = signal.getsignal(signum)
    fire = a_block()
    signal.signal(signum, fire)  # as if the block ended before its disarming
    signal.setitimer(timer, 5.0, 0.05)
    fire(signum, sys._getframe())  # fires here, outside the block: nothing is raised
    assert signal.getitimer(timer)[0] == 0
    assert signal.getsignal(signum) is before


def test_no_timeout_is_raised_inside_a_weak_reference_callback():
    # WeakSet's callback runs when a member is freed; Python swallows what it raises (a
    # suite run once reported a timeout swallowed there as unraisable)
    import sys
    import weakref

    from calcml._cpu_time import interruptible

    class Member:
        pass

    frames = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "_remove":
            frames.append(frame)

    members, member = weakref.WeakSet(), Member()
    members.add(member)
    sys.setprofile(profile)
    try:
        del member  # WeakSet's _remove runs here
    finally:
        sys.setprofile(None)
    assert frames
    assert not interruptible(frames[0])
    assert interruptible(sys._getframe())


def test_the_cpu_time_of_other_threads_does_not_count():
    # a busy thread (BLAS's spinning, say) uses the process's CPU time; the block, asleep,
    # uses none of its own and must not be stopped
    import threading

    stop = threading.Event()

    def busy():
        while not stop.is_set():
            sum(range(1000))

    worker = threading.Thread(target=busy)
    worker.start()
    try:
        with cpu_time_limit(0.1, _Stop):
            time.sleep(0.6)  # the process spends about 0.6 s of CPU meanwhile
    finally:
        stop.set()
        worker.join()
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0
