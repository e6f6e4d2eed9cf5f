"""Writing files so that a crash never leaves a torn one, private to the user, one writer at a time.

- ``write_temporary`` writes bytes in full to a new temporary file beside the target (mode 0600) and fsyncs it; the
  caller renames it over the target when everything else is ready. ``atomic_write_bytes`` does both.
- ``private_folder`` creates folders 0700 and tightens the store's own folders if an older version left them open.
- ``locked`` holds an exclusive ``flock`` on a lock file for as long as a document is being read-and-replaced.

The writes go through ``os.open``/``os.write``/``os.fsync`` directly (no buffered file object), so every step that
can fail on a full disk is one call the tests can make fail.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import secrets
import stat
import time
from pathlib import Path
from typing import Any, Iterator

try:  # POSIX; on Windows a document is written without a lock (the rename is still atomic)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

FILE_MODE = 0o600
FOLDER_MODE = 0o700
LOCK_WAIT_S = 10.0
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


def temporary_name(target: Path) -> Path:
    """``.<name>.<random>.tmp`` beside the target: hidden, and never taken for a document."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")


def write_temporary(target: str | Path, data: bytes, *, at: Path | None = None) -> Path:
    """Write ``data`` in full to a new 0600 temporary file beside ``target`` (or to the new file ``at``) and fsync
    it. Returns its path; on any failure (a full disk included) the file is removed and the error raised."""
    tmp = at if at is not None else temporary_name(Path(target))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        discard(tmp)
        raise
    return tmp


def discard(path: Path | None) -> None:
    if path is None:
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:  # pragma: no cover - a leftover temporary is swept up by the next load
        pass


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    target = Path(path)
    tmp = write_temporary(target, data)
    try:
        os.replace(tmp, target)
    except BaseException:
        discard(tmp)
        raise
    return target


def atomic_write_json(path: str | Path, data: Any) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return atomic_write_bytes(path, text.encode("utf-8"))


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable. Best effort: some filesystems cannot open or fsync a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


def private_folder(folder: Path, *, tighten: int = 1) -> None:
    """Create ``folder`` and any missing parents with mode 0700 (``Path.mkdir(parents=True)`` would give parents the
    default mode). The folder itself and its ``tighten - 1`` nearest parents are set to 0700 if they are ours and
    open to others — folders an older version created 0755."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, FOLDER_MODE)
        except FileExistsError:
            pass
    p = folder
    for _ in range(tighten):
        try:
            st = os.stat(p)
            if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & 0o077:
                os.chmod(p, FOLDER_MODE)
        except OSError:
            pass
        p = p.parent


def make_private(path: Path) -> None:
    """0600 for a file the store keeps (a previous version or a set-aside file an older version wrote 0644)."""
    try:
        if stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE:
            os.chmod(path, FILE_MODE)
    except OSError:
        pass


class LockBusy(TimeoutError):
    """Another process held the document's lock for longer than we wait."""


@contextlib.contextmanager
def locked(lock_path: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created 0600). ``flock`` locks are per open file, so two processes —
    or two kernels of one user — take turns; the lock is released when the descriptor closes, also if the process is
    killed. On an NFS home, Linux turns ``flock`` into an NFS lock (lockd for NFSv3, part of the protocol for NFSv4);
    where the server offers no locks at all (ENOLCK) the document is written without one — every write is still
    whole, but two writers at the same instant are no longer told apart."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        if fcntl is not None:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise LockBusy(errno.ETIMEDOUT, "another window is saving this work right now") from None
                    time.sleep(random.uniform(0.0005, 0.004))
                except OSError as exc:
                    if exc.errno in _NO_LOCKS:
                        break
                    raise
        yield
    finally:
        try:
            os.close(fd)  # releases the lock; nothing was written through this descriptor
        except OSError:
            pass
