"""One igloo-xl rewrite of a master at a time: a lock file of our own beside it.

The lock file (`.igloo-lock-<master name>`) is created exclusively and holds who took it, from
which machine and process, and when. A second run waits for it, then gives up with a French
refusal (exit 2). A lock left by a run that was killed is stale and taken over: its process is gone
(same machine), or it is older than any rewrite takes (another machine on a shared folder).
Excel's own `~$` lock is a different matter, checked by atomic.ensure_writable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from igloo_xl.errors import WorkbookLocked, WriteFailed
from igloo_xl.package.atomic import real_path, reason

PREFIX = ".igloo-lock-"
WAIT_SECONDS = 60.0
STALE_AFTER = dt.timedelta(minutes=10)
_POLL = 0.2
_GRACE = dt.timedelta(seconds=10)  # a lock being written right now may still be empty


def lock_path(master: str | os.PathLike) -> Path:
    """The lock of the file a master path designates (a symbolic link and its target share one)."""
    target = real_path(master)
    return target.with_name(PREFIX + target.name)


def _user() -> str:
    from igloo_xl.package.journal import user_name

    return user_name()


def _owner() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
            "since": dt.datetime.now().isoformat(timespec="seconds"), "token": uuid.uuid4().hex}


def _read(lock: Path) -> tuple[bytes, dict] | None:
    """The raw content and the parsed owner of a lock; None when there is no lock any more."""
    try:
        raw = lock.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b"", {}
    try:
        owner = json.loads(raw.decode("utf-8"))
        return raw, owner if isinstance(owner, dict) else {}
    except ValueError:
        return raw, {}


def _alive_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return False
    return True


def _age(lock: Path, owner: dict) -> dt.timedelta:
    try:
        since = dt.datetime.fromisoformat(owner["since"])
    except (KeyError, TypeError, ValueError):
        try:
            since = dt.datetime.fromtimestamp(lock.stat().st_mtime)
        except OSError:
            return dt.timedelta(0)
    return dt.datetime.now() - since


def is_stale(lock: Path, owner: dict) -> bool:
    """True when the run that took the lock cannot still be running."""
    age = _age(lock, owner)
    if not owner:
        return age > _GRACE
    if owner.get("host") == socket.gethostname() and isinstance(owner.get("pid"), int):
        return not _alive(owner["pid"]) or age > STALE_AFTER
    return age > STALE_AFTER


def _take_over(lock: Path, raw: bytes) -> None:
    """Remove a stale lock, unless another run replaced it in the meantime."""
    grave = lock.with_name(f"{lock.name}.{uuid.uuid4().hex}")
    try:
        os.rename(lock, grave)
    except FileNotFoundError:
        return
    try:
        if grave.read_bytes() != raw:  # a fresh lock taken since we looked: give it back
            try:
                os.link(grave, lock)
            except OSError:
                pass
    finally:
        grave.unlink(missing_ok=True)


def _busy(master: Path, owner: dict) -> WorkbookLocked:
    who = owner.get("user") or "un autre utilisateur"
    since = str(owner.get("since", ""))[11:16]
    when = f" depuis {since}" if since else ""
    return WorkbookLocked(
        f"« {master.name} » est en cours de mise à jour par une autre commande igloo-xl ({who}{when}) : "
        "rien n'a été écrit. Réessayez dans un instant."
    )


def _not_taken(master: Path, exc: OSError) -> WriteFailed:
    return WriteFailed(f"Le verrou de « {master.name} » n'a pas pu être posé ({reason(exc)}) : rien n'a été écrit.")


def acquire(master: str | os.PathLike, wait: float | None = None) -> tuple[Path, str]:
    """Take the master's lock, waiting up to `wait` seconds (WAIT_SECONDS by default); (lock path, token)
    or WorkbookLocked."""
    master = Path(master)
    lock = lock_path(master)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    while True:
        owner = _owner()
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            seen = _read(lock)
            if seen is None:
                continue
            raw, other = seen
            if is_stale(lock, other):
                _take_over(lock, raw)
                continue
            if time.monotonic() >= deadline:
                raise _busy(master, other) from None
            time.sleep(_POLL)
            continue
        except OSError as exc:
            raise _not_taken(master, exc) from None
        try:
            try:
                os.write(fd, json.dumps(owner).encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as exc:
            lock.unlink(missing_ok=True)
            raise _not_taken(master, exc) from None
        return lock, owner["token"]


def release(lock: Path, token: str) -> None:
    """Remove the lock if it is still ours."""
    seen = _read(lock)
    if seen is not None and seen[1].get("token") == token:
        lock.unlink(missing_ok=True)


@contextmanager
def master_lock(master: str | os.PathLike, wait: float | None = None):
    """Hold the master's igloo-xl lock for the duration of a rewrite."""
    lock, token = acquire(master, wait)
    try:
        yield lock
    finally:
        release(lock, token)
