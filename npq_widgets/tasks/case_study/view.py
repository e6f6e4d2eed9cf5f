"""The case-study workspace: the pack, four parts with live word counts, the window and countdown, versions,
formative checks, the engagement view, and .docx / printable HTML downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import ipywidgets as w

from ...catalogue import load_catalogue
from ...contract import Scenario, Task
from ...domain.values import ValueProblem, word_count
from ...domain.window import format_uk_datetime
from ...widgets.common import (DOCX_MIME, WordCountedText, button, error_html, esc, field, figure_html, label_input,
                               style, text_to_html)
from ...widgets.task_view import TaskView
from ...widgets.versions import VersionedWork
from .charts import table_chart
from .export import figures, response_html
from .model import PART_KEYS, part_titles, read_response, window_for
from .packs import Pack, PackProblem, Table, load_packs



def table_html(t: Table) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in t.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in t.rows)
    note = f'<p class="npq-source">{esc(t.note)}</p>' if t.note else ""
    return f'<h4>{esc(t.title)}</h4><table class="npq-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>' \
           f"</table>{note}"


def pack_html(pack: Pack, *, facilitator: bool = False, charts: bool = True) -> str:
    """The pack as a candidate reads it; the facilitator note only when ``facilitator`` is True."""
    names = {a.number: a.name for a in load_catalogue().reformed_content_areas}
    out = [f'<div class="npq-card npq-case-pack"><h2>{esc(pack.title)}</h2>']
    if pack.synthetic:
        out.append('<p><strong>Synthetic practice case study</strong>: the school, people and figures are invented.</p>')
    out.append(f"<p><em>{esc(pack.role)}</em></p>{text_to_html(pack.context)}<h3>Data appendix</h3>")
    for t in pack.tables():
        out.append(table_html(t))
        fig = table_chart(t) if charts else None
        if fig is not None:
            out.append(figure_html(fig, f"Chart: {t.title}", width_px=850))
    out.append("<h3>What people say</h3><ul>" + "".join(
        f"<li><strong>{esc(who)}:</strong> “{esc(says)}”</li>" for who, says in pack.voices) + "</ul>")
    out.append("<h3>Budget and staffing</h3>" + table_html(pack.budget))
    out.append(f"<h3>Your task</h3>{text_to_html(pack.task)}")
    areas = ", ".join(f"{n}. {names.get(n, '')}" for n in pack.content_areas)
    out.append(f'<p class="npq-help">Content areas this case study draws on: {esc(areas)}.</p>')
    if facilitator:
        pts = "".join(f"<li>{esc(p)} <span class=\"npq-help\">(areas {', '.join(map(str, a))})</span></li>"
                      for p, a in pack.facilitator_note)
        out.append(f'<div class="npq-facilitator-note"><h3>Facilitator note: points a strong response would address'
                   f"</h3><ul>{pts}</ul></div>")
    out.append("</div>")
    return "".join(out)


class CaseStudyView(VersionedWork, TaskView, w.VBox):
    export_name = "case-study"

    def __init__(self, task: Task, scenario: Scenario | None, facilitator: bool = False,
                 timed_minutes: int | None = None):
        self._start(task, scenario)
        self.figs = figures()
        self.facilitator = bool(facilitator)
        packs = load_packs()
        self.packs = packs
        cat = load_catalogue()
        cs = cat.case_study
        parts = "".join(f"<li>{esc(p.verbatim)}</li>" for p in cs.parts)
        names = {a.number: a.name for a in cat.reformed_content_areas}
        practised = ", ".join(f"{n}. {names[n]}" for n in sorted(names))
        intro = (f"<h1>{esc(task.title)}</h1><p>{esc(task.summary)}</p>"
                 f'<div class="npq-card"><h3>{esc(cs.heading)} (seed 004)</h3><p>“{esc(cs.requirement.verbatim)}”</p>'
                 f"<ol>{parts}</ol><p>“{esc(cs.window.verbatim)}”</p><p>“{esc(cs.engagement.verbatim)}”</p>"
                 f'<p class="npq-help">This practice gives formative feedback, never a mark: the DfE mark scheme is '
                 f"not public. Content areas it practises: {esc(practised)}.</p></div>")
        self.engagement = w.HTML('<p class="npq-help">Your engagement is shown once your saved work is open.</p>')
        self.engagement.add_class("npq-case-engagement")
        options = [(f"{p.programme}: {p.title}", p.id) for p in packs.packs]
        start = scenario.data.get("pack") if scenario is not None else None
        self.pack = w.Dropdown(options=options, value=start if start in [v for _, v in options] else
                               (options[0][1] if options else None), layout=w.Layout(width="760px"))
        self.pack.add_class("npq-case-pack-choice")
        label_input(self.pack, "Practice case study")
        problems = "".join(error_html(p) + "<br>" for p in packs.problems)
        self.pack_problems = w.HTML(problems)
        self.show_facilitator = w.Checkbox(value=self.facilitator, description="Show the facilitator note",
                                           indent=False)
        self.show_facilitator.add_class("npq-case-facilitator")
        self.pack_view = w.HTML()
        self.released = w.Text(placeholder="DD/MM/YYYY HH:MM", layout=w.Layout(width="200px"))
        self.released.add_class("npq-case-released")
        self.minutes = w.IntText(value=int(timed_minutes or 0), layout=w.Layout(width="100px"))
        self.minutes.add_class("npq-case-minutes")
        self.start_now = button("Start the clock now", css="npq-case-start")
        self.start_now.on_click(lambda _b: self._start_now())
        self.window_html = w.HTML()
        self.window_html.add_class("npq-case-window")
        self.part_boxes: dict[str, WordCountedText] = {}
        self.tag_boxes: dict[str, w.SelectMultiple] = {}
        part_widgets = []
        titles = part_titles()
        area_opts = [(f"{n}. {names[n]}", n) for n in sorted(names)]
        for k in PART_KEYS:
            box = WordCountedText(placeholder=f"{titles[k]}…", rows=8)
            box.text.add_class(f"npq-case-{k}")
            tags = w.SelectMultiple(options=area_opts, rows=4, layout=w.Layout(width="420px"))
            tags.add_class(f"npq-case-tags-{k}")
            self.part_boxes[k], self.tag_boxes[k] = box, tags
            fb, _ = field(titles[k], box)
            tb, _ = field("Content areas this part draws on (Ctrl-click for several)", tags)
            part_widgets += [fb, tb]
            box.text.observe(lambda _c: self._recount(), "value")
        self.total = w.HTML()
        self.total.add_class("npq-case-total")
        self.versions = w.Dropdown(options=[], layout=w.Layout(width="420px"))
        self.versions.add_class("npq-case-versions")
        label_input(self.versions, "Earlier versions")
        self.restore_button = button("Restore this version", css="npq-case-restore")
        self.restore_button.on_click(lambda _b: self.restore_selected())
        self.version_msg = w.HTML()
        name_box = self._name_field()
        self._check_controls("Check my response")
        self.download_button = button("Prepare downloads (.docx and printable page)", css="npq-prepare-download")
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.download = w.HTML()
        self.download.add_class("npq-download-area")
        self.save_status = w.HBox()
        rel_box, self.released_msg = field("When the case study was released (DD/MM/YYYY HH:MM, UK time)",
                                           self.released)
        min_box, _ = field("Timed practice in minutes (0 = the full eight-day window)", self.minutes)
        super().__init__([
            style(), w.HTML(intro), self.engagement, self.save_status,
            w.HTML('<div class="npq-field-label">Practice case study</div>'), self.pack, self.pack_problems,
            self.show_facilitator, self.pack_view,
            w.HBox([rel_box, min_box, self.start_now], layout=w.Layout(flex_flow="row wrap", align_items="flex-end")),
            self.window_html, name_box, *part_widgets, self.total,
            w.HTML('<div class="npq-field-label">Earlier versions</div>'),
            w.HBox([self.versions, self.restore_button]), self.version_msg,
            self.check_button, self.feedback, self.download_button, self.download,
        ])
        self.add_class("npq-app")
        self.add_class("npq-case-app")
        self.pack.observe(lambda _c: self._show_pack(), "value")
        self.show_facilitator.observe(lambda _c: self._show_pack(), "value")
        self.released.observe(lambda _c: self._show_window(), "value")
        self.minutes.observe(lambda _c: self._show_window(), "value")
        self._show_pack()
        self._recount()
        self._show_window()

    # -- the version history (widgets/versions.py) ---------------------------------------------------------------
    def version_words(self) -> int:
        return read_response(self.artefact).total_words

    def workbook_known(self) -> None:
        self._show_engagement()

    def _show_engagement(self) -> None:
        html = self.context.engagement() if hasattr(self.context, "engagement") else None
        if html:
            self.engagement.value = html + ('<p class="npq-help">This informs you; it does not stop you '
                                            "practising.</p>")

    # -- display ---------------------------------------------------------------------------------------------
    def current_pack(self) -> Pack | None:
        try:
            return self.packs.get(self.pack.value) if self.pack.value else None
        except PackProblem:
            return None

    def _show_pack(self) -> None:
        pack = self.current_pack()
        try:
            self.pack_view.value = pack_html(pack, facilitator=self.show_facilitator.value) if pack else \
                error_html("No case study is available.")
        except Exception as exc:  # noqa: BLE001 - a provider's pack never shows a traceback
            self.pack_view.value = error_html(f"This case study could not be shown: {exc}")

    def _recount(self) -> None:
        r = read_response(self.artefact)
        limit = self.figs.word_limit
        over = r.total_words > limit
        status = (f"⚠ {r.total_words - limit:,} words over the limit — nothing has been cut" if over
                  else f"{limit - r.total_words:,} words to spare")
        self.total.value = (f'<p class="{"npq-msg-error" if over else "npq-help"}" role="status"><strong>Total: '
                            f"{r.total_words:,} of {limit:,} words</strong> — {esc(status)}.</p>")

    def _start_now(self) -> None:
        self.released.value = format_uk_datetime(dt.datetime.now(dt.timezone.utc))

    def _show_window(self, now: dt.datetime | None = None) -> None:
        r = read_response(self.artefact)
        try:
            win = window_for(r, self.figs)
        except ValueProblem as exc:
            self.released_msg.value = error_html(str(exc))
            self.window_html.value = ""
            return
        self.released_msg.value = ""
        if win is None:
            self.window_html.value = ('<p class="npq-help">Enter when the case study was released to see your '
                                      "deadline and a countdown.</p>")
            return
        now = now or dt.datetime.now(dt.timezone.utc)
        late = win.is_late(now)
        mark = ' <strong class="npq-msg-error">LATE: after the deadline — you can still edit.</strong>' if late else ""
        self.window_html.value = (f'<p role="status"><strong>Deadline: {esc(format_uk_datetime(win.deadline))}'
                                  f"</strong>. {esc(win.describe())} {esc(win.countdown(now))}.{mark}</p>")

    # -- the artefact -------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()} if hasattr(self, "candidate") else {},
            pack=self.pack.value or "", released=self.released.value, practice_minutes=int(self.minutes.value or 0),
            parts={k: b.text.value for k, b in self.part_boxes.items()},
            tags={k: list(t.value) for k, t in self.tag_boxes.items()},
        )

    def load(self, artefact: Mapping[str, Any]) -> None:
        cand = artefact.get("candidate") or {}
        self.candidate.value = str(cand.get("name") or "") if isinstance(cand, Mapping) else ""
        pid = artefact.get("pack")
        if pid in [v for _, v in self.pack.options]:
            self.pack.value = pid
        self.released.value = str(artefact.get("released") or "")
        minutes = artefact.get("practice_minutes")
        self.minutes.value = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else 0
        r = read_response(artefact)
        for k in PART_KEYS:
            self.part_boxes[k].text.value = r.parts[k]
            self.tag_boxes[k].value = tuple(r.tags[k])
        self._recount()
        self._show_window()

    # -- downloads ---------------------------------------------------------------------------------------------
    def prepare_download(self) -> None:
        self.offer_files(self.download, "The download", lambda: [
            (self.document_bytes("docx", "case-study"), "case-study.docx", "Download case-study.docx", DOCX_MIME),
            (response_html(self.export_artefact(), self.scenario).encode("utf-8"), "case-study.html",
             "Download a printable page", "text/html")])


__all__ = ["CaseStudyView", "pack_html", "word_count"]
