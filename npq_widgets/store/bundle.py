"""The whole workbook as one downloadable file, and loading it back.

For Binder and JupyterLite users, whose storage vanishes with the session. A file that is not a workbook, is from a
newer version, or was cut short gives a clear message and changes nothing. Importing never silently overwrites newer
local work: the caller decides what to do with each conflict ("ask"), or both versions are kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .workbook import FORMAT, StoreError, Workbook, doc_type, migrate, safe_name

BUNDLE_FORMAT = "npq-workbook/bundle"
BUNDLE_VERSION = 1
KEEP_BOTH, REPLACE, KEEP_LOCAL = "keep-both", "replace", "keep-local"


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


def read_bundle(raw: bytes) -> list[dict]:
    """The documents in a bundle, validated; StoreError with a plain message otherwise."""
    if not raw or not raw.strip():
        raise StoreError("The file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreError("This is not an NPQ Workbook file (it is not text). Choose the .json file you downloaded "
                         "with 'Download all my work'.") from None
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError:
        if text.lstrip().startswith("{") and '"' + BUNDLE_FORMAT + '"' in text:
            raise StoreError("This workbook file is incomplete — it may have been cut short while downloading. "
                             "Download it again.") from None
        raise StoreError("This is not an NPQ Workbook file. Choose the .json file you downloaded with "
                         "'Download all my work'.") from None
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise StoreError("This is not an NPQ Workbook file. Choose the .json file you downloaded with "
                         "'Download all my work'.")
    version = bundle.get("bundle_version")
    if not isinstance(version, int) or version > BUNDLE_VERSION:
        raise StoreError("This workbook file was made by a newer version of NPQ Workbook. Update the workbook "
                         "to load it.")
    docs = bundle.get("documents")
    if not isinstance(docs, list):
        raise StoreError("This workbook file is damaged: it has no list of documents.")
    for env in docs:
        if (not isinstance(env, dict) or env.get("format") != FORMAT or not isinstance(env.get("doc_id"), str)
                or not isinstance(env.get("schema_version"), int) or "data" not in env):
            raise StoreError("This workbook file is damaged: one of its documents cannot be read.")
        try:
            safe_name(env["doc_id"])
        except StoreError:
            raise StoreError("This workbook file is damaged: it names a document the workbook cannot store.") from None
        if env["schema_version"] > doc_type(str(env.get("doc_type"))).version:
            raise StoreError("This workbook file holds work from a newer version of NPQ Workbook. Update the "
                             "workbook to load it.")
    return docs


@dataclass
class ImportPlan:
    new: list[dict] = field(default_factory=list)           # not here yet
    same: list[dict] = field(default_factory=list)          # identical to what is here
    incoming_newer: list[dict] = field(default_factory=list)  # the file's version is newer: it replaces ours
    conflicts: list[tuple[dict, dict]] = field(default_factory=list)  # ours is newer or the same age but different

    @property
    def conflict_ids(self) -> list[str]:
        return [inc["doc_id"] for inc, _ in self.conflicts]


def plan_import(wb: Workbook, docs: list[dict]) -> ImportPlan:
    plan = ImportPlan()
    for inc in docs:
        local = wb.envelope(inc["doc_id"])
        if local is None:
            plan.new.append(inc)
        elif local.get("data") == inc.get("data"):
            plan.same.append(inc)
        elif str(inc.get("saved_at", "")) > str(local.get("saved_at", "")):
            plan.incoming_newer.append(inc)
        else:
            plan.conflicts.append((inc, local))
    return plan


def apply_import(wb: Workbook, plan: ImportPlan, decisions: dict[str, str] | None = None,
                 default: str = KEEP_BOTH) -> list[str]:
    """Write the plan. ``decisions`` maps a conflicting doc id to keep-both / replace / keep-local.
    Returns one plain sentence per document."""
    report = []

    def save(doc_id: str, env: dict, keep_time: bool = True) -> None:
        _version, data = migrate(str(env.get("doc_type")), int(env["schema_version"]), env["data"])
        wb.save(doc_id, data, doc_type_name=env.get("doc_type"), saved_at=env.get("saved_at") if keep_time else None)

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for env in plan.new:
        save(env["doc_id"], env)
        report.append(f"{env['doc_id']}: added.")
    for env in plan.same:
        report.append(f"{env['doc_id']}: already up to date.")
    for env in plan.incoming_newer:
        save(env["doc_id"], env)
        report.append(f"{env['doc_id']}: updated from the file (it was newer); the version it replaced is kept as "
                      "the previous version.")
    for inc, _local in plan.conflicts:
        choice = (decisions or {}).get(inc["doc_id"], default)
        if choice == REPLACE:
            save(inc["doc_id"], inc, keep_time=False)
            report.append(f"{inc['doc_id']}: replaced by the file's version, as you chose; your version is kept as "
                          "the previous version.")
        elif choice == KEEP_LOCAL:
            report.append(f"{inc['doc_id']}: kept your version, as you chose.")
        else:
            copy_id = f"{inc['doc_id'][:90]}--imported-{stamp}"
            save(copy_id, inc)
            report.append(f"{inc['doc_id']}: your version is newer, so it was kept; the file's version was saved "
                          f"beside it as {copy_id}.")
    return report
