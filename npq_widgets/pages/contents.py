"""The contents page and progress map: choose a qualification; see, per course and module, what is done (knowledge
checks passed, reflections written, tasks checked) and, per assessment criterion, what evidence exists. For the
reformed route, an engagement view against the 90% needed to enter the summative assessment. Read from the store,
so it is right after a restart."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import ipywidgets as w

from ..catalogue import load_catalogue
from ..catalogue.module_map import load_module_map
from ..course import (COURSE_NAMES, PROFILE_DOC, AreaProgress, ModuleProgress, area_progress, chosen_qualification,
                      course_title, fat_hours, notebook_name, read_progress, task_statuses)
from ..store.workbook import Workbook
from ..widgets.autosave import whose_workbook_html
from ..widgets.common import esc, label_input, style
from ..widgets.links import notebook_href

APPS = [("Which NPQ is for me?", "apps/which-npq.ipynb"), ("My work — download or load your saved work",
                                                            "apps/my-work.ipynb")]
HERE = "00_start_here.ipynb"  # where the contents page is, in the notebooks folder


def _status_words(p: ModuleProgress) -> str:
    if p.quiz_score is None:
        quiz = "not started"
    else:
        quiz = (f"✔ passed ({p.quiz_score:g}/{p.quiz_max:g})" if p.quiz_passed
                else f"not yet ({p.quiz_score:g}/{p.quiz_max:g})")
    tasks = "; ".join(f"{'✔' if t.status == 'pass' else ('✘' if t.status else '–')} {t.title}"
                      f"{' (checked, not all met)' if t.status == 'fail' else ('' if t.status else ' (not checked)')}"
                      for t in p.tasks) or "—"
    return (f"<td>{esc(quiz)}</td><td>{p.reflections_written} of {p.reflections_total}</td>"
            f"<td>{esc(tasks)}</td>")


def progress_table(progress: list[ModuleProgress], qualification_id: str) -> str:
    by_course: dict[str, list[ModuleProgress]] = defaultdict(list)
    mm = load_module_map()
    for p in progress:
        by_course[mm.get(p.module).course].append(p)
    out = []
    for course, rows in by_course.items():
        body = "".join(
            f'<tr data-module="{esc(p.module)}"><td><a href="{esc(notebook_href("modules/" + notebook_name(p.module), HERE))}">'
            f"{mm.get(p.module).number}. {esc(p.title)}</a></td>{_status_words(p)}</tr>" for p in rows)
        out.append(f"<h3>{esc(course_title(course, qualification_id))}</h3>"
                   '<table class="npq-table npq-progress"><thead><tr><th>Module</th><th>Knowledge check</th>'
                   f"<th>Reflections</th><th>Formative tasks</th></tr></thead><tbody>{body}</tbody></table>")
    return "".join(out)


def criteria_table(progress: list[ModuleProgress], statuses: dict[str, str]) -> str:
    """Evidence per NPQML criterion: modules whose knowledge check is passed, tasks checked and passed."""
    from ..registry import all_tasks

    cat = load_catalogue()
    mm = load_module_map()
    passed = {p.module for p in progress if p.quiz_passed}
    tasks = all_tasks()
    rows = []
    for c in cat.get("NPQML-legacy").criteria:
        modules = [m.id for m in mm.modules if c.id in m.criteria]
        ev = [f"knowledge check passed: {m}" for m in modules if m in passed]
        ev += [f"{t.title}: {'met' if statuses.get(t.id) == 'pass' else 'checked, not all met'}"
               for t in tasks if c.id in t.criteria and t.id in statuses]
        mark = "✔" if ev else "–"
        doc = esc(c.supporting_document or "")
        rows.append(f'<tr data-criterion="{esc(c.id)}"><td>{esc(c.id)}</td><td>{esc(c.text)}</td><td>{doc}</td>'
                    f"<td>{mark} {esc('; '.join(ev) or 'no evidence yet')}</td></tr>")
    return ('<table class="npq-table npq-criteria"><thead><tr><th>Criterion</th><th>Text</th>'
            "<th>Supporting document</th><th>Evidence in the workbook</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def engagement_html(progress: list[ModuleProgress], qualification_id: str) -> str:
    cat = load_catalogue()
    q = cat.get(qualification_id)
    done = sum(p.activities[0] for p in progress)
    total = sum(p.activities[1] for p in progress)
    pct = 100 * done / total if total else 0.0
    need = cat.case_study.engagement_percent
    ok = cat.case_study.may_enter(pct)
    rows = "".join(f'<tr><td>{esc(_gloss(s.stage if not s.activity else s.activity))}</td><td class="num">{s.hours}</td></tr>'
                   for s in q.stage_hours)
    hours = (f'<table class="npq-table"><thead><tr><th>Stage</th><th class="num">Hours</th></tr></thead>'
             f'<tbody>{rows}</tbody><tfoot><tr><th>Total</th><th class="num">{q.total_hours}</th></tr></tfoot>'
             "</table>") if q.stage_hours else ""
    verdict = (f"✔ At or above the {need}% engagement needed to enter the summative assessment."
               if ok else f"Below the {need}% engagement needed to enter the summative assessment.")
    return (f'<div class="npq-card npq-engagement"><h3>Engagement</h3>'
            f"<p><strong>{done} of {total}</strong> workbook activities completed: <strong>{pct:.0f}%</strong>. "
            f"{esc(verdict)}</p><p class=\"npq-help\">{esc(cat.case_study.engagement)}. Your provider measures "
            "engagement across the whole programme; this counts the workbook's own activities (knowledge checks "
            "passed, reflections written, tasks checked) as a guide.</p>"
            f"<h3>How the {esc(q.code)} hours are spent</h3>{hours}</div>")



def _task_words(t) -> str:
    if t.status == "pass":
        return f"✔ {t.title} (met)"
    if t.status == "fail":
        return f"✘ {t.title} (checked, not all met)"
    return f"– {t.title} (not checked)"


def areas_table(areas: list[AreaProgress], qualification_id: str) -> str:
    """Progress by the ten reformed content areas: the modules and formative tasks mapped to each and what is done."""
    rows = []
    for a in areas:
        mods = "; ".join(f"{'✔' if m.completed else '–'} {m.title}" for m in a.modules) or "none in the workbook"
        tasks = "; ".join(_task_words(t) for t in a.tasks) or "none in the workbook"
        if a.modules and a.tasks and a.modules_completed == len(a.modules) and a.tasks_met == len(a.tasks):
            so_far = "✔ everything mapped here is done"
        elif a.started:
            so_far = "started"
        else:
            so_far = "not started yet"
        rows.append(
            f'<tr data-area="{a.number}"><td>{a.number}. {esc(a.name)}</td>'
            f"<td><strong>{a.modules_completed} of {len(a.modules)}</strong> completed: {esc(mods)}</td>"
            f"<td><strong>{a.tasks_checked} of {len(a.tasks)}</strong> checked ({a.tasks_met} met): {esc(tasks)}</td>"
            f"<td>{esc(so_far)}</td></tr>")
    return ('<table class="npq-table npq-areas"><thead><tr><th>Content area</th><th>Course modules</th>'
            "<th>Formative tasks</th><th>So far</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def reformed_progress_html(progress: list[ModuleProgress], statuses: dict[str, str], qualification_id: str) -> str:
    """What a reformed-route candidate is working towards: progress by the ten content areas and the formative
    assessment tasks' hours for their NPQ (seed 004). They are not assessed against the legacy criteria."""
    from ..registry import all_tasks

    cat = load_catalogue()
    q = cat.get(qualification_id)
    ca = "DfE Leadership Framework Content Area coverage"  # seed 004's heading (reformed.yaml, checked there)
    specialist = q.code not in ("NPQSL", "NPQH", "NPQEL")
    note = (f"Seed 004 lists these ten content areas (“{esc(ca)}”). Which modules and tasks serve each area is the "
            "workbook's editorial mapping: the provider documents do not map them. A module counts as completed "
            "when its knowledge check is passed and every reflection written. On the reformed route you are not "
            "assessed against the legacy criteria 1.1.1–6.1.3; your summative assessment is the case study.")
    if specialist:
        serving = [t.title for t in all_tasks() if q.code in t.reformed.specialist_npqs]
        note += (f" Seed 004 gives the ten areas for the leadership NPQs; it gives none for {q.code}, so they are "
                 "shown here as a guide. Tasks the workbook marks as serving " + q.code + ": "
                 + ("; ".join(serving) or "none") + ".")
    areas = area_progress(progress, statuses)
    fat = fat_hours(q)
    checked = sum(1 for t in all_tasks() if t.id in statuses)
    met = sum(1 for t in all_tasks() if statuses.get(t.id) == "pass")
    if fat is not None:
        shared = (" (the seed gives one figure for all three specialist NPQs)" if specialist
                  else "")
        fat_part = (f"<p>{esc(q.code)} includes <strong>{fat.hours} hours</strong> of formative assessment tasks"
                    f"{esc(shared)} — in seed 004's table: “{esc(fat.activity or '')}”, “{esc(fat.seed_text)}”.</p>")
    else:
        fat_part = "<p>The provider documents give no hours for formative assessment tasks for this programme.</p>"
    fats = (f'<div class="npq-card npq-fats"><h3>Formative assessment tasks (FATs)</h3>{fat_part}'
            f"<p>In this workbook you have checked <strong>{checked} of {len(all_tasks())}</strong> formative "
            f"tasks ({met} with everything met). They are practice for your FATs: your provider sets and records "
            "the FATs themselves, and the workbook does not time your work.</p></div>")
    return (f"<h2>Your progress by the reformed content areas</h2><p class=\"npq-help\">{esc(note)}</p>"
            + areas_table(areas, qualification_id) + fats)


def _gloss(seed_text: str) -> str:
    """A seed's abbreviation explained where it is shown, the quote itself kept: "FTF events" -> "FTF
    (face-to-face) events"."""
    return seed_text.replace("FTF", "FTF (face-to-face)")


class ContentsPage(w.VBox):
    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        cat = load_catalogue()
        choices = [(f"{q.name} ({q.code}, {q.route} route)", q.id) for q in cat.qualifications]
        self.qualification = w.Dropdown(options=choices, value=chosen_qualification(workbook),
                                        layout=w.Layout(width="640px"))
        self.qualification.add_class("npq-qualification")
        self.map = w.HTML()
        self.map.add_class("npq-progress-map")
        self.save_status = w.HBox()
        apps = "".join(f'<li><a href="{esc(notebook_href(href, HERE))}">{esc(name)}</a></li>' for name, href in APPS)
        super().__init__([
            style(),
            w.HTML("<h2>Your progress</h2><p>Choose your qualification: the map shows its modules and what you "
                   "have done so far. It is read from your saved work, so it is up to date whenever you open this "
                   f"page.</p><ul>{apps}</ul>"),
            w.HTML('<div class="npq-field-label" aria-hidden="true">Your qualification</div>'),
            label_input(self.qualification, "Your qualification"), self.save_status,
            self.map,
        ])
        self.add_class("npq-app")
        self.add_class("npq-contents")
        self.qualification.observe(lambda _c: self.refresh(), "value")
        self.refresh()

    @property
    def artefact(self) -> dict[str, Any]:
        return {"task": PROFILE_DOC, "schema_version": 1, "qualification": self.qualification.value}

    def load(self, data: dict) -> None:
        if data.get("qualification") in [v for _, v in self.qualification.options]:
            self.qualification.value = data["qualification"]

    def refresh(self) -> None:
        qid = self.qualification.value
        q = load_catalogue().get(qid)
        progress = read_progress(self.workbook, qid)
        statuses = task_statuses(self.workbook)
        parts = [f"<h2>Modules for {esc(q.code)}</h2>", progress_table(progress, qid)]
        if q.route == "reformed":
            parts = [reformed_progress_html(progress, statuses, qid)] + parts + [engagement_html(progress, qid)]
        if q.criteria:
            parts += ["<h2>Assessment criteria and evidence</h2>", criteria_table(progress, statuses)]
        elif q.route == "legacy":
            parts.append(f'<p class="npq-help">The sources list assessment criteria for NPQML only; {esc(q.code)}\'s '
                         "project is assessed against its own mark scheme.</p>")
        self.map.value = "".join(parts)


__all__ = ["ContentsPage", "COURSE_NAMES"]
