"""A learner's workbook: one JSON document per task artefact, in the learner's own folder.

Why JSON files rather than SQLite: each document is small and stands alone; one file per document makes the
crash-safety argument simple (write a temporary file, fsync, rename — the kernel's rename is atomic), keeps a readable
previous version beside it, lets a corrupt document be set aside without touching the others, and works on the network
home folders of JupyterHub and Binder, where SQLite's file locking is unreliable. People can also read the files.

Layout::

    $NPQ_WORKBOOK_HOME/workbooks/<key>/<doc-id>.json        the current version
                                      /<doc-id>.prev.json   the version before it
                                      /<doc-id>.corrupt-<time>.json   a file that could not be read, set aside

``<key>`` is ``local`` in JupyterLab (the user's own server) and a random per-browser key under Voila, where many
visitors' kernels run as one OS user (see ``views/autosave.py``).

Every document is wrapped in an envelope carrying its type, its schema version, a revision counter and the time it was
saved. Loading an older schema version runs the registered migrations; a newer one is refused (and never overwritten).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from ..paths import workbook_home
from .files import atomic_write_bytes

FORMAT = "npq-workbook/document"
LOCAL_KEY = "local"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_KEY = re.compile(r"^[A-Za-z0-9_-]{5,64}$")


class StoreError(Exception):
    """Something about saved work that the learner should be told, in plain words."""


class NewerVersionError(StoreError):
    """The document was saved by a newer version of the workbook than this one."""


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


def migrate(name: str, version: int, data: dict) -> tuple[int, dict]:
    dt_ = doc_type(name)
    if version > dt_.version:
        raise NewerVersionError(
            f"This work was saved by a newer version of NPQ Workbook (format {version}; this one reads up to "
            f"{dt_.version}). Update the workbook to open it; nothing has been changed.")
    while version < dt_.version:
        data = dt_.migrations[version](data)
        version += 1
        if isinstance(data, dict) and "schema_version" in data:
            data["schema_version"] = version
    return version, data


# -- names and paths --------------------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """A document id as a file name, or StoreError: no separators, no '..', no leading dot, nothing odd."""
    if (not isinstance(name, str) or not _NAME.match(name) or ".." in name or name.endswith((".json", "."))
            or ".prev" in name or ".corrupt-" in name):
        raise StoreError(f"'{str(name)[:60]}' cannot be used as the name of saved work "
                         "(letters, digits, '.', '-' and '_' only).")
    return name


def valid_key(key: object) -> bool:
    return isinstance(key, str) and bool(_KEY.match(key))


@dataclass(frozen=True)
class Loaded:
    """What loading found: the data (None if nothing is saved), and a message for the learner if anything was wrong."""

    data: dict | None
    saved_at: str | None = None
    revision: int = 0
    message: str | None = None


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

    # -- saving -------------------------------------------------------------------------------------------------
    def save(self, doc_id: str, data: Any, *, doc_type_name: str | None = None,
             revision: int | None = None, saved_at: str | None = None) -> dict:
        """Write a new version atomically; the version it replaces is kept as ``<doc>.prev.json``."""
        path = self.path(doc_id)
        name = doc_type_name or (data.get("task") if isinstance(data, Mapping) else None) or doc_id
        current = self._read_envelope(path)
        rev = revision if revision is not None else (int(current.get("revision", 0)) + 1 if current else 1)
        envelope = {
            "format": FORMAT, "doc_id": doc_id, "doc_type": name, "schema_version": doc_type(name).version,
            "revision": rev, "saved_at": saved_at or _now(), "data": data,
        }
        payload = (json.dumps(envelope, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
        self.root.mkdir(parents=True, exist_ok=True)
        if path.exists():
            os.replace(path, self._prev(doc_id))  # if killed now, load() falls back to .prev: the old version
        atomic_write_bytes(path, payload)
        _fsync_dir(self.root)
        return envelope

    # -- loading -----------------------------------------------------------------------------------------------
    def load(self, doc_id: str) -> Loaded:
        """The saved data, migrated to the current schema; recovers from a torn or corrupt file.

        Raises NewerVersionError when the document is from a newer workbook (it is left untouched)."""
        path, prev = self.path(doc_id), self._prev(doc_id)
        self._remove_stale_temporaries(path)
        if not path.exists():
            if prev.exists():  # interrupted between setting the old version aside and writing the new one
                env = self._read_envelope(prev)
                if env is not None:
                    atomic_write_bytes(path, prev.read_bytes())
                    return self._unwrap(env)
            return Loaded(None)
        try:
            env = self._parse(path.read_bytes())
        except StoreError as problem:
            aside = self._set_aside(path)
            env = self._read_envelope(prev)
            if env is None:
                return Loaded(None, message=f"Your saved work could not be read ({problem}), and there was no "
                                            f"earlier version, so this starts afresh. The unreadable file was kept as "
                                            f"{aside.name}.")
            atomic_write_bytes(path, prev.read_bytes())
            loaded = self._unwrap(env)
            return Loaded(loaded.data, loaded.saved_at, loaded.revision,
                          message=f"Your last save could not be read ({problem}), so the version before it, saved at "
                                  f"{display_time(env.get('saved_at'))}, has been restored. The unreadable file was "
                                  f"kept as {aside.name}.")
        return self._unwrap(env)

    def envelope(self, doc_id: str) -> dict | None:
        """The stored envelope as it is on disk (no migration), or None if absent/unreadable."""
        return self._read_envelope(self.path(doc_id))

    # -- helpers ----------------------------------------------------------------------------------------------
    def _unwrap(self, env: dict) -> Loaded:
        version, data = migrate(env["doc_type"], int(env["schema_version"]), env["data"])
        return Loaded(data, env.get("saved_at"), int(env.get("revision", 0)))

    @staticmethod
    def _parse(raw: bytes) -> dict:
        if not raw.strip():
            raise StoreError("the file is empty")
        try:
            env = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise StoreError("the file is damaged or incomplete") from None
        if not isinstance(env, dict) or env.get("format") != FORMAT or "data" not in env:
            raise StoreError("the file is not NPQ Workbook saved work")
        if not isinstance(env.get("schema_version"), int) or not isinstance(env.get("doc_type"), str):
            raise StoreError("the file's version information is missing")
        return env

    def _read_envelope(self, path: Path) -> dict | None:
        try:
            return self._parse(path.read_bytes())
        except (OSError, StoreError):
            return None

    @staticmethod
    def _remove_stale_temporaries(path: Path, age_s: float = 60.0) -> None:
        """Temporary files left by a process killed mid-save (never the live document)."""
        import time

        for tmp in path.parent.glob(f".{path.name}.*.tmp"):
            try:
                if time.time() - tmp.stat().st_mtime > age_s:
                    tmp.unlink()
            except OSError:
                pass

    def _set_aside(self, path: Path) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        aside = path.with_name(f"{path.name[:-5]}.corrupt-{stamp}.json")
        os.replace(path, aside)
        return aside


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
