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
from ...hosting import facilitator_mode
from ...store.release import Release, ReleaseProblem, current_release, release, withdraw
from ...widgets.common import (DOCX_MIME, WordCountedText, button, error_html, esc, field, figure_html, label_input,
                               style, text_to_html)
from ...widgets.task_view import TaskView
from ...widgets.versions import VersionedWork
from .charts import table_chart
from .export import figures, response_html
from .model import PART_KEYS, align_tags, paragraph_start, paragraph_tags, paragraphs, part_titles, read_response, \
    window_for
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


class ParagraphTags(w.VBox):
    """One part's paragraphs (its blank-line-separated blocks), each shown by its first words with a checkbox per
    content area. Rows are added or removed only when the number of paragraphs changes; a tag stays with its
    paragraph (matched by its first words) when a paragraph is added or removed above it."""

    def __init__(self, key: str, options: list[tuple[str, int]], on_change, view: TaskView):
        self.view = view  # its quietly(): ticks set while the rows are filled in do not each recompute the summary
        self.key = key
        self.options = options
        self.on_change = on_change
        self.starts: list[str] = []
        self.rows: list[tuple[w.HTML, list[w.Checkbox], w.Box]] = []
        self.empty = w.HTML('<p class="npq-help">When you write this part, each paragraph appears here for you to '
                            "tag with the content areas it draws on.</p>")
        super().__init__([self.empty], layout=w.Layout(margin="0 0 8px 0"))
        self.add_class(f"npq-case-tags-{key}")
        self.add_class("npq-case-tags")

    def entries(self) -> list[dict[str, Any]]:
        return [{"start": st, "areas": [n for cb, (_, n) in zip(boxes, self.options) if cb.value]}
                for st, (_, boxes, _box) in zip(self.starts, self.rows)]

    def show(self, text: str, entries: list[dict[str, Any]] | None = None) -> None:
        """Show the paragraphs of ``text``, tagged from ``entries`` (default: the tags shown now)."""
        paras = paragraphs(text)
        starts = [paragraph_start(p) for p in paras]
        if entries is None and starts == self.starts:
            return
        areas = align_tags(paras, self.entries() if entries is None else entries)
        while len(self.rows) < len(paras):
            self.rows.append(self._row())
        with self.view.quietly():
            for i, (st, chosen) in enumerate(zip(starts, areas), start=1):
                label, boxes, _box = self.rows[i - 1]
                more = "…" if len(paras[i - 1].split()) > len(st.split()) else ""
                label.value = (f'<div class="npq-field-label">Paragraph {i}: “{esc(st)}{more}”</div>')
                for cb, (_, n) in zip(boxes, self.options):
                    cb.value = n in chosen
        self.starts = starts
        shown = [box for _, _, box in self.rows[: len(paras)]]
        if list(self.children) != (shown or [self.empty]):
            self.children = shown or [self.empty]
        self.on_change()

    def _row(self) -> tuple[w.HTML, list[w.Checkbox], w.Box]:
        label = w.HTML()
        boxes = []
        for text, _n in self.options:
            cb = w.Checkbox(value=False, description=text, indent=False,
                            layout=w.Layout(width="auto", margin="0 14px 0 0"))
            cb.observe(lambda _c: None if self.view.quiet else self.on_change(), "value")
            boxes.append(cb)
        grid = w.Box(boxes, layout=w.Layout(display="flex", flex_flow="row wrap"))
        return label, boxes, w.VBox([label, grid], layout=w.Layout(margin="0 0 6px 12px"))


class CaseStudyView(VersionedWork, TaskView, w.VBox):
    export_name = "case-study"

    def __init__(self, task: Task, scenario: Scenario | None, facilitator: bool = False,
                 timed_minutes: int | None = None):
        self._start(task, scenario)
        self.figs = figures()
        # the facilitator note exists on this page only in facilitator mode (npq-workbook run --facilitator); the
        # task's ``facilitator`` option only ticks its box there
        self.facilitator = facilitator_mode()
        packs = load_packs()
        self.packs = packs
        cat = load_catalogue()
        cs = cat.case_study
        parts = "".join(f"<li>{esc(p.verbatim)}</li>" for p in cs.parts)
        names = {a.number: a.name for a in cat.reformed_content_areas}
        intro = (self._heading() +
                 f'<div class="npq-card"><h3>{esc(cs.heading)} (seed 004)</h3><p>“{esc(cs.requirement.verbatim)}”</p>'
                 f"<ol>{parts}</ol><p>“{esc(cs.window.verbatim)}”</p><p>“{esc(cs.engagement.verbatim)}”</p>"
                 f'<p class="npq-help">This practice gives formative feedback, never a mark: the DfE mark scheme is '
                 "not public.</p></div>")
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
        self.show_facilitator = w.Checkbox(value=bool(facilitator), description="Show the facilitator note",
                                           indent=False) if self.facilitator else None
        if self.show_facilitator is not None:
            self.show_facilitator.add_class("npq-case-facilitator")
        self.room_release: Release | None = None
        self.release_note = w.HTML()
        self.release_note.add_class("npq-case-release-note")
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
        self.taggers: dict[str, ParagraphTags] = {}
        self.areas_html = w.HTML()
        self.areas_html.add_class("npq-case-areas")
        part_widgets = []
        titles = part_titles()
        area_opts = [(f"{n}. {names[n]}", n) for n in sorted(names)]
        for k in PART_KEYS:
            box = WordCountedText(placeholder=f"{titles[k]}…", rows=8)
            box.text.add_class(f"npq-case-{k}")
            tagger = ParagraphTags(k, area_opts, self._show_areas, self)
            self.part_boxes[k], self.taggers[k] = box, tagger
            fb, _ = field(titles[k], box, "Leave a blank line between paragraphs.")
            part_widgets += [fb, w.HTML(f'<div class="npq-field-label">Content areas each paragraph of '
                                        f"“{esc(titles[k])}” draws on</div>"), tagger]
            box.text.observe(lambda _c, k=k: self._paragraphs_changed(k), "value")
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
            self.release_note,
            w.HTML('<div class="npq-field-label">Practice case study</div>'), self.pack, self.pack_problems,
            *([self.show_facilitator] if self.show_facilitator is not None else []), self.pack_view,
            w.HBox([rel_box, min_box, self.start_now], layout=w.Layout(flex_flow="row wrap", align_items="flex-end")),
            self.window_html, name_box, *part_widgets, self.total, self.areas_html,
            w.HTML('<div class="npq-field-label">Earlier versions</div>'),
            w.HBox([self.versions, self.restore_button]), self.version_msg,
            self.check_button, self.feedback, self.download_button, self.download,
        ])
        self.add_class("npq-app")
        self.add_class("npq-case-app")
        self.pack.observe(lambda _c: self._show_pack(), "value")
        if self.show_facilitator is not None:
            self.show_facilitator.observe(lambda _c: self._show_pack(), "value")
        self.released.observe(lambda _c: self._show_window(), "value")
        self.minutes.observe(lambda _c: self._show_window(), "value")
        if not self.facilitator:
            self._follow_room_release()
        self._show_pack()
        self._recount()
        self._show_window()

    # -- a case study released to the room (a mock assessment at an event) --------------------------------------------
    def _follow_room_release(self, now: dt.datetime | None = None) -> None:
        """If the facilitator has released a case study to the room, open it: its pack, the release time as the
        start of the window, the window's minutes — fixed while the release lasts."""
        try:
            found = current_release(now=now)
        except ReleaseProblem as exc:
            self.release_note.value = error_html(f"{exc} This page opens as ordinary practice.")
            return
        if found is None:
            return
        if found.pack not in [v for _, v in self.pack.options]:
            self.release_note.value = error_html("The facilitator released a case study this computer does not have; "
                                                 "this page opens as ordinary practice.")
            return
        self.room_release = found
        self._apply_release()

    def _apply_release(self) -> None:
        rel = self.room_release
        if rel is None:
            return
        self.pack.value = rel.pack
        self.released.value = format_uk_datetime(rel.released_at)
        self.minutes.value = rel.minutes
        for control in (self.pack, self.released, self.minutes, self.start_now):
            control.disabled = True
        self._show_release_note()

    def _show_release_note(self, now: dt.datetime | None = None) -> None:
        rel = self.room_release
        if rel is None:
            return
        now = now or dt.datetime.now(dt.timezone.utc)
        start, end = format_uk_datetime(rel.released_at), format_uk_datetime(rel.ends_at)
        if rel.ended(now):
            after = ("<strong>Time is up.</strong> Press <em>Prepare downloads</em> below and keep your "
                     "case-study.docx: that is your response.")
        else:
            after = ("When time is up, press <em>Prepare downloads</em> below and keep your case-study.docx. Your "
                     "response is saved as you type, separately from your other practice.")
        self.release_note.value = (f'<div class="npq-card npq-case-mock" role="status"><p><strong>Mock assessment: '
                                   f"your facilitator released this case study to the room at {esc(start)} "
                                   f"({rel.minutes} minutes; time ends at {esc(end)}, UK time).</strong></p>"
                                   f"<p>{after}</p></div>")

    def saved_as(self, default: str) -> str:
        """A released case study is answered in a document of its own, so earlier practice is never touched."""
        return f"{default}--mock-{self.room_release.id}" if self.room_release is not None else default

    def facilitator_controls(self) -> list[w.Widget]:
        """On the facilitator bar (facilitator mode only): release a case study to the room, or end the release."""
        return [ReleasePanel(self.packs, self.figs.timed_practice_minutes)] if self.facilitator else []

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
        self._show_areas()
        pack = self.current_pack()
        try:
            note = self.facilitator and self.show_facilitator is not None and self.show_facilitator.value
            self.pack_view.value = pack_html(pack, facilitator=note) if pack else \
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

    def _paragraphs_changed(self, key: str) -> None:
        self._recount()
        self.taggers[key].show(self.part_boxes[key].text.value)

    def _show_areas(self) -> None:
        """Which content areas the whole response touches, and which of the case study's areas it does not."""
        if not hasattr(self, "taggers") or len(self.taggers) < len(PART_KEYS):
            return
        names = {a.number: a.name for a in load_catalogue().reformed_content_areas}
        r = read_response(self.artefact)
        touched = "; ".join(f"{n}. {names[n]}" for n in r.areas) or "none yet"
        out = [f"<p><strong>Content areas your response touches:</strong> {esc(touched)}.</p>"]
        pack = self.current_pack()
        if pack is not None:
            missing = [n for n in pack.content_areas if n not in r.areas]
            out.append("<p>" + (f"The case study draws on areas your response does not tag yet: "
                                f"{esc('; '.join(f'{n}. {names[n]}' for n in missing))}. A prompt to re-read the "
                                "pack, not a requirement." if missing else
                                "Your response touches every area the case study draws on.") + "</p>")
        titles = part_titles()
        untagged = [f"{titles[k]}, paragraph {i}" for k, i in r.untagged()]
        if untagged:
            out.append(f'<p class="npq-help">Paragraphs not tagged yet: {esc("; ".join(untagged))}.</p>')
        self.areas_html.value = '<div class="npq-card" role="status">' + "".join(out) + "</div>"

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
        if self.room_release is not None:
            self._show_release_note(now)
            self._tick_later()

    def _tick_later(self) -> None:
        """While a released window runs, refresh the countdown every 30 seconds (in a kernel; not in plain Python)."""
        if getattr(self, "_tick", None) is not None:
            return
        from ...widgets.autosave import _kernel_loop

        loop = _kernel_loop()
        if loop is None:
            return

        def tick() -> None:
            self._tick = None
            self._show_window()

        self._tick = loop.call_later(30, tick)

    # -- the artefact -------------------------------------------------------------------------------------------
    @property
    def artefact(self) -> dict[str, Any]:
        return self._artefact(
            candidate={"name": self.candidate.value.strip()} if hasattr(self, "candidate") else {},
            pack=self.pack.value or "", released=self.released.value, practice_minutes=int(self.minutes.value or 0),
            parts={k: b.text.value for k, b in self.part_boxes.items()},
            tags={k: t.entries() for k, t in self.taggers.items()},
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
        tags = paragraph_tags(r.parts, artefact.get("tags"))  # version-1 work (tags per part) is migrated here
        for k in PART_KEYS:
            self.part_boxes[k].text.value = r.parts[k]
            self.taggers[k].show(r.parts[k], tags[k])
        self._apply_release()  # a released case study's pack and window stay the room's
        self._recount()
        self._show_window()

    # -- downloads ---------------------------------------------------------------------------------------------
    def prepare_download(self) -> None:
        self.offer_files(self.download, "The download", lambda: [
            (self.document_bytes("docx", "case-study"), "case-study.docx", "Download case-study.docx", DOCX_MIME),
            (response_html(self.export_artefact(), self.scenario).encode("utf-8"), "case-study.html",
             "Download a printable page", "text/html")])


class ReleasePanel(w.VBox):
    """The facilitator's control for a mock assessment: choose a case study and a window, release it to the room
    (every case-study page opened in the room then opens it, with the countdown), or end the release."""

    WINDOWS = (30, 45, 60, 90, 120, 180)

    def __init__(self, packs, default_minutes: int = 90):
        options = [(f"{p.programme}: {p.title}", p.id) for p in packs.packs]
        self.pack = w.Dropdown(options=options, value=options[0][1] if options else None,
                               layout=w.Layout(width="auto", max_width="640px"))
        self.pack.add_class("npq-release-pack")
        label_input(self.pack, "Case study to release")
        windows = sorted(set(self.WINDOWS) | {int(default_minutes)})
        self.minutes = w.Dropdown(options=[(f"{m} minutes", m) for m in windows], value=int(default_minutes),
                                  layout=w.Layout(width="160px"))
        self.minutes.add_class("npq-release-minutes")
        label_input(self.minutes, "Window")
        self.release_button = button("Release to the room", css="npq-release-go", primary=True)
        self.release_button.on_click(lambda _b: self.release())
        self.end_button = button("End the release", css="npq-release-end")
        self.end_button.on_click(lambda _b: self.end())
        self.status = w.HTML()
        self.status.add_class("npq-release-status")
        pack_box, _ = field("Case study to release", self.pack)
        min_box, _ = field("Window", self.minutes)
        row = w.HBox([pack_box, min_box, self.release_button, self.end_button],
                     layout=w.Layout(flex_flow="row wrap", align_items="flex-end"))
        super().__init__([w.HTML("<p><strong>Mock assessment: release a case study to the room.</strong> Every "
                                 "case-study page opened in this room after you release it shows that case study "
                                 "and its countdown; at the end candidates download their response (.docx).</p>"),
                          row, self.status])
        self.add_class("npq-release-panel")
        self.titles = {p.id: f"{p.programme}: {p.title}" for p in packs.packs}
        self.show()

    def show(self, now: dt.datetime | None = None) -> None:
        try:
            rel = current_release(now=now)
        except ReleaseProblem as exc:
            self.status.value = error_html(f"{exc} Release again to replace it.")
            return
        if rel is None:
            self.status.value = '<p class="npq-help" role="status">Nothing is released to the room.</p>'
            self.end_button.disabled = True
            return
        self.end_button.disabled = False
        now = now or dt.datetime.now(dt.timezone.utc)
        state = "ended at" if rel.ended(now) else "ends at"
        self.status.value = (f'<p role="status"><strong>Released to the room:</strong> '
                             f"{esc(self.titles.get(rel.pack, rel.pack))}, {rel.minutes} minutes from "
                             f"{esc(format_uk_datetime(rel.released_at))}; time {state} "
                             f"{esc(format_uk_datetime(rel.ends_at))} (UK time).</p>")

    def release(self) -> None:
        if not self.pack.value:
            self.status.value = error_html("Choose a case study to release.")
            return
        try:
            release(self.pack.value, int(self.minutes.value))
        except (ReleaseProblem, OSError) as exc:
            self.status.value = error_html(f"The case study was not released: {exc}")
            return
        self.show()

    def end(self) -> None:
        try:
            withdraw()
        except OSError as exc:
            self.status.value = error_html(f"The release could not be ended: {exc}")
            return
        self.show()
        self.status.value += ('<p class="npq-help">Pages already open keep their countdown; candidates\' responses '
                              "stay in their workbooks.</p>")


__all__ = ["CaseStudyView", "ReleasePanel", "pack_html", "word_count"]
