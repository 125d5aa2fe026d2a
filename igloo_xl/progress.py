"""Progress of a long run on standard error: shown only when standard error is a terminal and the run
has lasted more than a second; never on standard output (so never inside `--format json`)."""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

DELAY_S = 1.0

_current: _Progress | None = None


class _Progress:
    def __init__(self):
        self.label = "Lecture du classeur"
        self.status = None
        self.lock = threading.Lock()
        self.timer = threading.Timer(DELAY_S, self._show)  # read at start: tests change it
        self.timer.daemon = True

    def _show(self):
        from rich.console import Console

        with self.lock:
            if self.status is None:
                self.status = Console(stderr=True).status(self.label)
                self.status.start()

    def step(self, label: str):
        with self.lock:
            self.label = label
            if self.status is not None:
                self.status.update(label)

    def stop(self):
        self.timer.cancel()
        with self.lock:
            if self.status is not None:
                self.status.stop()


@contextmanager
def shown():
    """Around a command: the steps reported inside appear after DELAY_S on a terminal's stderr."""
    global _current
    if _current is not None or not sys.stderr.isatty():
        yield
        return
    _current = _Progress()
    _current.timer.start()
    try:
        yield
    finally:
        _current.stop()
        _current = None


def step(label: str) -> None:
    """Name what the run is doing now (a no-op outside `shown()`)."""
    if _current is not None:
        _current.step(label)
