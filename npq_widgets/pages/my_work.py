""""My work": download the whole workbook as one file, and load such a file back (Binder, JupyterLite, a new
laptop). A file that is not a workbook, is from a newer version or is cut short changes nothing; conflicts with newer
work here are put to the learner, who chooses per document."""

from __future__ import annotations

import re
from typing import Any

import ipywidgets as w

from ..store.bundle import (KEEP_BOTH, KEEP_LOCAL, MAX_BUNDLE_BYTES, REPLACE, ImportPlan, apply_import,
                            bundle_filename, export_bundle, plan_import, read_bundle)
from ..store.feedback import workbook_id
from ..store.workbook import StoreError, Workbook, display_time
from ..widgets.autosave import connect_workbook
from ..widgets.common import button, download_link, error_html, esc, style

MAX_UPLOAD_BYTES = MAX_BUNDLE_BYTES
_COPY = re.compile(r"(?P<base>.+)--(?P<kind>imported|copy)-\d{8}-\d{6}(-\d+)?")
_COPY_WORDS = {"imported": " (copy loaded from a file)", "copy": " (copy kept from another window)"}
_CHOICES = [("Keep both (the file's copy is saved beside mine)", KEEP_BOTH),
            ("Keep mine", KEEP_LOCAL), ("Use the file's version", REPLACE)]


def describe(doc_id: str) -> str:
    """A saved document's name as a learner knows it: the task's title and scenario."""
    from ..registry import TaskError, get_task

    copy = _COPY.fullmatch(doc_id)
    if copy:
        return describe(copy["base"]) + _COPY_WORDS[copy["kind"]]
    if doc_id == "which-npq":
        return "Which NPQ is for me? (your choice)"
    if doc_id == "profile":
        return "Your qualification (contents page)"
    if doc_id == "workbook-id":
        return "Your workbook's code (addresses a facilitator's feedback to you)"
    if doc_id == "feedback":
        return "Feedback from your facilitator"
    if doc_id.startswith("module--"):
        from ..course import COURSE_NAMES, load_module

        try:
            m = load_module(doc_id[len("module--"):])
        except (KeyError, OSError):
            return doc_id
        return f"{COURSE_NAMES[m.course]}, module {m.number}: knowledge check and reflections"
    task_id, _, rest = doc_id.partition("--")
    scenario_id, _, _rest = rest.partition("--")
    try:
        task = get_task(task_id)
    except TaskError:
        return doc_id
    if scenario_id in ("", "free"):
        where = "your own"
    else:
        try:
            where = task.scenario(scenario_id).title
        except TaskError:
            where = scenario_id
    return f"{task.title} — {where}"


class MyWork(w.VBox):
    def __init__(self, *, workbook: Workbook | None = None, voila: bool | None = None):
        self.workbook: Workbook | None = None
        self.plan: ImportPlan | None = None
        self.summary = w.HTML()
        self.summary.add_class("npq-my-work-summary")
        self.download_button = button("Download all my work", css="npq-download-all")
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.download = w.HTML()
        self.download.add_class("npq-download-area")
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Load a workbook file", icon="")
        self.upload.layout = w.Layout(width="320px")
        self.upload.add_class("npq-upload-work")
        self.upload.observe(self._uploaded, "value")
        self.message = w.HTML()
        self.message.add_class("npq-import-message")
        self.conflicts = w.VBox()
        self.apply_button = button("Load the file with these choices", css="npq-apply-import", primary=True)
        self.apply_button.on_click(lambda _b: self.apply())
        self.apply_button.layout.display = "none"
        super().__init__([
            style(),
            w.HTML("<h1>My work</h1><p>Everything you do in the workbook is saved as you go. To keep a copy — or to "
                   "move your work to another computer or a new Binder session — download it as one file, and load "
                   "that file here later.</p>"),
            self.summary, w.HBox([self.download_button, self.download]),
            w.HTML('<h2 class="npq-field-label">Load a workbook file you downloaded earlier</h2>'),
            self.upload, self.message, self.conflicts, self.apply_button,
        ])
        self.add_class("npq-app")
        self.add_class("npq-my-work")
        connect_workbook(self, self._ready, workbook=workbook, voila=voila)

    def _ready(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.refresh()

    def refresh(self) -> None:
        if self.workbook is None:
            return
        rows = []
        for doc_id in self.workbook.ids():
            if doc_id.startswith("check--"):  # progress ticks, not work
                continue
            env = self.workbook.envelope(doc_id) or {}
            rows.append(f"<tr><td>{esc(describe(doc_id))}</td><td>{esc(display_time(env.get('saved_at')))}</td></tr>")
        self.summary.value = (
            f'<table class="npq-table"><thead><tr><th>Saved work</th><th>Last saved</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>" if rows else "<p>Nothing has been saved yet.</p>")

    def prepare_download(self) -> None:
        if self.workbook is None:
            self.download.value = error_html("Still connecting to your saved work — try again in a moment.")
            return
        try:  # the file carries the workbook's code, so a facilitator's feedback can be addressed to it
            workbook_id(self.workbook)
        except (OSError, StoreError):
            pass  # the work is still worth downloading without it
        data = export_bundle(self.workbook)
        name = bundle_filename()
        self.download.value = download_link(data, name, f"Download {name}", "application/json")

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        content = f["content"] if isinstance(f, dict) else f.content
        size = f["size"] if isinstance(f, dict) else f.size
        self.load_bytes(bytes(content), size=size)

    def load_bytes(self, raw: bytes, size: int | None = None) -> None:
        """Read an uploaded workbook file; add what is new, and ask about conflicts. Bad files change nothing."""
        self.conflicts.children = ()
        self.apply_button.layout.display = "none"
        self.plan = None
        if self.workbook is None:
            self.message.value = error_html("Still connecting to your saved work — try again in a moment.")
            return
        if (size or len(raw)) > MAX_UPLOAD_BYTES:
            self.message.value = error_html(f"That file is too large for a workbook file (the limit is "
                                            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB). Nothing was changed.")
            return
        try:
            docs = read_bundle(raw)
        except StoreError as exc:
            self.message.value = error_html(f"{exc} Nothing was changed.")
            return
        self.plan = plan_import(self.workbook, docs)
        if not self.plan.conflicts:
            self.apply()
            return
        rows: list[w.Widget] = []
        for inc, local in self.plan.conflicts:
            choice = w.RadioButtons(options=_CHOICES, value=KEEP_BOTH, layout=w.Layout(width="auto"))
            choice.add_class("npq-conflict-choice")
            choice.doc_id = inc["doc_id"]
            rows.append(w.VBox([w.HTML(
                f"<p><strong>{esc(describe(inc['doc_id']))}</strong>: your version here was saved at "
                f"{esc(display_time(local.get('saved_at')))}; the file's at {esc(display_time(inc.get('saved_at')))}."
                "</p>"), choice]))
        self.conflicts.children = tuple(rows)
        self.apply_button.layout.display = ""
        self.message.value = ("<p>Some work in the file differs from newer work here. Nothing has been changed yet: "
                              "choose what to keep, then press the button.</p>")

    def apply(self) -> None:
        if self.plan is None or self.workbook is None:
            return
        decisions = {row.children[1].doc_id: row.children[1].value for row in self.conflicts.children}
        report = apply_import(self.workbook, self.plan, decisions)
        self.plan = None
        self.conflicts.children = ()
        self.apply_button.layout.display = "none"
        self.message.value = ("<p><strong>Loaded.</strong> Reopen a task to see its work.</p><ul>"
                              + "".join(f"<li>{esc(line)}</li>" for line in report) + "</ul>")
        self.refresh()


def my_work(**kwargs: Any) -> MyWork:
    return MyWork(**kwargs)
