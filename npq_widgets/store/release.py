"""A case study released to the room: one small file the facilitator's server writes and every page in the room reads.

At an event a facilitator runs a mock assessment: they choose a practice pack and a window (the timed practice, e.g.
90 minutes) and release it. The release is one JSON file, ``<workbook home>/room/case-study-release.json`` (see
:func:`npq_widgets.paths.room_folder`) — the room's, never inside a candidate's workbook — written atomically (a
temporary file renamed over the old one), so a page reading it sees the old release or the new one, never half of
one. Every case-study page opened in the room reads it: the released pack, with the release time as the start of the
window and the countdown.

Read back strictly: a file that is too large, not JSON, of another kind, from a newer version, with a field missing,
of the wrong kind or an unknown one, a pack id that is not a plain id, a window outside 1 minute–24 hours, or a
release time in the future is refused with one plain sentence (:class:`ReleaseProblem`), and pages then open as if
nothing were released. A release whose window ended more than :data:`STALE_AFTER` ago (last week's event) is
ignored. The facilitator withdraws a release by deleting the file (:func:`withdraw`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..paths import room_folder
from .files import atomic_write_json, discard, private_folder

FILE_NAME = "case-study-release.json"
KIND = "npq-workbook/case-study-release"
SCHEMA_VERSION = 1
MAX_BYTES = 4096
MAX_MINUTES = 24 * 60
STALE_AFTER = dt.timedelta(hours=6)  # after the window ends, pages keep showing it (time to download) this long
CLOCK_SLACK = dt.timedelta(minutes=5)  # a release "in the future" by less than this is a clock difference
_PACK = re.compile(r"[a-z0-9][a-z0-9-]{1,60}")
_ID = re.compile(r"[0-9a-f]{12}")
_FIELDS = {"kind", "schema_version", "id", "pack", "minutes", "released_at"}


class ReleaseProblem(ValueError):
    """A release file that cannot be used; the message is one plain sentence."""


@dataclass(frozen=True)
class Release:
    id: str
    pack: str
    minutes: int
    released_at: dt.datetime  # aware, UTC, to the minute

    @property
    def ends_at(self) -> dt.datetime:
        return self.released_at + dt.timedelta(minutes=self.minutes)

    def ended(self, now: dt.datetime) -> bool:
        return now >= self.ends_at

    def stale(self, now: dt.datetime) -> bool:
        return now >= self.ends_at + STALE_AFTER

    def to_dict(self) -> dict:
        return {"kind": KIND, "schema_version": SCHEMA_VERSION, "id": self.id, "pack": self.pack,
                "minutes": self.minutes, "released_at": self.released_at.isoformat()}


def release_file(folder: Path | None = None) -> Path:
    return (folder or room_folder()) / FILE_NAME


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _check_minutes(minutes: object) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise ReleaseProblem(f"The window must be a whole number of minutes from 1 to {MAX_MINUTES}.")
    return minutes


def _check_pack(pack: object) -> str:
    if not isinstance(pack, str) or not _PACK.fullmatch(pack):
        raise ReleaseProblem("The case study to release is not one of the workbook's case studies.")
    return pack


def release(pack: str, minutes: int, *, now: dt.datetime | None = None, folder: Path | None = None) -> Release:
    """Release ``pack`` to the room with a window of ``minutes`` starting now (to the minute): replaces any release."""
    when = (now or _now()).astimezone(dt.timezone.utc).replace(second=0, microsecond=0)
    made = Release(secrets.token_hex(6), _check_pack(pack), _check_minutes(minutes), when)
    target = release_file(folder)
    private_folder(target.parent)
    atomic_write_json(target, made.to_dict())
    return made


def withdraw(folder: Path | None = None) -> bool:
    """End the release (delete the file). True if there was one."""
    target = release_file(folder)
    existed = target.exists()
    discard(target)
    return existed


def parse_release(raw: bytes, *, now: dt.datetime | None = None) -> Release:
    """The release in ``raw`` (the file's bytes), validated; :class:`ReleaseProblem` with a plain sentence if not."""
    damaged = "The case study released to the room could not be read (the release file is damaged)."
    if len(raw) > MAX_BYTES:
        raise ReleaseProblem("The case study released to the room could not be read (the release file is too large).")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ReleaseProblem(damaged) from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ReleaseProblem(damaged)
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ReleaseProblem("The case study released to the room was released by a newer version of the workbook.")
    if version != SCHEMA_VERSION or set(data) != _FIELDS:
        raise ReleaseProblem(damaged)
    if not isinstance(data["id"], str) or not _ID.fullmatch(data["id"]):
        raise ReleaseProblem(damaged)
    pack, minutes = _check_pack(data["pack"]), _check_minutes(data["minutes"])
    try:
        when = dt.datetime.fromisoformat(data["released_at"]) if isinstance(data["released_at"], str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ReleaseProblem(damaged)
    when = when.astimezone(dt.timezone.utc)
    if when > (now or _now()) + CLOCK_SLACK:
        raise ReleaseProblem("The case study released to the room has a release time in the future; ask the "
                             "facilitator to release it again.")
    return Release(data["id"], pack, minutes, when)


def current_release(*, now: dt.datetime | None = None, folder: Path | None = None) -> Release | None:
    """The release in force in this room: None if nothing is released or the release is stale; ReleaseProblem if the
    file cannot be used."""
    now = now or _now()
    target = release_file(folder)
    try:
        with open(target, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReleaseProblem(f"The case study released to the room could not be read ({exc.strerror or exc}).") \
            from None
    found = parse_release(raw, now=now)
    return None if found.stale(now) else found
