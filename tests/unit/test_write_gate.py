"""The SQLite write gate: one holder, urgent waiters first, first come first served."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

import pytest

from storage.write_gate import WriteGate

WAIT = 10.0


def _until(condition: Callable[[], bool]) -> None:
    """Until ``condition()`` holds (another thread's progress, not time), at most ``WAIT`` s."""
    done = threading.Event()
    for _ in range(100_000):
        if condition():
            return
        done.wait(0.0001)
    raise AssertionError("the other threads did not get there")


class _Waiter:
    """A thread taking ``gate`` (``urgent`` or not), noting ``name`` when it holds it, and
    giving it back."""

    def __init__(self, gate: WriteGate, name: str, order: list[str], *, urgent: bool) -> None:
        waiting_before = gate.waiting
        self.thread = threading.Thread(target=self._run, args=(gate, name, order, urgent),
                                       daemon=True)
        self.thread.start()
        _until(lambda: gate.waiting == waiting_before + 1)  # in line before the next one

    @staticmethod
    def _run(gate: WriteGate, name: str, order: list[str], urgent: bool) -> None:
        gate.acquire(urgent=urgent)
        order.append(name)
        gate.release()


def test_waiters_get_the_gate_urgent_first_then_in_arrival_order() -> None:
    gate = WriteGate()
    order: list[str] = []
    gate.acquire(urgent=False)
    waiters = [_Waiter(gate, name, order, urgent=urgent) for name, urgent in
               [("other-1", False), ("urgent-1", True), ("other-2", False),
                ("urgent-2", True), ("other-3", False)]]
    gate.release()
    for waiter in waiters:
        waiter.thread.join(WAIT)
    assert order == ["urgent-1", "urgent-2", "other-1", "other-2", "other-3"]
    assert gate.waiting == 0


def test_a_free_gate_is_taken_at_once_and_freed_by_its_release() -> None:
    gate = WriteGate()
    gate.acquire(urgent=False)
    gate.release()
    gate.acquire(urgent=True)  # free again: no waiting
    gate.release()
    assert gate.waiting == 0


def test_a_release_hands_the_gate_to_one_waiter_only() -> None:
    gate = WriteGate()
    order: list[str] = []
    holding = threading.Event()
    finish = threading.Event()

    def hold() -> None:
        gate.acquire(urgent=False)
        order.append("first")
        holding.set()
        finish.wait(WAIT)
        gate.release()

    gate.acquire(urgent=False)
    first = threading.Thread(target=hold, daemon=True)
    first.start()
    _until(lambda: gate.waiting == 1)
    second = _Waiter(gate, "second", order, urgent=False)
    gate.release()
    assert holding.wait(WAIT)
    assert gate.waiting == 1  # the second still waits: the gate went to the first alone
    assert order == ["first"]
    finish.set()
    first.join(WAIT)
    second.thread.join(WAIT)
    assert order == ["first", "second"]


class _Interrupt(BaseException):
    """What a signal handler raises in the waiting thread (as Ctrl+C raises KeyboardInterrupt)."""


def _raise(signum: int, frame: object) -> None:
    raise _Interrupt


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals")
def test_a_waiter_interrupted_by_a_signal_leaves_the_line() -> None:
    gate = WriteGate()
    gate.acquire(urgent=False)
    main = threading.get_ident()
    assert threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGUSR1, _raise)

    def interrupt() -> None:  # once the main thread waits in line
        _until(lambda: gate.waiting == 1)
        signal.pthread_kill(main, signal.SIGUSR1)

    interrupter = threading.Thread(target=interrupt, daemon=True)
    try:
        interrupter.start()
        with pytest.raises(_Interrupt):
            gate.acquire(urgent=True)
    finally:
        signal.signal(signal.SIGUSR1, previous)
        interrupter.join(WAIT)
    assert gate.waiting == 0
    gate.release()
    gate.acquire(urgent=False)  # free: the interrupted waiter took nothing with it
    gate.release()
