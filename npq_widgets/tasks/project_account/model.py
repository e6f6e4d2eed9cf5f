"""The legacy route's written project account: its structure per qualification, word counts, the timeline and the
evidence map. Pure calculations: no widgets, no store, no other task.

Structure (every heading quoted from the catalogue, which quotes the seeds):

- **NPQML** (seed 001): Part A "improving pupil progress and attainment" and Part B "the capability of their team",
  one section per assessment criterion (1.1.1-4.1.2 in Part A, 5.1.1-6.1.3 in Part B), the criterion's text quoted.
  One project, or two (seed 001's footnote: "they may complete two separate projects, however the total overall word
  count of 4,500 still applies"): the choice only adds a second project title; the limit is the same.
- **NPQSL** (seed 002): the description's aims "a) reduce variation in pupil progress and attainment" and "b) improve
  the efficiency and effectiveness of teaching", one section each, laid out as Part A and Part B. The seeds give no
  NPQSL criteria, so none are invented: the evidence map uses NPQML's criteria as the common reference (as the
  module map does) and says so.
- **NPQEL** (seed 003): the written accounts of Task 1 and Task 2, the task text quoted. The seed gives no word limit
  or minimum duration: the limit is the figure ``npqel_word_limit`` (default none), and the two-term check is skipped.

Word counts use :func:`npq_widgets.domain.values.word_count`; annexes and supporting documents are excluded
(seed 001: "excluding supporting documents or annexes").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...contract import Artefact, ModuleEvidence, TaskEvidence, WorkbookEvidence
from ...domain.lifetime import ProjectLifetime
from ...domain.values import ValueProblem, format_uk_date, parse_uk_date, word_count
from ...store import travel

TASK_ID = "project-account"
SCHEMA_VERSION = 1
QUALIFICATIONS = ("NPQML-legacy", "NPQSL-legacy", "NPQEL-legacy")
DEFAULT_QUALIFICATION = "NPQML-legacy"
SPONSOR_DOCUMENT = "Sponsor comments"


@dataclass
class ProjectAccountArtefact(Artefact):
    """Saved account: the qualification it is written for, one or two projects (titles by part), the dates, the
    sections as typed (section id -> text), the annexes (not counted), the project id a sponsor's file is tied to,
    and the sponsor's comments exactly as received (a travelling file's envelope)."""

    TASK = TASK_ID
    SCHEMA_VERSION = SCHEMA_VERSION

    qualification: str = ""
    two_projects: bool = False
    projects: dict = field(default_factory=dict)
    programme_start: str = ""
    project_start: str = ""
    project_end: str = ""
    sections: dict = field(default_factory=dict)
    annexes: str = ""
    project_id: str = ""
    sponsor: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectAccountFigures:
    """exercises/project-account/figures.yaml (each key documented there)."""

    tolerance_days: int
    npqel_word_limit: int | None = None
    npqel_min_terms: int | None = None


# -- structure ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    id: str            # "1.1.1" (NPQML criterion), "a"/"b" (NPQSL aim), "task1"/"task2" (NPQEL)
    heading: str
    quote: str         # the criterion, aim or task text, quoted from the catalogue
    criterion: str | None = None


@dataclass(frozen=True)
class Part:
    key: str           # "A" / "B"
    title: str
    aim: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Structure:
    qualification: str
    name: str
    parts: tuple[Part, ...]
    word_limit: int | None
    min_terms: int | None
    completion_months: int | None
    criteria_note: str = ""

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for p in self.parts for s in p.sections)


_NPQSL_AIMS = re.compile(r"to a\) (?P<a>.+?) and b\) (?P<b>.+?)\. A written account", re.S)


def structure(qualification: str, figures: ProjectAccountFigures | None = None) -> Structure:
    """The account's parts and sections for a legacy qualification (unknown ids fall back to NPQML)."""
    from ...catalogue import load_catalogue

    cat = load_catalogue()
    qid = qualification if qualification in QUALIFICATIONS else DEFAULT_QUALIFICATION
    q = cat.get(qid)
    a = q.assessment
    if qid == "NPQML-legacy":
        parts = []
        for p in a.parts:
            secs = tuple(Section(c.id, f"{c.id} {c.content_area}", c.text, c.id) for c in q.criteria
                         if c.part == p.part)
            parts.append(Part(str(p.part), f"Part {p.part}", str(p.aim), secs))
        return Structure(qid, q.name, tuple(parts), a.word_limit, a.min_duration_terms, a.completion_months)
    if qid == "NPQSL-legacy":
        m = _NPQSL_AIMS.search(str(a.description[0]))
        if m is None:  # the catalogue's wording changed: say so rather than invent aims
            raise ValueProblem("The NPQSL aims could not be read from the catalogue's assessment description.")
        parts = (Part("A", "Part A", m["a"], (Section("a", "a) " + m["a"], m["a"]),)),
                 Part("B", "Part B", m["b"], (Section("b", "b) " + m["b"], m["b"]),)))
        return Structure(qid, q.name, parts, a.word_limit, a.min_duration_terms, a.completion_months,
                         "The seeds give assessment criteria for NPQML only; the criteria shown are NPQML's, the "
                         "common reference the course's module map uses.")
    figs = figures or ProjectAccountFigures(tolerance_days=7)
    parts = tuple(Part("AB"[i], t.name, str(t.text), (Section(f"task{i + 1}", t.name, str(t.text)),))
                  for i, t in enumerate(a.tasks))
    return Structure(qid, q.name, parts, figs.npqel_word_limit, figs.npqel_min_terms, a.completion_months,
                     "The seeds give assessment criteria for NPQML only; the criteria shown are NPQML's, the common "
                     "reference the course's module map uses.")


# -- reading an account -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    qualification: str
    two_projects: bool
    projects: Mapping[str, str]
    sections: Mapping[str, str]
    annexes: str
    programme_start: str
    project_start: str
    project_end: str
    sponsor: Mapping[str, Any]

    def words(self, section_id: str) -> int:
        return word_count(self.sections.get(section_id, ""))


def qualification_of(artefact: Mapping[str, Any]) -> str:
    art = artefact if isinstance(artefact, Mapping) else {}
    q = art.get("qualification")
    if q in QUALIFICATIONS:
        return str(q)
    cand = art.get("candidate") if isinstance(art.get("candidate"), Mapping) else {}
    return str(cand.get("qualification")) if cand.get("qualification") in QUALIFICATIONS else DEFAULT_QUALIFICATION


def read_account(artefact: Mapping[str, Any]) -> Account:
    art = artefact if isinstance(artefact, Mapping) else {}
    raw = art.get("sections") if isinstance(art.get("sections"), Mapping) else {}
    sections = {str(k): ("" if v is None else str(v)) for k, v in raw.items() if isinstance(v, (str, int, float))}
    projects = art.get("projects") if isinstance(art.get("projects"), Mapping) else {}
    sponsor = art.get("sponsor") if isinstance(art.get("sponsor"), Mapping) else {}

    def text(key: str) -> str:
        v = art.get(key)
        return v if isinstance(v, str) else ""

    return Account(qualification_of(art), art.get("two_projects") is True,
                   {str(k): str(v) for k, v in projects.items() if isinstance(v, str)}, sections, text("annexes"),
                   text("programme_start"), text("project_start"), text("project_end"), dict(sponsor))


@dataclass(frozen=True)
class WordCounts:
    sections: Mapping[str, int]
    parts: Mapping[str, int]
    total: int
    annexes: int
    limit: int | None

    @property
    def over(self) -> int:
        return max(0, self.total - self.limit) if self.limit is not None else 0


def word_counts(account: Account, struct: Structure) -> WordCounts:
    """Per section, per part and in total (only the structure's sections count; annexes never do)."""
    secs = {s.id: account.words(s.id) for s in struct.sections}
    parts = {p.key: sum(secs[s.id] for s in p.sections) for p in struct.parts}
    return WordCounts(secs, parts, sum(parts.values()), word_count(account.annexes), struct.word_limit)


# -- the timeline -------------------------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when that month is shorter: 31/08 + 18 months is
    29/02 in a leap year, 28/02 otherwise)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Timeline:
    programme_start: dt.date | None
    project_start: dt.date | None
    project_end: dt.date | None
    deadline: dt.date | None          # programme start + completion months
    whole_terms: tuple[str, ...]
    min_terms: int | None
    problems: tuple[str, ...]         # dates that cannot be read
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.warnings


def timeline(account: Account, struct: Structure, figures: ProjectAccountFigures,
             calendar_terms: Any = None) -> Timeline:
    """The project's dates against "at least two terms" (whole terms on the school-term calendar the project plan
    uses) and the limit of ``completion_months`` from the programme start."""
    problems: list[str] = []
    warnings: list[str] = []

    def date(text: str, what: str) -> dt.date | None:
        if not text.strip():
            return None
        try:
            return parse_uk_date(text, what=what)
        except ValueProblem as exc:
            problems.append(str(exc))
            return None

    prog = date(account.programme_start, "The programme start date")
    start = date(account.project_start, "The project's start date")
    end = date(account.project_end, "The project's end date")
    deadline = add_months(prog, struct.completion_months) if prog and struct.completion_months else None
    whole: tuple[str, ...] = ()
    if start and end:
        try:
            life = ProjectLifetime(start, end, calendar_terms)
        except ValueProblem as exc:
            problems.append(str(exc))
        else:
            whole = tuple(t.name for t in life.whole_terms(figures.tolerance_days))
            if struct.min_terms and len(whole) < struct.min_terms:
                warnings.append(
                    f"The project runs {format_uk_date(start)} to {format_uk_date(end)}: {len(whole)} whole "
                    f"term{'s' if len(whole) != 1 else ''} on the school-term calendar"
                    f"{' (' + ', '.join(whole) + ')' if whole else ''}. The project must last at least "
                    f"{struct.min_terms} terms.")
    if deadline and end and end > deadline:
        warnings.append(f"The project ends on {format_uk_date(end)}, after {format_uk_date(deadline)}: the "
                        f"assessment must be passed within {struct.completion_months} months of starting the "
                        f"programme ({format_uk_date(prog)}), so the account must be written and assessed before "
                        "then.")
    if prog and start and start < prog:
        warnings.append(f"The project starts ({format_uk_date(start)}) before the programme ({format_uk_date(prog)})"
                        ": check the dates.")
    return Timeline(prog, start, end, deadline, whole, struct.min_terms, tuple(problems), tuple(warnings))


# -- the evidence map ---------------------------------------------------------------------------------------------
_ARTICLE = {"Budget": "a budget", "Project plan": "a project plan", "Risk register": "a risk register"}


def document_phrase(document: str) -> str:
    return _ARTICLE.get(document, document.lower())


@dataclass(frozen=True)
class CriterionEvidence:
    id: str
    text: str
    part: str
    document: str | None
    document_status: str | None      # "pass", "fail", "received", None (nothing yet); None also when not needed
    tasks: tuple[TaskEvidence, ...]
    modules: tuple[ModuleEvidence, ...]
    words: int | None                 # words in its own section (NPQML); None when the account has no such section
    missing: tuple[str, ...]

    @property
    def status(self) -> str:
        """'complete', 'in progress' or 'not started' — shown in words, never by colour alone."""
        if not self.missing:
            return "complete"
        started = (self.words or 0) > 0 or any(t.status for t in self.tasks) or \
            any(m.reflections_written for m in self.modules) or self.document_status is not None
        return "in progress" if started else "not started"


def evidence_map(account: Account, struct: Structure, evidence: WorkbookEvidence | None) -> list[CriterionEvidence]:
    """Per NPQML criterion: the tasks that evidence it and their check status, the supporting document it needs and
    whether the workbook holds it, the module reflections mapped to it, the words in its section, what is missing."""
    from ...catalogue import load_catalogue

    evidence = evidence or WorkbookEvidence()
    counts = word_counts(account, struct)
    by_section = {s.criterion: s.id for s in struct.sections if s.criterion}
    out = []
    for c in load_catalogue().get("NPQML-legacy").criteria:
        tasks = tuple(t for t in evidence.tasks if c.id in t.criteria and t.task_id != TASK_ID)
        modules = tuple(m for m in evidence.modules if c.id in m.criteria)
        words = counts.sections.get(by_section[c.id]) if c.id in by_section else None
        missing: list[str] = []
        doc = c.supporting_document
        doc_status = None
        if doc == SPONSOR_DOCUMENT and not tasks:
            doc_status = "received" if account.sponsor.get("content") and sponsor_intact(account.sponsor) else None
            if account.sponsor and doc_status is None:
                missing.append(f"{c.id}: the sponsor comments saved in your work no longer match the check inside "
                               "the sponsor's file: load the file your sponsor sent again.")
            elif doc_status is None:
                missing.append(f"{c.id} needs {document_phrase(doc)}: none loaded yet (ask your sponsor to fill in "
                               "the sponsor form, then load the file they send you).")
        elif doc:
            statuses = [t.status for t in tasks]
            doc_status = "pass" if "pass" in statuses else ("fail" if "fail" in statuses else None)
            if not tasks:
                missing.append(f"{c.id} needs {document_phrase(doc)}: the workbook has no task that makes it, so "
                               "attach your own as an annex.")
            elif doc_status is None:
                missing.append(f"{c.id} needs {document_phrase(doc)}: none checked yet.")
            elif doc_status == "fail":
                missing.append(f"{c.id} needs {document_phrase(doc)}: yours has been checked but does not pass all "
                               "the checks yet.")
        elif tasks and not any(t.status for t in tasks):
            names = ", ".join(t.title for t in tasks)
            missing.append(f"{c.id}: the task that practises it ({names}) has not been checked yet.")
        if words == 0:
            missing.append(f"{c.id}: nothing written in its section of the account yet.")
        if modules and not any(m.reflections_written for m in modules):
            missing.append(f"{c.id}: no reflection written yet in the modules mapped to it.")
        out.append(CriterionEvidence(c.id, c.text, str(c.part), doc, doc_status, tasks, modules, words,
                                     tuple(missing)))
    return out


# -- sponsor comments (criterion 4.1.1), a travelling file --------------------------------------------------------
SPONSOR_FIELDS = (("role", "Your role (for example: deputy headteacher)"),
                  ("relationship", "How you worked with the candidate on the project"),
                  ("comments", "Your comments on the project and the candidate's leadership of it"))


def sponsor_file(project_id: str, content: Mapping[str, str], *, today: dt.date | None = None) -> bytes:
    """The sponsor's file for the candidate's project: a travelling file of the ``sponsor-comments`` kind.
    Raises ValueProblem with a plain sentence when the project code or the comments are missing."""
    code = str(project_id or "").strip()
    if not code:
        raise ValueProblem("Enter the project code the candidate gave you (it starts with 'p-').")
    if not str(content.get("comments") or "").strip():
        raise ValueProblem("Write your comments before downloading the file.")
    body = {k: str(content.get(k) or "").strip() for k, _ in SPONSOR_FIELDS}
    body["candidate"] = str(content.get("candidate") or "").strip()
    return travel.dumps(travel.make(travel.SPONSOR_KIND, travel.SPONSOR_VERSION, code, "sponsor", body, today=today))


def read_sponsor_file(raw: bytes | str, project_id: str, what: str = "This file") -> dict:
    """A sponsor's file for this project, as received (its whole envelope, checksum included); raises
    :class:`~npq_widgets.store.travel.TravelError` with one plain sentence for a bad, foreign or damaged file."""
    doc = travel.loads(raw, kinds={travel.SPONSOR_KIND: travel.SPONSOR_VERSION}, for_id=project_id, what=what)
    return doc.to_dict()


def sponsor_intact(envelope: Mapping[str, Any]) -> bool:
    """Whether saved sponsor comments still match the check inside the file they came in."""
    return bool(envelope) and envelope.get("checksum") == travel.checksum(envelope)


__all__ = ["sponsor_file", "read_sponsor_file", "sponsor_intact", "SPONSOR_FIELDS", "ProjectAccountArtefact", "ProjectAccountFigures", "Structure", "Part", "Section", "structure",
           "read_account", "word_counts", "timeline", "add_months", "evidence_map", "CriterionEvidence",
           "WordCounts", "Timeline", "Account", "qualification_of", "document_phrase"]
