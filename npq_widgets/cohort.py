"""The cohort view's arithmetic: a room of candidates' downloaded workbook files → what the facilitator sees.

Pure (no widgets): read the files (each validated by :func:`store.bundle.read_bundle`), then aggregate —

- per knowledge-check question: how many answered it at their first check, how many were right first time, and the
  most common wrong answer at that first check (module documents ``module--<id>``, ``quiz.first``; a workbook from
  before first checks were kept counts only when it was checked once, when its answers *are* the first ones);
- per task: how many passed, are not yet passing or never checked (``check--<doc>`` records, best over scenarios)
  and the rules most often not yet met (the task's checker run on each candidate's latest saved work for it);
- each task's own aggregates through its declaration's ``cohort`` (risk register: most common risks and the spread
  of scores; budget: cost per pupil and contingency ranges);
- module progress (the course's own progress reading).

Nothing here reads pupil data: the data-analysis task keeps its results, never a pupil's row, and the only thing
shown of any task's work is the check's rule ids and the task's declared cohort rows. Candidates are named by the
name they typed in a task, or "Candidate 1…" — the view decides which (:meth:`Candidate.label`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .course import (CHECK_PREFIX, chosen_qualification, load_module, module_ids, module_title, read_progress)
from .domain.quiz import mark
from .registry import TaskError, all_tasks
from .store.bundle import read_bundle
from .store.feedback import ID_DOC, read_workbook_id
from .store.workbook import StoreError, parse_time

MAX_FILES = 200
_COPY_MARKS = ("--imported-", "--copy-")


@dataclass(frozen=True)
class _Loaded:
    data: Any


class BundleWorkbook:
    """A downloaded workbook file read into memory, with the reading half of :class:`store.workbook.Workbook`
    (``ids``, ``load``, ``envelope``), so the course's own progress reading works on it unchanged."""

    def __init__(self, envelopes: Iterable[Mapping[str, Any]]):
        self._env = {str(e["doc_id"]): dict(e) for e in envelopes}

    def ids(self) -> list[str]:
        return sorted(self._env)

    def envelope(self, doc_id: str) -> dict | None:
        return self._env.get(doc_id)

    def load(self, doc_id: str) -> _Loaded:
        env = self._env.get(doc_id)
        return _Loaded(env.get("data") if env else None)

    def data(self, doc_id: str) -> dict:
        d = (self._env.get(doc_id) or {}).get("data")
        return d if isinstance(d, dict) else {}


@dataclass(frozen=True)
class Candidate:
    number: int
    name: str
    workbook_id: str | None
    source: str
    workbook: BundleWorkbook = field(compare=False, repr=False)

    def label(self, anonymous: bool = False) -> str:
        return self.name if self.name and not anonymous else f"Candidate {self.number}"

    def latest_work(self, task_id: str) -> dict | None:
        """The most recently saved document of a task (any scenario; copies kept beside work are skipped)."""
        best = None
        for doc in self.workbook.ids():
            if not doc.startswith(f"{task_id}--") or any(m in doc for m in _COPY_MARKS):
                continue
            env = self.workbook.envelope(doc) or {}
            when = parse_time(env.get("saved_at"))
            if isinstance(env.get("data"), dict) and when is not None and (best is None or when > best[0]):
                best = (when, env["data"])
        return best[1] if best else None

    def task_status(self, task_id: str) -> str | None:
        """"pass", "fail" or None (never checked): the best of the candidate's check records for the task."""
        status = None
        for doc in self.workbook.ids():
            if doc.startswith(CHECK_PREFIX):
                rec = self.workbook.data(doc)
                if rec.get("checked_task") == task_id:
                    status = "pass" if rec.get("status") == "pass" or status == "pass" else "fail"
        return status


def _chosen_name(wb: BundleWorkbook) -> str:
    """The name the candidate typed in their tasks (the most recently saved), else ''."""
    best = None
    for doc in wb.ids():
        env = wb.envelope(doc) or {}
        data = env.get("data") if isinstance(env.get("data"), dict) else {}
        cand = data.get("candidate") if isinstance(data.get("candidate"), dict) else {}
        name = str(cand.get("name") or "").strip()
        when = parse_time(env.get("saved_at"))
        if name and when is not None and (best is None or when > best[0]):
            best = (when, name)
    return best[1][:80] if best else ""


def read_candidates(files: Sequence[tuple[str, bytes]], *, now: dt.datetime | None = None
                    ) -> tuple[list[Candidate], list[str]]:
    """Each (file name, bytes) read and validated; returns the candidates (numbered in the order given) and one
    plain sentence per file that was not used."""
    out: list[Candidate] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    if len(files) > MAX_FILES:
        problems.append(f"Only the first {MAX_FILES} files were read.")
        files = files[:MAX_FILES]
    for name, raw in files:
        try:
            docs = read_bundle(raw, now=now)
        except StoreError as exc:
            problems.append(f"{name}: {exc}")
            continue
        wid = read_workbook_id(docs)
        if wid is not None and wid in seen:
            problems.append(f"{name}: this is the same candidate's workbook as {seen[wid]}, so it was not added "
                            "twice.")
            continue
        if wid is not None:
            seen[wid] = name
        wb = BundleWorkbook(docs)
        out.append(Candidate(len(out) + 1, _chosen_name(wb), wid, name, wb))
    return out, problems


# -- knowledge checks ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionRow:
    module: str
    module_title: str
    number: int
    prompt: str
    answered: int          # candidates whose first-check answer is known
    right_first_time: int
    common_wrong: str      # the most common wrong first answer ('' when none)
    common_wrong_count: int


def _first_responses(quiz_doc: Mapping[str, Any]) -> dict | None:
    first = quiz_doc.get("first")
    if isinstance(first, dict):
        return first
    if quiz_doc.get("attempts") == 1 and isinstance(quiz_doc.get("responses"), dict):
        return quiz_doc["responses"]  # checked once: the answers kept are the first ones
    return None


def _answer_text(q: Any, response: Any) -> str:
    """A wrong answer as the facilitator reads it: the option chosen, the number typed, or the kind of slip."""
    try:
        if q.type == "single":
            return q.options[int(response)].text
        if q.type == "multiple":
            return " + ".join(q.options[int(i)].text for i in response) or "(none ticked)"
        if q.type == "numeric":
            return str(response).strip()[:40]
        if q.type == "order":
            return "another order"
        return "another matching"
    except (IndexError, TypeError, ValueError):
        return "(unreadable)"


def question_rows(candidates: Sequence[Candidate]) -> list[QuestionRow]:
    rows = []
    for mid in module_ids():
        module = load_module(mid)
        firsts = []
        for c in candidates:
            quiz = c.workbook.data(f"module--{mid}").get("quiz")
            first = _first_responses(quiz) if isinstance(quiz, dict) else None
            if first is not None:
                firsts.append(first)
        for n, q in enumerate(module.quiz.questions, start=1):
            answered = right = 0
            wrong: Counter[str] = Counter()
            for first in firsts:
                if q.id not in first:
                    continue
                m = mark(q, first[q.id])
                if not m.answered:
                    continue
                answered += 1
                if m.correct:
                    right += 1
                else:
                    wrong[_answer_text(q, first[q.id])] += 1
            top = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
            rows.append(QuestionRow(mid, module_title(mid), n, q.prompt, answered, right,
                                    top[0][0] if top else "", top[0][1] if top else 0))
    return rows


# -- tasks ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskRow:
    task: str
    title: str
    passed: int
    not_yet: int
    not_checked: int
    unmet: tuple[tuple[str, int], ...]   # (rule id, candidates whose latest work does not yet meet it), commonest first
    own: tuple[dict, ...] = ()           # the task's declared cohort rows


def _rule_words(rule_id: str) -> str:
    return rule_id.replace("-", " ").replace("_", " ")


def task_rows(candidates: Sequence[Candidate]) -> list[TaskRow]:
    rows = []
    for task in all_tasks():
        statuses = [c.task_status(task.id) for c in candidates]
        works = [w for w in (c.latest_work(task.id) for c in candidates) if w is not None]
        unmet: Counter[str] = Counter()
        for work in works:
            result = task.check(work)
            for item in result.items:
                if not item.passed:
                    unmet[_rule_words(item.id)] += 1
        try:
            own = tuple(task.cohort(works))
        except (TaskError, ValueError, TypeError, KeyError):
            own = ({"measure": "Summary", "value": "could not be worked out from these files"},)
        rows.append(TaskRow(task.id, task.title, statuses.count("pass"), statuses.count("fail"),
                            statuses.count(None),
                            tuple(sorted(unmet.items(), key=lambda kv: (-kv[1], kv[0]))[:3]), own))
    return rows


# -- module progress -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModuleRow:
    module: str
    title: str
    taking: int            # candidates whose qualification includes the module
    quiz_passed: int
    started: int           # knowledge check tried, a reflection saved or any activity done
    completed: int         # every activity done


def module_rows(candidates: Sequence[Candidate]) -> list[ModuleRow]:
    per: dict[str, list] = {}
    started: Counter[str] = Counter()
    for c in candidates:
        for p in read_progress(c.workbook, chosen_qualification(c.workbook)):
            per.setdefault(p.module, []).append(p)
            doc = c.workbook.data(f"module--{p.module}")
            quiz = doc.get("quiz") if isinstance(doc.get("quiz"), dict) else {}
            tried = bool(quiz.get("attempts")) or any(str(v).strip() for v in (doc.get("reflections") or {}).values())
            started[p.module] += bool(tried or p.activities[0] > 0)
    rows = []
    for mid in module_ids():
        ps = per.get(mid, [])
        rows.append(ModuleRow(mid, module_title(mid), len(ps), sum(p.quiz_passed for p in ps),
                              started[mid],
                              sum(p.activities[0] == p.activities[1] for p in ps)))
    return rows


# -- the whole view, and its exports ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CohortSummary:
    candidates: tuple[Candidate, ...]
    questions: tuple[QuestionRow, ...]
    tasks: tuple[TaskRow, ...]
    modules: tuple[ModuleRow, ...]


def summarise(candidates: Sequence[Candidate]) -> CohortSummary:
    return CohortSummary(tuple(candidates), tuple(question_rows(candidates)), tuple(task_rows(candidates)),
                         tuple(module_rows(candidates)))


def _of(n: int, total: int) -> str:
    return f"{n} of {total}"


def tables(summary: CohortSummary, *, anonymous: bool = True) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The view as (title, column titles, rows) — the one source of the page, the printable page and the .xlsx."""
    n = len(summary.candidates)
    people = [[c.label(anonymous), c.source, "yes" if c.workbook_id else "no (ask them to download again)"]
              for c in summary.candidates]
    questions = [[q.module_title, q.number, q.prompt, q.answered, _of(q.right_first_time, q.answered),
                  f"{q.common_wrong} ({q.common_wrong_count})" if q.common_wrong else "—"]
                 for q in summary.questions if q.answered]
    tasks = [[t.title, t.passed, t.not_yet, t.not_checked,
              "; ".join(f"{rule} ({k} of {n})" for rule, k in t.unmet) or "—"] for t in summary.tasks]
    own = [[t.title, str(r.get("measure", "")), str(r.get("value", ""))] for t in summary.tasks for r in t.own]
    modules = [[m.title, m.taking, m.started, m.quiz_passed, m.completed] for m in summary.modules if m.taking]
    return [
        ("Candidates", ["Shown as", "File", "Can receive feedback"], people),
        ("Knowledge checks", ["Module", "Question", "Question text", "Answered at first check", "Right first time",
                              "Most common wrong answer (how many)"], questions),
        ("Tasks", ["Task", "Passed", "Not yet", "Never checked", "Rules most often not yet met"], tasks),
        ("Task summaries", ["Task", "Measure", "Value"], own),
        ("Module progress", ["Module", "Candidates taking it", "Started", "Knowledge check passed",
                             "Every activity done"], modules),
    ]


def html_tables(summary: CohortSummary, *, anonymous: bool = True) -> str:
    parts = []
    for title, cols, rows in tables(summary, anonymous=anonymous):
        slug = title.lower().replace(" ", "-")
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
        if not rows:
            body = f'<tr><td colspan="{len(cols)}">Nothing in these files yet.</td></tr>'
        parts.append(f'<h3>{html.escape(title)}</h3><table class="npq-table npq-cohort-{slug}"><thead><tr>'
                     + "".join(f'<th scope="col">{html.escape(c)}</th>' for c in cols)
                     + f"</tr></thead><tbody>{body}</tbody></table>")
    return "".join(parts)


def printable_page(summary: CohortSummary, *, anonymous: bool = True, event: str = "",
                   today: dt.date | None = None) -> bytes:
    """A self-contained page to print or keep (no scripts, no outside resources)."""
    day = (today or dt.date.today()).strftime("%d/%m/%Y")
    title = "NPQ Workbook — the room" + (f": {event}" if event else "")
    return ("<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
            "table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #999;padding:4px 8px;"
            "text-align:left;vertical-align:top}th{background:#dde7f0}@media print{h3{break-after:avoid}}</style>"
            f"</head><body><h1>{html.escape(title)}</h1><p>{len(summary.candidates)} candidates · made {day}. "
            "No pupil data is included.</p>" + html_tables(summary, anonymous=anonymous)
            + "</body></html>").encode("utf-8")


def xlsx(summary: CohortSummary, *, anonymous: bool = True, event: str = "", today: dt.date | None = None) -> bytes:
    from .store.xlsx import header_sheet, xlsx_bytes

    day = today or dt.date.today()
    sheets = []
    for i, (title, cols, rows) in enumerate(tables(summary, anonymous=anonymous)):
        sheet = header_sheet(title, [("Cohort view", event or "NPQ Workbook event"), ("Candidates",
                                     len(summary.candidates)), ("Date", day.strftime("%d/%m/%Y"))]) if i == 0 else None
        if sheet is None:
            from .store.xlsx import Sheet

            sheet = Sheet(title)
        sheet.table(cols, rows)
        sheet.set_widths([28] + [22] * (len(cols) - 1))
        sheets.append(sheet)
    return xlsx_bytes(sheets)


__all__ = ["Candidate", "BundleWorkbook", "read_candidates", "summarise", "tables", "html_tables", "printable_page",
           "xlsx", "question_rows", "task_rows", "module_rows", "ID_DOC"]
