"""A learner's workbook: one JSON document per task artefact, in the learner's own folder.

Why JSON files rather than SQLite: each document is small and stands alone; one file per document makes the
crash-safety argument simple (write a temporary file, fsync, rename — the kernel's rename is atomic), keeps a readable
previous version beside it, lets a corrupt document be set aside without touching the others, and works on the network
home folders of JupyterHub and Binder, where SQLite's file locking is unreliable. People can also read the files.

Layout::

    $NPQ_WORKBOOK_HOME/workbooks/<key>/<doc-id>.json        the current version
                                      /<doc-id>.prev.json   the version before it
                                      /<doc-id>.corrupt-<time>.json   a file that could not be read, set aside
                                      /.<doc-id>.lock       held while a version is written (flock)

``<key>`` is ``local`` in JupyterLab (the user's own server) and a random per-browser key under Voila, where many
visitors' kernels run as one OS user (see ``views/autosave.py``).

Every document is wrapped in an envelope carrying its type, its schema version, a revision counter and the time it was
saved. Loading an older schema version runs the registered migrations; a newer one is refused (and never overwritten).
An envelope whose fields are wrong (a revision that is not a whole number, a schema version below 1, a time that is not
a date) is set aside like a damaged file.

Saving, under the document's lock: read the current version; refuse if it is from a newer workbook, or if the caller
says which revision its change was based on and the file has moved on since (``ConflictError``: the caller asks the
learner); write the new version in full to a temporary file and fsync it; keep the current version (a hard link, or a
copy where links are not allowed) under a temporary name; rename the new version over the current one — the one
moment the document changes; then rename the kept version to ``.prev``. A failure at any step before that rename —
a full disk, say — leaves both files exactly as they were. Folders are created 0700 and files 0600.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from ..paths import workbook_home
from .files import (LockBusy, atomic_write_bytes, discard, fsync_folder, locked, make_private, private_folder,
                    temporary_name, write_temporary)

FORMAT = "npq-workbook/document"
LOCAL_KEY = "local"
# On a server many people share (room mode), each browser's workbook key travels in this cookie: the server reads it
# (or makes it) when a page starts its kernel and hands it to the kernel in KEY_ENV, so the page opens on the
# visitor's workbook at once; a kernel started without it (e.g. preheated) asks the browser, which reads the cookie.
KEY_COOKIE = "npq_workbook_key"
KEY_ENV = "NPQ_WORKBOOK_KEY"
# used with fullmatch: "$" would also match before a trailing newline
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
_KEY = re.compile(r"[A-Za-z0-9_-]{5,64}")
MAX_REVISION = 2 ** 53
_NO_HARD_LINKS = {errno.EPERM, errno.EACCES, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


class StoreError(Exception):
    """Something about saved work that the learner should be told, in plain words."""


class NewerVersionError(StoreError):
    """The document was saved by a newer version of the workbook than this one."""


class ConflictError(StoreError):
    """A save based on an older revision than the one on disk: someone else (another tab, JupyterLab) saved since.
    ``theirs`` is what is on disk now; nothing was written."""

    def __init__(self, doc_id: str, theirs: "Loaded"):
        super().__init__("this work was changed in another window or tab since this one last saved it")
        self.doc_id = doc_id
        self.theirs = theirs


# -- document types and migrations ----------------------------------------------------------------------------------
@dataclass
class DocType:
    name: str
    version: int
    migrations: dict[int, Callable[[dict], dict]]


_DOC_TYPES: dict[str, DocType] = {}


def register_doc_type(name: str, version: int = 1,
                      migrations: Mapping[int, Callable[[dict], dict]] | None = None) -> DocType:
    """Declare a document type, its current schema version and the migrations from older versions:
    ``migrations[n]`` turns version ``n`` data into version ``n + 1`` data."""
    missing = [v for v in range(1, version) if v not in (migrations or {})]
    if missing:
        raise ValueError(f"document type {name!r} v{version} lacks migrations from versions {missing}")
    doc = DocType(name, version, dict(migrations or {}))
    _DOC_TYPES[name] = doc
    return doc


def doc_type(name: str) -> DocType:
    return _DOC_TYPES.get(name) or DocType(name, 1, {})


def _newer(version: int, supported: int) -> NewerVersionError:
    return NewerVersionError(
        f"This work was saved by a newer version of NPQ Workbook (format {version}; this one reads up to "
        f"{supported}). Update the workbook to open it; nothing has been changed.")


def migrate(name: str, version: int, data: dict) -> tuple[int, dict]:
    dt_ = doc_type(name)
    if version > dt_.version:
        raise _newer(version, dt_.version)
    while version < dt_.version:
        data = dt_.migrations[version](data)
        version += 1
        if isinstance(data, dict) and "schema_version" in data:
            data["schema_version"] = version
    return version, data


# -- names and paths --------------------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """A document id as a file name, or StoreError: no separators, no '..', no leading dot, nothing odd."""
    if (not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name or name.endswith((".json", "."))
            or ".prev" in name or ".corrupt-" in name):
        raise StoreError(f"'{str(name)[:60]}' cannot be used as the name of saved work "
                         "(letters, digits, '.', '-' and '_' only).")
    return name


def valid_key(key: object) -> bool:
    return isinstance(key, str) and bool(_KEY.fullmatch(key))


_ROOM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def valid_room_key(key: object) -> bool:
    """A browser's key on a shared server: 16–64 letters, digits, ``_`` or ``-`` (a random value of at least 64 bits),
    so a visitor can never name the laptop owner's ``local`` workbook or guess a short one."""
    return isinstance(key, str) and bool(_ROOM_KEY.fullmatch(key))


def new_room_key() -> str:
    """A fresh 128-bit random key for a browser on a shared server."""
    import secrets

    return secrets.token_hex(16)


def parse_time(value: object) -> dt.datetime | None:
    """A saved time as a timezone-aware datetime, or None if it is not one (a naive time cannot be compared)."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None and when.utcoffset() is not None else None


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def envelope_problem(env: object) -> str | None:
    """Why a stored envelope cannot be trusted, in plain words — or None if its fields are sound."""
    if not isinstance(env, dict) or env.get("format") != FORMAT or "data" not in env:
        return "the file is not NPQ Workbook saved work"
    if not isinstance(env.get("doc_type"), str) or not _NAME.fullmatch(env["doc_type"]):
        return "the file's version information is missing"
    if not _whole(env.get("schema_version"), 1, 10_000):
        return "the file's format number is not valid"
    if not _whole(env.get("revision"), 0, MAX_REVISION):
        return "the file's revision number is not valid"
    if parse_time(env.get("saved_at")) is None:
        return "the file's saved time is not a date"
    if "doc_id" in env and not isinstance(env["doc_id"], str):
        return "the file's name inside it is not valid"
    if not isinstance(env["data"], dict):
        return "the file holds no work"
    return None


@dataclass(frozen=True)
class Loaded:
    """What loading found: the data (None if nothing is saved), and a message for the learner if anything was wrong."""

    data: dict | None
    saved_at: str | None = None
    revision: int = 0
    message: str | None = None
    doc_type: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def display_time(iso: str | None) -> str:
    """'2026-11-24T14:05:32.000+00:00' -> '14:05:32 on 24/11/2026' in local time."""
    if not iso:
        return ""
    try:
        when = dt.datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return when.strftime("%H:%M:%S on %d/%m/%Y")


class Workbook:
    """One learner's saved work: a folder of documents."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @classmethod
    def for_key(cls, key: str = LOCAL_KEY, home: str | Path | None = None) -> "Workbook":
        if not valid_key(key):
            raise StoreError("The workbook key is not valid.")
        base = Path(home) if home is not None else workbook_home()
        return cls(base / "workbooks" / key)

    # -- paths ----------------------------------------------------------------------------------------------
    def path(self, doc_id: str) -> Path:
        p = self.root / f"{safe_name(doc_id)}.json"
        if p.resolve().parent != self.root.resolve():
            raise StoreError(f"'{doc_id[:60]}' would be saved outside the workbook folder.")
        return p

    def _prev(self, doc_id: str) -> Path:
        return self.root / f"{safe_name(doc_id)}.prev.json"

    def _lock(self, doc_id: str) -> Path:
        return self.root / f".{safe_name(doc_id)}.lock"

    def ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        out = []
        for p in sorted(self.root.glob("*.json")):
            stem = p.name[:-5]
            if ".prev" in stem or ".corrupt-" in stem or stem.startswith("."):
                continue
            out.append(stem)
        return out

    def copy_id(self, doc_id: str, label: str) -> str:
        """A new, unused document id for a copy kept beside ``doc_id`` (``<doc>--<label>-<time>[-n]``)."""
        base = f"{safe_name(doc_id)[:90]}--{label}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
        candidate, n = base, 1
        while self.path(candidate).exists() or self._prev(candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # -- saving -------------------------------------------------------------------------------------------------
    def save(self, doc_id: str, data: Any, *, doc_type_name: str | None = None,
             base_revision: int | None = None, saved_at: str | None = None) -> dict:
        """Write a new version; the version it replaces is kept as ``<doc>.prev.json``.

        ``base_revision``: the revision the caller's data was based on (what it loaded or last saved, 0 for nothing).
        If the document on disk has another revision and different data, nothing is written and ``ConflictError``
        carries the version on disk. Without it the save is unconditional (imports, progress records). A document
        from a newer workbook is never overwritten (``NewerVersionError``)."""
        path = self.path(doc_id)
        name = doc_type_name or (data.get("task") if isinstance(data, Mapping) else None) or doc_id
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            name = doc_id  # a type name the store could not read back
        private_folder(self.root, tighten=2)
        try:
            with locked(self._lock(doc_id)):
                return self._save_locked(doc_id, path, data, name, base_revision, saved_at)
        except LockBusy:
            raise StoreError("another window is saving this work right now; it will be tried again") from None

    def _save_locked(self, doc_id: str, path: Path, data: Any, name: str, base_revision: int | None,
                     saved_at: str | None) -> dict:
        self._remove_stale_temporaries(path)
        try:
            raw: bytes | None = path.read_bytes()
        except FileNotFoundError:
            raw = None
        current = None
        if raw is not None:
            try:
                current = self._parse(raw)
            except StoreError:
                current = None  # unreadable: it is set aside below, never rotated over the good .prev
        if current is not None:
            supported = doc_type(current["doc_type"]).version
            if current["schema_version"] > supported:
                raise _newer(current["schema_version"], supported)
            on_disk = current["revision"]
            if base_revision is not None and on_disk != base_revision and not _same(current["data"], data):
                raise ConflictError(doc_id, self._unwrap(current))
        else:
            before = self._read_envelope(self._prev(doc_id))
            on_disk = before["revision"] if before else 0
        envelope = {
            "format": FORMAT, "doc_id": doc_id, "doc_type": name, "schema_version": doc_type(name).version,
            "revision": max(on_disk, base_revision or 0) + 1, "saved_at": saved_at or _now(), "data": data,
        }
        try:
            payload = (json.dumps(envelope, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
                       + "\n").encode("utf-8")
        except (TypeError, ValueError):
            raise StoreError("part of the work is not text or an ordinary number") from None
        new = write_temporary(path, payload)  # 1. the new version, whole and on disk
        kept: Path | None = None
        try:
            if raw is not None:  # 2. keep the current version under another name (the document is unchanged)
                kept = temporary_name(path) if current is not None else self._aside_name(path)
                _keep(path, kept, raw)
            os.replace(new, path)  # 3. the one moment the document changes
        except BaseException:
            discard(new)
            discard(kept)
            raise
        if kept is not None:
            if current is not None:
                try:  # 4. the kept version becomes .prev; if this fails the new version is still saved
                    os.replace(kept, self._prev(doc_id))
                    make_private(self._prev(doc_id))
                except OSError:
                    discard(kept)
            else:
                make_private(kept)
        fsync_folder(self.root)
        return envelope

    # -- loading -----------------------------------------------------------------------------------------------
    def load(self, doc_id: str) -> Loaded:
        """The saved data, migrated to the current schema; recovers from a torn, corrupt or nonsensical file.

        Raises NewerVersionError when the document is from a newer workbook (it is left untouched)."""
        path, prev = self.path(doc_id), self._prev(doc_id)
        if not path.exists() and not prev.exists():
            return Loaded(None)
        with self._reading_lock(doc_id):
            return self._load_locked(path, prev)

    def _load_locked(self, path: Path, prev: Path) -> Loaded:
        self._remove_stale_temporaries(path)
        try:
            raw: bytes | None = path.read_bytes()
        except FileNotFoundError:
            raw = None
        if raw is None:  # only the previous version is left (an older workbook interrupted mid-save, or deleted)
            env = self._read_envelope(prev)
            if env is None:
                return Loaded(None)
            loaded = self._open(env)
            atomic_write_bytes(path, prev.read_bytes())
            return replace(loaded, message=f"Your latest save was missing, so the version before it, saved at "
                                           f"{display_time(env['saved_at'])}, has been restored.")
        try:
            return self._open(self._parse(raw))
        except NewerVersionError:
            raise
        except StoreError as exc:
            problem = exc
        aside = self._set_aside(path)
        env = self._read_envelope(prev)
        loaded = None
        if env is not None:
            try:
                loaded = self._open(env)
            except NewerVersionError:
                raise
            except StoreError:
                loaded = None
        if loaded is None:
            return Loaded(None, message=f"Your saved work could not be read ({problem}), and there was no "
                                        f"earlier version, so this starts afresh. The unreadable file was kept as "
                                        f"{aside.name}.")
        atomic_write_bytes(path, prev.read_bytes())
        return replace(loaded, message=f"Your last save could not be read ({problem}), so the version before it, "
                                       f"saved at {display_time(loaded.saved_at)}, has been restored. The "
                                       f"unreadable file was kept as {aside.name}.")

    def envelope(self, doc_id: str) -> dict | None:
        """The stored envelope as it is on disk (no migration), or None if absent/unreadable."""
        return self._read_envelope(self.path(doc_id))

    # -- helpers ----------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _reading_lock(self, doc_id: str) -> Iterator[None]:
        """Loading may repair files, so it takes the lock too — unless it cannot (a read-only store, a busy
        writer): reading alone is safe, because a version on disk is only ever replaced whole."""
        stack = contextlib.ExitStack()
        try:
            stack.enter_context(locked(self._lock(doc_id)))
        except OSError:
            pass
        with stack:
            yield

    def _unwrap(self, env: dict) -> Loaded:
        version, data = migrate(env["doc_type"], int(env["schema_version"]), env["data"])
        return Loaded(data, env.get("saved_at"), int(env.get("revision", 0)), doc_type=env["doc_type"])

    def _open(self, env: dict) -> Loaded:
        """``_unwrap``, with a migration that fails on odd data reported as unreadable rather than raised."""
        try:
            return self._unwrap(env)
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - a migration meeting data it does not expect
            raise StoreError("the file could not be brought up to date") from None

    @staticmethod
    def _parse(raw: bytes) -> dict:
        if not raw.strip():
            raise StoreError("the file is empty")
        try:
            env = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise StoreError("the file is damaged or incomplete") from None
        problem = envelope_problem(env)
        if problem:
            raise StoreError(problem)
        return env

    def _read_envelope(self, path: Path) -> dict | None:
        try:
            return self._parse(path.read_bytes())
        except (OSError, StoreError):
            return None

    @staticmethod
    def _remove_stale_temporaries(path: Path, age_s: float = 60.0) -> None:
        """Temporary files left by a process killed mid-save (never the live document)."""
        for tmp in path.parent.glob(f".{path.name}.*.tmp"):
            try:
                if time.time() - tmp.stat().st_mtime > age_s:
                    tmp.unlink()
            except OSError:
                pass

    @staticmethod
    def _aside_name(path: Path) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return path.with_name(f"{path.name[:-5]}.corrupt-{stamp}.json")

    def _set_aside(self, path: Path) -> Path:
        aside = self._aside_name(path)
        os.replace(path, aside)
        make_private(aside)
        return aside


def _same(a: Any, b: Any) -> bool:
    """The same JSON (a tuple and a list with the same items are the same)."""
    try:
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    except (TypeError, ValueError):
        return False


def _keep(src: Path, dst: Path, raw: bytes) -> None:
    """``dst`` becomes the version now at ``src``: a hard link (no space needed), else a whole copy."""
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        write_temporary(dst, raw, at=dst)
