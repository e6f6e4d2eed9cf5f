"""The whole workbook as one downloadable file, and loading it back.

For Binder and JupyterLite users, whose storage vanishes with the session. The whole file is checked before anything
is written — its size, its nesting, its numbers, and every document's id, type, format number, revision and saved time
(a real, timezone-aware date, not in the future); one document named twice refuses the file. A file that fails any
check gives one plain message and changes nothing. Importing never silently overwrites local work that is newer (by
real time, not by comparing text) or that a newer version of the workbook saved: the caller decides what to do with
each conflict ("ask"), or both versions are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

from .workbook import (FORMAT, NewerVersionError, StoreError, Workbook, doc_type, envelope_problem, migrate,
                       parse_time, safe_name)

BUNDLE_FORMAT = "npq-workbook/bundle"
BUNDLE_VERSION = 1
KEEP_BOTH, REPLACE, KEEP_LOCAL = "keep-both", "replace", "keep-local"

MAX_BUNDLE_BYTES = 20 * 1024 * 1024
MAX_DOCUMENTS = 2000
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32            # the deepest document the workbook writes is under 10 levels
MAX_INT = 2 ** 53         # what a browser can hold exactly
MAX_INT_DIGITS = 16
EARLIEST = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
CLOCK_SLACK = dt.timedelta(days=1)  # another computer's clock may run a little fast

_NOT_A_WORKBOOK = ("This is not an NPQ Workbook file. Choose the .json file you downloaded with "
                   "'Download all my work'.")


def export_bundle(wb: Workbook) -> bytes:
    docs = []
    for doc_id in wb.ids():
        env = wb.envelope(doc_id)
        if env is not None:
            docs.append(env)
    bundle = {"format": BUNDLE_FORMAT, "bundle_version": BUNDLE_VERSION,
              "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "documents": docs}
    # "format" comes first, so even a file cut short early is recognised as a truncated workbook
    return (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def bundle_filename(today: dt.date | None = None) -> str:
    return f"npq-workbook-{(today or dt.date.today()).isoformat()}.json"


class _Refused(Exception):
    """Raised from inside the JSON parser: the text holds a number this workbook would never write."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused
    value = int(text)
    if abs(value) > MAX_INT:
        raise _Refused
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > 1e300:
        raise _Refused
    return value


def _no_constant(_text: str) -> float:
    raise _Refused  # NaN, Infinity, -Infinity: not JSON, and never written by the workbook


def _too_deep(value: object, limit: int) -> bool:
    """True if ``value`` nests lists/objects more than ``limit`` deep (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def read_bundle(raw: bytes, *, now: dt.datetime | None = None) -> list[dict]:
    """The documents in a bundle, every one validated; StoreError with one plain message otherwise."""
    if not raw or not raw.strip():
        raise StoreError("The file is empty.")
    if len(raw) > MAX_BUNDLE_BYTES:
        raise StoreError(f"That file is too large for a workbook file (the limit is "
                         f"{MAX_BUNDLE_BYTES // (1024 * 1024)} MB).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreError("This is not an NPQ Workbook file (it is not text). Choose the .json file you downloaded "
                         "with 'Download all my work'.") from None
    try:
        bundle = json.loads(text, parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant)
    except _Refused:
        raise StoreError("This workbook file holds a number far larger than any the workbook writes, so it "
                         "cannot be loaded.") from None
    except RecursionError:
        raise StoreError("This workbook file is nested far more deeply than any the workbook writes, so it cannot "
                         "be loaded.") from None
    except ValueError:
        if text.lstrip().startswith("{") and '"' + BUNDLE_FORMAT + '"' in text:
            raise StoreError("This workbook file is incomplete — it may have been cut short while downloading. "
                             "Download it again.") from None
        raise StoreError(_NOT_A_WORKBOOK) from None
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise StoreError(_NOT_A_WORKBOOK)
    version = bundle.get("bundle_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError("This workbook file is damaged: its format number is not valid.")
    if version > BUNDLE_VERSION:
        raise StoreError("This workbook file was made by a newer version of NPQ Workbook. Update the workbook "
                         "to load it.")
    if "exported_at" in bundle and parse_time(bundle["exported_at"]) is None:
        raise StoreError("This workbook file is damaged: the date it was made is not a date.")
    if _too_deep(bundle, MAX_DEPTH):
        raise StoreError("This workbook file is nested far more deeply than any the workbook writes, so it cannot "
                         "be loaded.")
    docs = bundle.get("documents")
    if not isinstance(docs, list):
        raise StoreError("This workbook file is damaged: it has no list of documents.")
    if len(docs) > MAX_DOCUMENTS:
        raise StoreError(f"This workbook file holds more than {MAX_DOCUMENTS} pieces of work, more than a "
                         "workbook keeps, so it cannot be loaded.")
    latest = (now or dt.datetime.now(dt.timezone.utc)) + CLOCK_SLACK
    seen: set[str] = set()
    for env in docs:
        problem = envelope_problem(env)
        if problem is not None:
            raise StoreError("This workbook file is damaged: one of its documents cannot be read.")
        try:
            safe_name(env.get("doc_id"))
        except StoreError:
            raise StoreError("This workbook file is damaged: it names a document the workbook cannot store.") from None
        if env["doc_id"] in seen:
            raise StoreError("This workbook file names the same piece of work twice, so it cannot be loaded "
                             "safely.")
        seen.add(env["doc_id"])
        when = parse_time(env["saved_at"])
        if when is None or not EARLIEST <= when <= latest:
            raise StoreError("This workbook file is damaged: one of its documents has a saved date that cannot "
                             "be right.")
        if len(json.dumps(env, ensure_ascii=False).encode("utf-8")) > MAX_DOCUMENT_BYTES:
            raise StoreError("This workbook file holds a piece of work far larger than any the workbook writes, "
                             "so it cannot be loaded.")
        if env["schema_version"] > doc_type(env["doc_type"]).version:
            raise StoreError("This workbook file holds work from a newer version of NPQ Workbook. Update the "
                             "workbook to load it.")
    return docs


@dataclass
class ImportPlan:
    new: list[dict] = field(default_factory=list)           # not here yet (or only an unreadable file is here)
    same: list[dict] = field(default_factory=list)          # identical to what is here
    incoming_newer: list[dict] = field(default_factory=list)  # the file's version is newer: it replaces ours
    conflicts: list[tuple[dict, dict]] = field(default_factory=list)  # ours is newer or the same age but different
    local_newer_format: list[dict] = field(default_factory=list)  # ours is from a newer workbook: never overwritten

    @property
    def conflict_ids(self) -> list[str]:
        return [inc["doc_id"] for inc, _ in self.conflicts]


def plan_import(wb: Workbook, docs: list[dict]) -> ImportPlan:
    """Sort validated documents (``read_bundle``) by what loading them would do. Writes nothing."""
    plan = ImportPlan()
    for inc in docs:
        local = wb.envelope(inc["doc_id"])
        if local is None:
            plan.new.append(inc)
        elif local["schema_version"] > doc_type(local["doc_type"]).version:
            plan.local_newer_format.append(inc)
        elif local.get("data") == inc.get("data"):
            plan.same.append(inc)
        elif parse_time(inc["saved_at"]) > parse_time(local["saved_at"]):  # type: ignore[operator]
            plan.incoming_newer.append(inc)
        else:
            plan.conflicts.append((inc, local))
    return plan


def apply_import(wb: Workbook, plan: ImportPlan, decisions: dict[str, str] | None = None,
                 default: str = KEEP_BOTH) -> list[str]:
    """Write the plan. ``decisions`` maps a conflicting doc id to keep-both / replace / keep-local.
    Returns one plain sentence per document, saying what really happened to it."""
    report = []

    def save(doc_id: str, env: dict, keep_time: bool = True) -> None:
        _version, data = migrate(env["doc_type"], env["schema_version"], env["data"])
        wb.save(doc_id, data, doc_type_name=env["doc_type"], saved_at=env["saved_at"] if keep_time else None)

    def attempt(doc_id: str, done: str, action) -> None:
        try:
            action()
        except NewerVersionError:
            report.append(f"{doc_id}: not loaded — your copy here was saved by a newer version of NPQ Workbook, so "
                          "it was left as it is.")
        except (StoreError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            report.append(f"{doc_id}: not loaded — it could not be saved ({reason}); your copy here is unchanged.")
        else:
            report.append(done)

    def beside(env: dict) -> tuple[str, callable]:
        copy_id = wb.copy_id(env["doc_id"], "imported")
        return copy_id, lambda: save(copy_id, env)

    for env in plan.new:
        unreadable = wb.path(env["doc_id"]).exists()
        attempt(env["doc_id"], f"{env['doc_id']}: added." if not unreadable else
                f"{env['doc_id']}: loaded from the file; the copy here could not be read and was set aside.",
                lambda env=env: save(env["doc_id"], env))
    for env in plan.same:
        report.append(f"{env['doc_id']}: already up to date.")
    for env in plan.incoming_newer:
        attempt(env["doc_id"], f"{env['doc_id']}: updated from the file (it was newer); the version it replaced is "
                               "kept as the previous version.", lambda env=env: save(env["doc_id"], env))
    for env in plan.local_newer_format:
        copy_id, action = beside(env)
        attempt(env["doc_id"], f"{env['doc_id']}: your copy here was saved by a newer version of NPQ Workbook, so it "
                               f"was kept as it is; the file's version was saved beside it as {copy_id}.", action)
    for inc, _local in plan.conflicts:
        doc_id = inc["doc_id"]
        choice = (decisions or {}).get(doc_id, default)
        if choice == REPLACE:
            attempt(doc_id, f"{doc_id}: replaced by the file's version, as you chose; your version is kept as the "
                            "previous version.", lambda inc=inc: save(doc_id, inc, keep_time=False))
        elif choice == KEEP_LOCAL:
            report.append(f"{doc_id}: kept your version, as you chose.")
        else:
            copy_id, action = beside(inc)
            attempt(doc_id, f"{doc_id}: your version was kept; the file's version was saved beside it as "
                            f"{copy_id}.", action)
    return report
