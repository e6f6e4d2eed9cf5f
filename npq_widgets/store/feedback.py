"""A workbook's own id, and facilitators' feedback files (a kind of :mod:`travel` file).

**The workbook id** is a random code (``wb-`` and 12 hex characters) kept in the document ``workbook-id``, made the
first time anyone asks for it (the candidate downloading their work, or opening their feedback). It travels inside
the downloaded workbook file, so a facilitator who loads that file can address feedback to exactly that workbook.
It names no one.

**A feedback file** is a travelling file of kind ``task-feedback`` *for* one workbook id, *from* the role
"facilitator", holding comments, each about one task::

    {"comments": [{"task": "risk-register", "task_title": "Risk register", "text": "…"}], "event": "…"}

The candidate loads it (the Feedback app); its comments are kept in their workbook in the document ``feedback``
(each with the date and the file it came from), so they survive a restart and travel with "Download all my work".
A file for another workbook, already loaded, damaged, of another kind or from a newer version is refused in one
plain sentence and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping, Sequence

from . import travel
from .workbook import StoreError, Workbook

ID_DOC = "workbook-id"
FEEDBACK_DOC = "feedback"
FEEDBACK_KIND = "task-feedback"
FEEDBACK_VERSION = 1
FROM_ROLE = "facilitator"
MAX_COMMENT_CHARS = 4000
MAX_COMMENTS = 200
_ID = re.compile(r"wb-[0-9a-f]{12}")


def valid_workbook_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.fullmatch(value))


def read_workbook_id(docs: Sequence[Mapping[str, Any]]) -> str | None:
    """The workbook id held in a list of document envelopes (a downloaded workbook file); None if it has none."""
    for env in docs:
        if isinstance(env, Mapping) and env.get("doc_id") == ID_DOC:
            data = env.get("data")
            value = data.get("id") if isinstance(data, Mapping) else None
            return value if valid_workbook_id(value) else None
    return None


def workbook_id(wb: Workbook, *, create: bool = True) -> str | None:
    """This workbook's id: read, or made and saved once (``create``). A damaged id document is replaced."""
    try:
        data = wb.load(ID_DOC).data
    except (OSError, StoreError):
        data = None
    value = data.get("id") if isinstance(data, Mapping) else None
    if valid_workbook_id(value):
        return value
    if not create:
        return None
    value = travel.new_id("wb-")
    wb.save(ID_DOC, {"task": ID_DOC, "schema_version": 1, "id": value})
    return value


# -- feedback files ----------------------------------------------------------------------------------------------
def _clean_comments(comments: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    out = []
    for c in comments:
        text = str(c.get("text") or "").strip()
        task = str(c.get("task") or "").strip()
        if not text or not task:
            continue
        out.append({"task": task, "task_title": str(c.get("task_title") or task), "text": text})
    return out


def make_feedback(for_workbook: str, comments: Sequence[Mapping[str, Any]], *, event: str = "",
                  today: dt.date | None = None) -> bytes:
    """The bytes of one candidate's feedback file. Raises ValueError (a plain sentence) when there is nothing to
    send or the workbook id is not one."""
    if not valid_workbook_id(for_workbook):
        raise ValueError("This candidate's workbook file has no workbook code, so feedback cannot be addressed to "
                         "it: ask them to download their work again (newer workbooks add the code).")
    cleaned = _clean_comments(comments)
    if not cleaned:
        raise ValueError("There are no comments for this candidate yet.")
    if len(cleaned) > MAX_COMMENTS or any(len(c["text"]) > MAX_COMMENT_CHARS for c in cleaned):
        raise ValueError(f"Keep to at most {MAX_COMMENTS} comments of at most {MAX_COMMENT_CHARS} characters each.")
    doc = travel.make(FEEDBACK_KIND, FEEDBACK_VERSION, for_workbook, FROM_ROLE,
                      {"comments": cleaned, "event": str(event or "")}, today=today)
    return travel.dumps(doc)


def feedback_filename(label: str, today: dt.date | None = None) -> str:
    safe = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower() or "candidate"
    return f"npq-feedback-{safe[:40]}-{(today or dt.date.today()).isoformat()}.json"


def kept_feedback(wb: Workbook) -> dict[str, Any]:
    """The feedback kept in this workbook: ``{"files": [file ids], "comments": [...]}``."""
    try:
        data = wb.load(FEEDBACK_DOC).data
    except (OSError, StoreError):
        data = None
    data = data if isinstance(data, Mapping) else {}
    files = [f for f in data.get("files") or [] if isinstance(f, str)]
    comments = [dict(c) for c in data.get("comments") or [] if isinstance(c, Mapping)]
    return {"files": files, "comments": comments}


def load_feedback(wb: Workbook, raw: bytes, *, what: str = "This file") -> list[dict[str, str]]:
    """Read a feedback file for this workbook and keep its comments; returns the new comments.
    Raises :class:`travel.TravelError` (one plain sentence) and keeps nothing when the file is refused."""
    own = workbook_id(wb)
    kept = kept_feedback(wb)
    doc = travel.loads(raw, kinds={FEEDBACK_KIND: FEEDBACK_VERSION}, for_id=own, seen=kept["files"], what=what)
    if doc.from_role != FROM_ROLE:
        raise travel.TravelError(f"{what} is not feedback from a facilitator.")
    raw_comments = doc.content.get("comments")
    if not isinstance(raw_comments, list) or not all(isinstance(c, Mapping) for c in raw_comments):
        raise travel.TravelError(f"{what} is incomplete: it holds no comments.")
    new = _clean_comments(raw_comments)
    if not new or len(new) > MAX_COMMENTS or any(len(c["text"]) > MAX_COMMENT_CHARS for c in new):
        raise travel.TravelError(f"{what} holds no comments the workbook can show.")
    for c in new:
        c.update(made=doc.made, file_id=doc.file_id, event=str(doc.content.get("event") or ""))
    wb.save(FEEDBACK_DOC, {"task": FEEDBACK_DOC, "schema_version": 1, "files": kept["files"] + [doc.file_id],
                           "comments": kept["comments"] + new})
    return new


def comments_by_task(wb: Workbook) -> dict[str, list[dict[str, Any]]]:
    """Kept comments grouped by task id, oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for c in kept_feedback(wb)["comments"]:
        out.setdefault(str(c.get("task") or ""), []).append(c)
    return out
