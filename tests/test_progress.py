"""Progress on standard error: only on a terminal, only past the delay, never on standard output."""

import io
import time

from igloo_xl import progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_nothing_when_stderr_is_not_a_terminal(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    with progress.shown():
        assert progress._current is None
        progress.step("Contrôle des règles")
        time.sleep(0.2)
    assert err.getvalue() == ""


def test_shown_on_a_terminal_past_the_delay(monkeypatch):
    err = FakeTerminal()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    with progress.shown():
        time.sleep(0.2)
        assert progress._current is not None and progress._current.status is not None
        progress.step("Contrôle des règles")
        assert progress._current.label == "Contrôle des règles"
    assert progress._current is None


def test_not_shown_before_the_delay(monkeypatch):
    monkeypatch.setattr("sys.stderr", FakeTerminal())
    monkeypatch.setattr(progress, "DELAY_S", 3600.0)
    with progress.shown():
        progress.step("Lecture du classeur")
        assert progress._current.status is None
