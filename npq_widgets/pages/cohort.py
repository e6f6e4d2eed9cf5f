"""The cohort view (for facilitators) and the Feedback page (for candidates).

The facilitator loads the room's downloaded workbook files, sees the room (knowledge checks, tasks, each task's own
summary, module progress — never a pupil's data), shows candidates by name or as "Candidate 1…", exports the view as
.xlsx or a printable page, writes comments per candidate per task (with a comment bank they edit and reuse, kept in
their own workbook) and downloads one feedback file per candidate. The candidate loads that file on the Feedback
page, which keeps the comments in their workbook and shows each one under the task it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import ipywidgets as w

from .. import cohort
from ..registry import TaskError, all_tasks, get_task, task_spec
from ..store import travel
from ..store.feedback import (comments_by_task, feedback_filename, load_feedback, make_feedback, workbook_id)
from ..store.workbook import StoreError, Workbook
from ..widgets.autosave import connect_workbook
from ..widgets.common import uploaded_files, XLSX_MIME, button, download_link, error_html, esc, style

BANK_DOC = "comment-bank"
DRAFTS_DOC = "cohort-comments"
DEFAULT_BANK = (
    "Your residual scores are higher than the inherent ones — check the mitigation.",
    "Each risk needs an owner and at least one mitigation.",
    "Show how the contingency was worked out, and on which costs.",
    "Your cost per pupil is well above the room's: check the staffing hours.",
    "Make each objective measurable: say what will be counted, and by when.",
    "A clear, well-evidenced piece of work — well done.",
)
MAX_FILES_BYTES = 200 * 1024 * 1024


_files = uploaded_files  # (name, bytes) of every uploaded file


class CohortView(w.VBox):
    def __init__(self, *, workbook: Workbook | None = None, voila: bool | None = None, today: dt.date | None = None):
        self.workbook: Workbook | None = None
        self.today = today
        self.candidates: list[cohort.Candidate] = []
        self.summary: cohort.CohortSummary | None = None
        self.drafts: dict[str, list[dict[str, str]]] = {}  # workbook id -> comments

        self.upload = w.FileUpload(accept=".json", multiple=True, description="Load workbook files", icon="")
        self.upload.layout = w.Layout(width="320px")
        self.upload.add_class("npq-cohort-upload")
        self.upload.observe(lambda ch: self.load_files(_files(ch["new"])) if ch["new"] else None, "value")
        self.anonymous = w.Checkbox(value=True, description='Show candidates as "Candidate 1, 2, 3…" (for the '
                                    "projector)", indent=False, layout=w.Layout(width="auto"))
        self.anonymous.add_class("npq-cohort-anonymous")
        self.anonymous.observe(lambda _c: self.render(), "value")
        self.event = w.Text(placeholder="e.g. Leeds, day 2", layout=w.Layout(width="320px"))
        self.event.add_class("npq-cohort-event")
        self.message = w.HTML()
        self.message.add_class("npq-cohort-message")
        self.view = w.HTML('<p class="npq-help">No files loaded yet.</p>')
        self.view.add_class("npq-cohort-view")
        self.xlsx_button = button("Download the room as Excel", css="npq-cohort-xlsx")
        self.xlsx_button.on_click(lambda _b: self.prepare_xlsx())
        self.print_button = button("Printable page", css="npq-cohort-print")
        self.print_button.on_click(lambda _b: self.prepare_printable())
        self.downloads = w.HTML()
        self.downloads.add_class("npq-cohort-downloads")

        # feedback
        self.who = w.Dropdown(options=[], description="Candidate", layout=w.Layout(width="420px"))
        self.who.add_class("npq-feedback-candidate")
        self.who.observe(lambda _c: self.show_comments(), "value")
        self.task = w.Dropdown(options=[(t.title, t.id) for t in all_tasks()], description="Task",
                               layout=w.Layout(width="420px"))
        self.task.add_class("npq-feedback-task")
        self.comment = w.Textarea(placeholder="Your comment on this task…", rows=3, layout=w.Layout(width="640px"))
        self.comment.add_class("npq-feedback-comment")
        self.bank_choice = w.Dropdown(options=list(DEFAULT_BANK), description="Comment bank",
                                      layout=w.Layout(width="640px"))
        self.bank_choice.add_class("npq-feedback-bank")
        self.use_button = button("Use this comment", css="npq-feedback-use")
        self.use_button.on_click(lambda _b: self.use_bank())
        self.keep_button = button("Add my comment to the bank", css="npq-feedback-keep")
        self.keep_button.on_click(lambda _b: self.add_to_bank())
        self.bank_text = w.Textarea(value="\n".join(DEFAULT_BANK), rows=6, layout=w.Layout(width="640px"))
        self.bank_text.add_class("npq-feedback-bank-text")
        self.bank_save = button("Save the bank", css="npq-feedback-bank-save")
        self.bank_save.on_click(lambda _b: self.save_bank())
        self.add_button = button("Add comment", css="npq-feedback-add", primary=True)
        self.add_button.on_click(lambda _b: self.add_comment())
        self.comments = w.HTML()
        self.comments.add_class("npq-feedback-list")
        self.file_button = button("Download this candidate's feedback file", css="npq-feedback-download")
        self.file_button.on_click(lambda _b: self.prepare_feedback())
        self.feedback_area = w.HTML()
        self.feedback_area.add_class("npq-feedback-area")
        self.feedback_message = w.HTML()
        self.feedback_message.add_class("npq-feedback-message")

        label = lambda text: w.HTML(f'<div class="npq-field-label">{esc(text)}</div>')  # noqa: E731
        super().__init__([
            style(),
            w.HTML("<h1>The room</h1><p>Load the workbook files your candidates downloaded from <em>My work</em> "
                   "(choose many at once). You see the room's knowledge checks, tasks and progress — never anyone's "
                   "pupil data — and can write each candidate feedback to send back.</p>"),
            label("Candidates' workbook files (.json)"), self.upload, self.message,
            self.anonymous, label("Event (optional, printed on exports and feedback)"), self.event,
            self.view, w.HBox([self.xlsx_button, self.print_button]), self.downloads,
            w.HTML("<h2>Feedback to candidates</h2><p>Choose a candidate and a task, write a comment (or take one "
                   "from your comment bank), add it, and download the candidate's feedback file. They load it on "
                   "their <em>Feedback</em> page, where each comment appears with its task.</p>"),
            self.who, self.task, self.bank_choice, w.HBox([self.use_button, self.keep_button]),
            label("Comment"), self.comment, self.add_button, self.feedback_message, self.comments,
            self.file_button, self.feedback_area,
            w.HTML("<h3>Your comment bank</h3><p class='npq-help'>One comment a line; saved in your workbook for "
                   "the next event.</p>"), self.bank_text, self.bank_save,
        ])
        self.add_class("npq-app")
        self.add_class("npq-cohort")
        connect_workbook(self, self._ready, workbook=workbook, voila=voila)

    # -- the facilitator's own workbook: the bank and draft comments -------------------------------------------------
    def _ready(self, wb: Workbook) -> None:
        self.workbook = wb
        try:
            bank = (wb.load(BANK_DOC).data or {}).get("comments")
            drafts = (wb.load(DRAFTS_DOC).data or {}).get("drafts")
        except (OSError, StoreError):
            bank, drafts = None, None
        if isinstance(bank, list) and all(isinstance(b, str) for b in bank) and bank:
            self._set_bank(bank)
        if isinstance(drafts, dict):
            self.drafts = {str(k): [dict(c) for c in v if isinstance(c, dict)] for k, v in drafts.items()
                           if isinstance(v, list)}

    def _set_bank(self, comments: Sequence[str]) -> None:
        cleaned = list(dict.fromkeys(c.strip() for c in comments if c.strip()))
        self.bank_choice.options = cleaned
        self.bank_text.value = "\n".join(cleaned)

    def save_bank(self) -> None:
        self._set_bank(self.bank_text.value.splitlines())
        self._keep(BANK_DOC, {"task": BANK_DOC, "schema_version": 1, "comments": list(self.bank_choice.options)})

    def _keep(self, doc: str, data: dict) -> None:
        if self.workbook is None:
            return
        try:
            self.workbook.save(doc, data)
        except (OSError, StoreError) as exc:
            self.feedback_message.value = error_html(f"Your comments could not be saved here ({exc}); download the "
                                                     "feedback files before closing the page.")

    def use_bank(self) -> None:
        if self.bank_choice.value:
            self.comment.value = self.bank_choice.value

    def add_to_bank(self) -> None:
        text = self.comment.value.strip()
        if not text:
            self.feedback_message.value = error_html("Write a comment first, then add it to the bank.")
            return
        self._set_bank(list(self.bank_choice.options) + [text])
        self.save_bank()
        self.feedback_message.value = "<p>Added to your comment bank.</p>"

    # -- loading and showing the room ------------------------------------------------------------------------------
    def load_files(self, files: Sequence[tuple[str, bytes]]) -> None:
        """Add candidates' files to the room (a file already loaded is named and skipped)."""
        if sum(len(raw) for _, raw in files) > MAX_FILES_BYTES:
            self.message.value = error_html("Those files are too large together; load them in smaller groups.")
            return
        existing = [(c.source, None) for c in self.candidates]
        people, problems = cohort.read_candidates(list(files))
        known = {c.workbook_id: c.source for c in self.candidates if c.workbook_id}
        added = []
        for p in people:
            if p.workbook_id and p.workbook_id in known:
                problems.append(f"{p.source}: this is the same candidate's workbook as {known[p.workbook_id]}, so "
                                "it was not added twice.")
                continue
            added.append(p)
        start = len(existing)
        self.candidates += [cohort.Candidate(start + i + 1, p.name, p.workbook_id, p.source, p.workbook)
                            for i, p in enumerate(added)]
        note = f"<p>{len(added)} file{'s' if len(added) != 1 else ''} added; {len(self.candidates)} in the room.</p>"
        self.message.value = note + ("<ul>" + "".join(f'<li class="npq-msg-error">{esc(p)}</li>' for p in problems)
                                     + "</ul>" if problems else "")
        self.summary = cohort.summarise(self.candidates)
        self.render()

    def render(self) -> None:
        anon = self.anonymous.value
        if self.summary is not None:
            self.view.value = cohort.html_tables(self.summary, anonymous=anon)
        self.who.options = [(c.label(anon), c.number) for c in self.candidates]
        self.show_comments()

    def prepare_xlsx(self) -> None:
        if self.summary is None:
            self.downloads.value = error_html("Load your candidates' files first.")
            return
        data = cohort.xlsx(self.summary, anonymous=self.anonymous.value, event=self.event.value, today=self.today)
        self.downloads.value = download_link(data, "npq-room.xlsx", "Download npq-room.xlsx", XLSX_MIME)

    def prepare_printable(self) -> None:
        if self.summary is None:
            self.downloads.value = error_html("Load your candidates' files first.")
            return
        data = cohort.printable_page(self.summary, anonymous=self.anonymous.value, event=self.event.value,
                                     today=self.today)
        self.downloads.value = (download_link(data, "npq-room.html", "Download npq-room.html (open it, then print)",
                                              "text/html"))

    # -- feedback ----------------------------------------------------------------------------------------------------
    def _candidate(self) -> cohort.Candidate | None:
        return next((c for c in self.candidates if c.number == self.who.value), None)

    def add_comment(self) -> None:
        c = self._candidate()
        text = self.comment.value.strip()
        if c is None:
            self.feedback_message.value = error_html("Load your candidates' files and choose a candidate first.")
            return
        if not text:
            self.feedback_message.value = error_html("Write a comment first (or take one from the bank).")
            return
        if not c.workbook_id:
            self.feedback_message.value = error_html(
                "This candidate's file has no workbook code, so feedback cannot be addressed to it: ask them to "
                "download their work again from My work.")
            return
        task = get_task(self.task.value)
        self.drafts.setdefault(c.workbook_id, []).append({"task": task.id, "task_title": task.title, "text": text})
        self._keep(DRAFTS_DOC, {"task": DRAFTS_DOC, "schema_version": 1, "drafts": self.drafts})
        self.comment.value = ""
        self.feedback_message.value = f"<p>Comment added for {esc(c.label(self.anonymous.value))}.</p>"
        self.show_comments()

    def show_comments(self) -> None:
        c = self._candidate()
        items = self.drafts.get(c.workbook_id or "", []) if c else []
        self.feedback_area.value = ""
        self.comments.value = ("<ul>" + "".join(f"<li><strong>{esc(i['task_title'])}</strong>: {esc(i['text'])}</li>"
                                                for i in items) + "</ul>") if items else (
            '<p class="npq-help">No comments for this candidate yet.</p>' if c else "")

    def feedback_bytes(self) -> tuple[str, bytes]:
        """The chosen candidate's feedback file (name, bytes); ValueError with a plain sentence otherwise."""
        c = self._candidate()
        if c is None:
            raise ValueError("Load your candidates' files and choose a candidate first.")
        data = make_feedback(c.workbook_id or "", self.drafts.get(c.workbook_id or "", []), event=self.event.value,
                             today=self.today)
        return feedback_filename(c.label(self.anonymous.value), self.today), data

    def prepare_feedback(self) -> None:
        try:
            name, data = self.feedback_bytes()
        except ValueError as exc:
            self.feedback_area.value = error_html(str(exc))
            return
        self.feedback_area.value = download_link(data, name, f"Download {name}", "application/json")


class FeedbackPage(w.VBox):
    """The candidate's side: load a facilitator's feedback file; see every comment kept, under its task."""

    def __init__(self, *, workbook: Workbook | None = None, voila: bool | None = None):
        self.workbook: Workbook | None = None
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Load a feedback file", icon="")
        self.upload.layout = w.Layout(width="320px")
        self.upload.add_class("npq-feedback-upload")
        self.upload.observe(self._uploaded, "value")
        self.message = w.HTML()
        self.message.add_class("npq-feedback-load-message")
        self.code = w.HTML()
        self.code.add_class("npq-feedback-code")
        self.shown = w.HTML('<p class="npq-help">Opening your workbook…</p>')
        self.shown.add_class("npq-feedback-shown")
        super().__init__([
            style(),
            w.HTML("<h1>Feedback</h1><p>Your facilitator can send you comments on your tasks as a file. Load it "
                   "here: the comments are kept in your workbook, each beside the task it is about.</p>"
                   f"<p class='npq-help'>{esc(travel.FORGERY_NOTE)}</p>"),
            self.code, self.upload, self.message, self.shown,
        ])
        self.add_class("npq-app")
        self.add_class("npq-feedback-page")
        connect_workbook(self, self._ready, workbook=workbook, voila=voila)

    def _ready(self, wb: Workbook) -> None:
        self.workbook = wb
        try:
            code = workbook_id(wb)
            self.code.value = (f"<p>Your workbook's code is <strong>{esc(code)}</strong>. Feedback files made for "
                               "this code can be loaded here (download your work from <em>My work</em> for your "
                               "facilitator: the file carries the code).</p>")
        except (OSError, StoreError) as exc:
            self.code.value = error_html(f"Your workbook's code could not be kept ({exc}).")
        self.refresh()

    def _uploaded(self, change) -> None:
        files = _files(change["new"])
        if files:
            self.load_bytes(files[0][1], name=files[0][0])

    def load_bytes(self, raw: bytes, name: str = "This file") -> None:
        if self.workbook is None:
            self.message.value = error_html("Still connecting to your saved work — try again in a moment.")
            return
        try:
            new = load_feedback(self.workbook, raw, what=f"'{name}'")
        except travel.TravelError as exc:
            self.message.value = error_html(f"{exc} Nothing was changed.")
            return
        except (OSError, StoreError) as exc:
            self.message.value = error_html(f"The feedback could not be kept ({exc}). Nothing was changed.")
            return
        self.message.value = f"<p><strong>Loaded</strong> {len(new)} comment{'s' if len(new) != 1 else ''}.</p>"
        self.refresh()

    def refresh(self) -> None:
        if self.workbook is None:
            return
        groups = comments_by_task(self.workbook)
        if not groups:
            self.shown.value = "<p>No feedback yet.</p>"
            return
        parts = []
        for task_id, comments in groups.items():
            link = ""
            try:
                title = get_task(task_id).title
                apps = task_spec(task_id).get("apps") or []
                if apps:
                    link = (f' <a class="npq-feedback-open" href="{esc(apps[0]["notebook"])}.ipynb">Open the task'
                            "</a>")
            except (TaskError, KeyError, TypeError):
                title = str(comments[0].get("task_title") or task_id)
            items = "".join(
                f"<li>{esc(c.get('text', ''))} <span class='npq-help'>({esc(c.get('event') or 'facilitator')}, "
                f"{esc(_uk(c.get('made')))})</span></li>" for c in comments)
            parts.append(f'<div class="npq-card npq-feedback-task-{esc(task_id)}"><h2>{esc(title)}</h2>'
                         f"<ul>{items}</ul>{link}</div>")
        self.shown.value = "".join(parts)


def _uk(iso: Any) -> str:
    try:
        return dt.date.fromisoformat(str(iso)).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso or "")
