"""The project-account workspace: qualification, one or two projects, dates and timeline, a section per criterion
(NPQML) or aim (NPQSL) or task (NPQEL) with live word counts per section, part and total, annexes (not counted),
the evidence map, earlier versions, formative checks and .docx / printable HTML downloads."""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from ...contract import Scenario, Task, TaskError
from ...store import travel
from ...widgets.common import (DOCX_MIME, WordCountedText, button, download_link, error_html, esc, field, label_input,
                               style, uploaded_files)
from ...widgets.task_view import TaskView
from ...widgets.versions import VersionedWork
from .export import account_html, figures
from .model import (DEFAULT_QUALIFICATION, QUALIFICATIONS, SPONSOR_FIELDS, ValueProblem, evidence_map, read_account,
                    read_sponsor_file, sponsor_file, sponsor_intact, structure, timeline, word_counts)

JSON_MIME = "application/json"
_NAMES = {"NPQML-legacy": "NPQML (middle leadership)", "NPQSL-legacy": "NPQSL (senior leadership)",
          "NPQEL-legacy": "NPQEL (executive leadership)"}


def open_view(task: Task, scenario: Scenario | None, role: str = "candidate"):
    """The candidate's account (saved as their work) or, with ``role="sponsor"``, the sponsor's form."""
    if role == "sponsor":
        return SponsorForm(task)
    if role != "candidate":
        raise TaskError(f"The project account has no '{role}' view: use candidate or sponsor.")
    return ProjectAccountView(task, scenario)


def sponsor_html(envelope: Mapping[str, Any]) -> str:
    """The sponsor's comments as received: the file's words exactly, shown (never in an edit box)."""
    if not envelope:
        return '<p class="npq-help">No sponsor comments loaded yet.</p>'
    if not sponsor_intact(envelope):
        return error_html("The sponsor comments saved in your work no longer match the check inside the file: "
                          "load the file your sponsor sent again.")
    content = envelope.get("content") if isinstance(envelope.get("content"), Mapping) else {}
    rows = "".join(f"<dt>{esc(label)}</dt><dd>{esc(content.get(key) or '—')}</dd>" for key, label in SPONSOR_FIELDS)
    return (f'<div class="npq-card npq-sponsor-received"><h4>Sponsor comments — as received</h4>'
            f"<p class=\"npq-help\">From the sponsor's file made on {esc(envelope.get('made'))}, shown exactly as "
            "the sponsor wrote it. The check inside the file shows it was not damaged on the way; it cannot show who "
            f"wrote it.</p><dl>{rows}</dl></div>")


def evidence_html(rows) -> str:
    """The evidence map as a table: status in words (never colour alone), then what is missing in plain words."""
    body = []
    for r in rows:
        tasks = "; ".join(f"{t.title}: {'passes its checks' if t.status == 'pass' else 'checked, not all met' if t.status == 'fail' else 'not checked yet'}"
                          for t in r.tasks) or "—"
        refl = sum(m.reflections_written for m in r.modules)
        total = sum(m.reflections_total for m in r.modules)
        quizzes = sum(m.quiz_passed for m in r.modules)
        modules = (f"{refl} of {total} reflections, {quizzes} of {len(r.modules)} knowledge checks passed "
                   f"({', '.join(m.title for m in r.modules)})") if r.modules else "—"
        doc = r.document or "—"
        if r.document:
            doc += {"pass": " (checked, passes)", "fail": " (checked, not all met)", "received": " (received)",
                    None: " (none yet)"}[r.document_status]
        words = "—" if r.words is None else f"{r.words:,}"
        missing = "".join(f"<li>{esc(m)}</li>" for m in r.missing) or "<li>Nothing missing.</li>"
        body.append(f"<tr><th scope=\"row\">{esc(r.id)}</th><td>{esc(r.text)}</td><td><strong>{esc(r.status)}"
                    f"</strong></td><td>{esc(tasks)}</td><td>{esc(doc)}</td><td>{esc(modules)}</td><td>{words}</td>"
                    f"<td><ul>{missing}</ul></td></tr>")
    return ('<table class="npq-table npq-evidence-map"><thead><tr><th>Criterion</th><th>Text</th><th>Status</th>'
            "<th>Workbook tasks</th><th>Supporting document</th><th>Module reflections</th><th>Words in its section"
            f"</th><th>What is missing</th></tr></thead><tbody>{''.join(body)}</tbody></table>")


class ProjectAccountView(VersionedWork, TaskView, w.VBox):
    export_name = "project-account"

    def __init__(self, task: Task, scenario: Scenario | None):
        self._start(task, scenario)
        self.figs = figures()
        self._texts: dict[str, str] = {}       # every section's text, also of sections the qualification hides
        self._sponsor: dict = {}
        self._project_id = ""
        self.qualification = w.Dropdown(options=[(_NAMES[q], q) for q in QUALIFICATIONS], value=DEFAULT_QUALIFICATION)
        self.qualification.add_class("npq-account-qualification")
        label_input(self.qualification, "Your qualification")
        self.two_projects = w.Checkbox(value=False, indent=False,
                                       description="Two separate projects (one for Part A, one for Part B)")
        self.two_projects.add_class("npq-account-two-projects")
        self.project_a = w.Text(layout=w.Layout(width="520px"))
        self.project_a.add_class("npq-account-project-a")
        self.project_b = w.Text(layout=w.Layout(width="520px"))
        self.project_b.add_class("npq-account-project-b")
        self.project_a_box, self.project_a_label = field("Project title", self.project_a)
        self.project_b_box, self.project_b_label = field("Project title (Part B)", self.project_b)
        self.dates = {}
        date_boxes = []
        for key, label in (("programme_start", "Programme start (DD/MM/YYYY)"),
                           ("project_start", "Project start (DD/MM/YYYY)"),
                           ("project_end", "Project end (DD/MM/YYYY)")):
            box = w.Text(placeholder="DD/MM/YYYY", layout=w.Layout(width="160px"))
            box.add_class(f"npq-account-{key.replace('_', '-')}")
            self.dates[key] = box
            date_boxes.append(field(label, box)[0])
            box.observe(lambda _c: self._show_timeline(), "value")
        self.timeline_html = w.HTML()
        self.timeline_html.add_class("npq-account-timeline")
        self.sections_box = w.VBox()
        self.section_boxes: dict[str, WordCountedText] = {}
        self.total = w.HTML()
        self.total.add_class("npq-account-total")
        self.annexes = WordCountedText(placeholder="Annexes: list or paste the supporting documents…", rows=4)
        self.annexes.text.add_class("npq-account-annexes")
        annex_box, _ = field("Annexes and supporting documents (not counted in the word limit)", self.annexes)
        self.evidence = w.HTML('<p class="npq-help">The evidence map is shown once your saved work is open.</p>')
        self.evidence.add_class("npq-account-evidence")
        self.refresh_button = button("Refresh the evidence map", css="npq-account-refresh")
        self.refresh_button.on_click(lambda _b: self.show_evidence())
        self.project_code = w.HTML()
        self.project_code.add_class("npq-account-project-code")
        self.sponsor_upload = w.FileUpload(accept=".json", multiple=False, description="Load your sponsor's file",
                                           icon="")
        self.sponsor_upload.layout = w.Layout(width="auto")
        self.sponsor_upload.add_class("npq-account-sponsor-upload")
        self.sponsor_upload.observe(self._sponsor_uploaded, "value")
        self.sponsor_msg = w.HTML()
        self.sponsor_msg.add_class("npq-account-sponsor-message")
        self.sponsor_view = w.HTML()
        self.sponsor_view.add_class("npq-account-sponsor")
        self.versions = label_input(w.Dropdown(options=[], layout=w.Layout(width="420px")), "Earlier versions")
        self.versions.add_class("npq-account-versions")
        self.restore_button = button("Restore this version", css="npq-account-restore")
        self.restore_button.on_click(lambda _b: self.restore_selected())
        self.version_msg = w.HTML()
        name_box = self._name_field()
        self._check_controls("Check my account")
        self.download_button = button("Prepare downloads (.docx and printable page)", css="npq-prepare-download")
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.download = w.HTML()
        self.download.add_class("npq-download-area")
        self.save_status = w.HBox()
        own = ("<p>Write the account of your own improvement project. Choose your qualification: the parts and "
               "headings follow its assessment.</p>")
        super().__init__([
            style(), w.HTML(self._intro(own)), self.save_status, name_box,
            field("Qualification", self.qualification)[0], self.two_projects, self.project_a_box,
            self.project_b_box, w.HBox(date_boxes, layout=w.Layout(flex_flow="row wrap")), self.timeline_html,
            self.sections_box, self.total, annex_box,
            w.HTML("<h3>Sponsor comments (criterion 4.1.1)</h3>"), self.project_code, self.sponsor_upload,
            self.sponsor_msg, self.sponsor_view,
            w.HTML("<h3>Evidence map: what your workbook holds for each criterion</h3>"), self.refresh_button,
            self.evidence, w.HTML('<div class="npq-field-label">Earlier versions</div>'),
            w.HBox([self.versions, self.restore_button]), self.version_msg,
            self.check_button, self.feedback, self.download_button, self.download,
        ])
        self.add_class("npq-app")
        self.add_class("npq-account-app")
        self.qualification.observe(lambda _c: self._rebuild(), "value")
        self.two_projects.observe(lambda _c: self._show_projects(), "value")
        self._rebuild()
        self._show_timeline()
        self._show_sponsor()

    # -- sponsor comments ----------------------------------------------------------------------------------------
    def _ensure_project_id(self) -> str:
        if not self._project_id:
            self._project_id = travel.new_id("p-")
        return self._project_id

    def _show_sponsor(self) -> None:
        code = self._project_id
        self.project_code.value = (
            f'<p>Your project code: <strong class="npq-account-code">{esc(code)}</strong>. Send it to your sponsor '
            "with the link to the <em>Sponsor comments form</em>; load the file they send back here.</p>"
            if code else '<p class="npq-help">Your project code is made when your work is first saved.</p>')
        self.sponsor_view.value = sponsor_html(self._sponsor)

    def load_sponsor_file(self, raw: bytes, name: str = "the file") -> bool:
        """Load a sponsor's file; a bad, foreign or damaged file changes nothing and says why in one sentence."""
        try:
            envelope = read_sponsor_file(raw, self._ensure_project_id(), what=f"'{name}'")
        except travel.TravelError as exc:
            self.sponsor_msg.value = error_html(str(exc))
            return False
        replaced = bool(self._sponsor)
        self._sponsor = envelope
        self.sponsor_msg.value = ('<div class="npq-msg-ok" role="status">✓ Sponsor comments loaded, as received'
                                  + (" (they replace the ones loaded before)" if replaced else "") + ".</div>")
        self._show_sponsor()
        if self._autosave is not None:
            self._autosave.flush()
        self.show_evidence()
        return True

    def _sponsor_uploaded(self, change) -> None:
        files = uploaded_files(change["new"])
        if not files:
            return
        name, raw = files[0]
        self.load_sponsor_file(raw, name)
        with self.sponsor_upload.hold_trait_notifications():
            self.sponsor_upload.value = ()

    # -- structure --------------------------------------------------------------------------------------------
    def structure(self):
        return structure(self.qualification.value, self.figs)

    def _keep_texts(self) -> None:
        for sid, box in self.section_boxes.items():
            self._texts[sid] = box.text.value

    def _rebuild(self) -> None:
        """Sections for the chosen qualification; text typed under another qualification is kept, not lost."""
        self._keep_texts()
        struct = self.structure()
        children: list[w.Widget] = []
        self.section_boxes = {}
        self.part_totals: dict[str, w.HTML] = {}
        if struct.criteria_note:
            children.append(w.HTML(f'<p class="npq-help">{esc(struct.criteria_note)}</p>'))
        for part in struct.parts:
            children.append(w.HTML(f"<h2>{esc(part.title)}: {esc(part.aim)}</h2>"))
            for s in part.sections:
                box = WordCountedText(placeholder=f"{s.heading}…", rows=5)
                box.text.value = self._texts.get(s.id, "")
                box.text.add_class(f"npq-account-section-{s.id.replace('.', '-')}")
                box.text.observe(lambda _c: self._recount(), "value")
                self.section_boxes[s.id] = box
                children += [w.HTML(f"<h3>{esc(s.heading)}</h3><blockquote>{esc(s.quote)}</blockquote>"),
                             field(f"Your account: {s.heading}", box)[0]]
            total = w.HTML()
            total.add_class(f"npq-account-part-{part.key}")
            self.part_totals[part.key] = total
            children.append(total)
        self.sections_box.children = tuple(children)
        self._show_projects()
        self._recount()
        self._show_timeline()

    def _show_projects(self) -> None:
        npqel = self.qualification.value == "NPQEL-legacy"
        two = npqel or self.two_projects.value
        self.two_projects.layout.display = "none" if npqel else ""
        self.project_b_box.layout.display = "" if two else "none"
        names = self.structure().parts
        label = '<div class="npq-field-label">{}</div>'
        self.project_a_box.children[0].value = label.format(esc(f"Project title ({names[0].title})" if two else
                                                                "Project title"))
        self.project_b_box.children[0].value = label.format(esc(f"Project title ({names[-1].title})"))

    def _recount(self) -> None:
        struct = self.structure()
        counts = word_counts(read_account(self.artefact), struct)
        for key, html in getattr(self, "part_totals", {}).items():
            html.value = f'<p class="npq-help" role="status"><strong>Part {esc(key)}: {counts.parts.get(key, 0):,} ' \
                         "words</strong></p>"
        if counts.limit is None:
            self.total.value = (f'<p class="npq-help" role="status"><strong>Total: {counts.total:,} words</strong> — '
                                "the seed gives no word limit for this account; annexes "
                                f"({counts.annexes:,} words) not counted.</p>")
            return
        over = counts.total > counts.limit
        status = (f"⚠ {counts.over:,} words over the limit — nothing has been cut" if over
                  else f"{counts.limit - counts.total:,} words to spare")
        self.total.value = (f'<p class="{"npq-msg-error" if over else "npq-help"}" role="status"><strong>Total: '
                            f"{counts.total:,} of {counts.limit:,} words</strong> — {esc(status)}. Annexes "
                            f"({counts.annexes:,} words) are not counted.</p>")

    def _show_timeline(self) -> None:
        if not hasattr(self, "sections_box"):
            return
        t = timeline(read_account(self.artefact), self.structure(), self.figs)
        lines = []
        if t.deadline:
            lines.append(f"The assessment must be passed by <strong>{t.deadline:%d/%m/%Y}</strong> (within "
                         f"{self.structure().completion_months} months of the programme start).")
        if t.project_start and t.project_end and not t.problems:
            lines.append(f"Project: {t.project_start:%d/%m/%Y} to {t.project_end:%d/%m/%Y} — {len(t.whole_terms)} "
                         f"whole term{'s' if len(t.whole_terms) != 1 else ''} ({esc(', '.join(t.whole_terms) or 'none')})"
                         " on the school-term calendar.")
        out = "".join(f"<p>{line}</p>" for line in lines)
        out += "".join(f"<p>{error_html(p)}</p>" for p in t.problems + t.warnings)
        if not out:
            out = '<p class="npq-help">Enter the dates to see your timeline.</p>'
        self.timeline_html.value = out

    def show_evidence(self) -> None:
        ev = self.context.evidence() if hasattr(self.context, "evidence") else None
        if ev is None:
            self.evidence.value = '<p class="npq-help">The evidence map is shown once your saved work is open.</p>'
            return
        try:
            rows = evidence_map(read_account(self.artefact), self.structure(), ev)
        except Exception as exc:  # noqa: BLE001 - never a traceback
            self.evidence.value = error_html(f"The evidence map could not be made: {exc}")
            return
        self.evidence_rows = rows
        self.evidence.value = evidence_html(rows)

    # -- the version history (widgets/versions.py) ---------------------------------------------------------------
    def version_words(self) -> int:
        return word_counts(read_account(self.artefact), self.structure()).total

    def workbook_known(self) -> None:
        self._first_open()

    def _after_save(self) -> None:
        super()._after_save()
        if self._autosave is not None and self._autosave.workbook is not None and not self._project_id:
            self._ensure_project_id()
            self._show_sponsor()

    def _first_open(self) -> None:
        """Once the workbook is known: the qualification chosen on the contents page (for new work), the map."""
        if not any(self._all_texts().values()):
            q = self.context.profile().get("qualification")
            if q in QUALIFICATIONS:
                self.qualification.value = q
        self.show_evidence()

    # -- the artefact -------------------------------------------------------------------------------------------
    def _all_texts(self) -> dict[str, str]:
        texts = dict(self._texts)
        texts.update({sid: box.text.value for sid, box in self.section_boxes.items()})
        return {k: v for k, v in texts.items() if v}

    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()} if hasattr(self, "candidate") else {},
            qualification=self.qualification.value, two_projects=bool(self.two_projects.value),
            projects={"A": self.project_a.value, "B": self.project_b.value},
            sections=self._all_texts() if hasattr(self, "section_boxes") else {},
            annexes=self.annexes.text.value if hasattr(self, "annexes") else "",
            project_id=self._project_id, sponsor=dict(self._sponsor),
            **{k: box.value for k, box in getattr(self, "dates", {}).items()},
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        a = read_account(artefact)
        cand = artefact.get("candidate") or {}
        self.candidate.value = str(cand.get("name") or "") if isinstance(cand, Mapping) else ""
        self._texts = {k: v for k, v in a.sections.items() if v}
        self.section_boxes = {}
        self._sponsor = dict(a.sponsor)
        pid = artefact.get("project_id")
        self._project_id = pid if isinstance(pid, str) else ""
        self._show_sponsor()
        self.two_projects.value = a.two_projects
        self.project_a.value = a.projects.get("A", "")
        self.project_b.value = a.projects.get("B", "")
        self.annexes.text.value = a.annexes
        for key, box in self.dates.items():
            box.value = getattr(a, key)
        if self.qualification.value != a.qualification:
            self.qualification.value = a.qualification  # rebuilds
        else:
            self._rebuild()

    # -- downloads ---------------------------------------------------------------------------------------------
    def prepare_download(self) -> None:
        self.offer_files(self.download, "The download", lambda: [
            (self.document_bytes("docx", "project-account"), "project-account.docx", "Download project-account.docx",
             DOCX_MIME),
            (account_html(self.export_artefact(), self.scenario).encode("utf-8"), "project-account.html",
             "Download a printable page", "text/html")])


class SponsorForm(w.VBox):
    """The sponsor's form (an app of its own): the candidate's project code and the sponsor's comments, downloaded as
    a file for the candidate. It keeps no work in this workbook: what it makes is the file."""

    keeps_no_work = True

    def __init__(self, task: Task):
        self.task = task
        self.code = w.Text(placeholder="p-…", layout=w.Layout(width="220px"))
        self.code.add_class("npq-sponsor-code")
        self.candidate = w.Text(layout=w.Layout(width="320px"))
        self.candidate.add_class("npq-sponsor-candidate")
        self.boxes: dict[str, WordCountedText] = {}
        fields = [field("The candidate's project code (they will give it to you)", self.code)[0],
                  field("The candidate's name", self.candidate)[0]]
        for key, label in SPONSOR_FIELDS:
            box = WordCountedText(rows=2 if key != "comments" else 8)
            box.text.add_class(f"npq-sponsor-{key}")
            self.boxes[key] = box
            fields.append(field(label, box)[0])
        self.download_button = button("Make the file for the candidate", css="npq-sponsor-make", primary=True)
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.download = w.HTML()
        self.download.add_class("npq-download-area")
        intro = ("<h1>Sponsor comments (criterion 4.1.1)</h1><p>You sponsor a colleague's improvement project for "
                 "their NPQ. Write your comments below, then download the file and send it to them. They load it "
                 "into their project account, where it is shown exactly as you wrote it: they cannot edit it.</p>"
                 f"<p class=\"npq-help\">{esc(travel.FORGERY_NOTE)} Nothing you type is kept on this computer.</p>")
        super().__init__([style(), w.HTML(intro), *fields, self.download_button, self.download])
        self.add_class("npq-app")
        self.add_class("npq-sponsor-app")

    def file_bytes(self) -> bytes:
        content = {k: b.text.value for k, b in self.boxes.items()}
        content["candidate"] = self.candidate.value
        return sponsor_file(self.code.value, content)

    def prepare_download(self) -> None:
        try:
            data = self.file_bytes()
        except ValueProblem as exc:
            self.download.value = error_html(str(exc))
            return
        self.download.value = download_link(data, "sponsor-comments.json", "Download sponsor-comments.json",
                                            JSON_MIME) + " — send this file to the candidate."


__all__ = ["ProjectAccountView", "SponsorForm", "open_view", "evidence_html", "sponsor_html"]
