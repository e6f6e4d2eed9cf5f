"""Files that travel between people: the one mechanism the whole workbook uses for them.

A rater's 360° response, a collator's summary, facilitator feedback, a sponsor's comments: each is a small JSON
document that one person downloads and another loads. Every such file has the same envelope::

    {"travel": 1, "kind": "360-response", "schema_version": 1, "for": "<round/workbook/project id>",
     "file_id": "<random id of this file>", "from": "<a role, never a name>", "made": "2026-12-01",
     "content": {...}, "checksum": "sha256:<hex>"}

The checksum is SHA-256 over the canonical form of everything but the checksum (JSON with sorted keys, no spaces,
UTF-8). It catches damage — a file cut short, edited by hand, mangled by an email client — not forgery: anyone with
the workbook can make a file with a valid checksum, and the apps say so. Loading refuses, with one plain sentence,
a file that is too big or nested too deeply, not JSON, damaged, of an unknown kind, from a newer version, for another
round, or one already loaded. It is just files, so it works offline, on a laptop, on Binder and on a hub alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

ENVELOPE_VERSION = 1
# The kinds of travelling file, each made by one place and loaded by another (each loader names the kinds it takes):
# "360-invitation", "360-response", "360-summary" (the 360° task) and "sponsor-comments" (a sponsor's comments on a
# candidate's legacy project, criterion 4.1.1: made by the sponsor form, loaded into the project account, for the
# candidate's project id).
SPONSOR_KIND = "sponsor-comments"
SPONSOR_VERSION = 1
MAX_BYTES = 512 * 1024  # a 360° response is a few kilobytes; a summary of many raters stays well under this
MAX_DEPTH = 12  # envelope → content → groups → statements → values is five deep
FORGERY_NOTE = ("The check inside each file catches damage (a file cut short or changed by accident), not "
                "forgery: it cannot prove who made the file.")


class TravelError(ValueError):
    """A file that cannot be accepted; the message is one plain sentence for the person loading it."""


@dataclass(frozen=True)
class TravelFile:
    kind: str
    schema_version: int
    for_id: str
    file_id: str
    from_role: str
    made: str
    content: dict

    def to_dict(self) -> dict[str, Any]:
        body = {"travel": ENVELOPE_VERSION, "kind": self.kind, "schema_version": self.schema_version,
                "for": self.for_id, "file_id": self.file_id, "from": self.from_role, "made": self.made,
                "content": self.content}
        body["checksum"] = checksum(body)
        return body


def new_id(prefix: str = "") -> str:
    """A random id (for a round, a workbook, a project, a file): 12 characters from a secure generator."""
    token = secrets.token_hex(6)
    return f"{prefix}{token}"


def canonical(data: Mapping[str, Any]) -> bytes:
    """The canonical form the checksum is taken over: every key but ``checksum``, sorted, compact, UTF-8."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def checksum(data: Mapping[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


def make(kind: str, schema_version: int, for_id: str, from_role: str, content: Mapping[str, Any],
         *, today: dt.date | None = None) -> TravelFile:
    return TravelFile(kind=kind, schema_version=int(schema_version), for_id=str(for_id), file_id=new_id(),
                      from_role=str(from_role), made=(today or dt.date.today()).isoformat(), content=dict(content))


def dumps(doc: TravelFile) -> bytes:
    """The file's bytes (indented, so a curious reader can see exactly what it holds)."""
    return (json.dumps(doc.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _depth(value: Any, limit: int) -> int:
    """Nesting depth, stopping (and reporting limit + 1) as soon as it passes ``limit``."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, d = stack.pop()
        if d > limit:
            return d
        deepest = max(deepest, d)
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def loads(raw: bytes | str, *, kinds: Mapping[str, int], for_id: str | None = None,
          seen: Iterable[str] = (), what: str = "This file") -> TravelFile:
    """Read a travelling file, or raise :class:`TravelError` with one plain sentence.

    ``kinds``: the kinds this place accepts, each with the newest schema version it can read. ``for_id``: the round
    (workbook, project) the file must be for (None: any). ``seen``: file ids already loaded (a duplicate is refused).
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise TravelError(f"{what} is too big ({len(raw) // 1024} KB; at most {MAX_BYTES // 1024} KB) to be a "
                          "workbook file.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TravelError(f"{what} is not a text file: it is not a file made by the workbook.") from None
    if text.count("[") + text.count("{") > 20_000:
        raise TravelError(f"{what} holds far more than a workbook file does.")
    try:
        data = json.loads(text)
    except RecursionError:
        raise TravelError(f"{what} is nested too deeply to be a workbook file.") from None
    except ValueError:
        raise TravelError(f"{what} is damaged or is not a file made by the workbook (it is not valid JSON).") \
            from None
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise TravelError(f"{what} is nested too deeply to be a workbook file.")
    if not isinstance(data, dict) or "kind" not in data or "checksum" not in data:
        raise TravelError(f"{what} is not a file made by the workbook for sharing.")
    if data.get("checksum") != checksum(data):
        raise TravelError(f"{what} is damaged: its contents do not match its check (it may have been cut short or "
                          "changed). Ask for it to be downloaded and sent again.")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        wanted = " or ".join(sorted(kinds))
        raise TravelError(f"{what} is a '{kind}' file; this place loads {wanted} files.")
    version = data.get("schema_version")
    envelope = data.get("travel")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TravelError(f"{what} does not say which version made it.")
    if version > kinds[kind] or not isinstance(envelope, int) or envelope > ENVELOPE_VERSION:
        raise TravelError(f"{what} was made by a newer version of the workbook: update the workbook to load it.")
    fields = {k: data.get(k) for k in ("for", "file_id", "from", "made")}
    if not all(isinstance(v, str) and v for v in fields.values()) or not isinstance(data.get("content"), dict):
        raise TravelError(f"{what} is incomplete: it does not say what it is for, who it is from, or what it holds.")
    if for_id is not None and fields["for"] != for_id:
        raise TravelError(f"{what} is for another round or workbook (code {fields['for']}, not {for_id}).")
    if fields["file_id"] in set(seen):
        raise TravelError(f"{what} has already been loaded (the same file twice).")
    return TravelFile(kind=kind, schema_version=version, for_id=fields["for"], file_id=fields["file_id"],
                      from_role=fields["from"], made=fields["made"], content=data["content"])
