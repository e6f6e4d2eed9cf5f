"""Typed, immutable records of the NPQ catalogue (frozen dataclasses, tuples for sequences).

Standard library only. Every record that holds text quoted from a seed names that seed (``source``: a seed id such as
``"001"``, see :class:`Source`). Where the workbook corrects an obvious scanning error, the display text is in the
usual field and the seed's exact wording in ``seed_text`` (``None`` when the text is verbatim); every correction is an
:class:`Erratum`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Literal, Mapping

Route = Literal["legacy", "reformed"]
Part = Literal["A", "B"]

#: Responsibility scopes, in order of reach. They are the legacy framework's levels (seed 001).
SCOPES: tuple[str, ...] = ("team", "across a school", "a school", "several schools")


def _plain(value: Any) -> Any:
    """A JSON-serialisable copy: dataclasses via their own ``to_dict`` (or fields), tuples as lists."""
    if hasattr(value, "to_dict") and dataclasses.is_dataclass(value):
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _fields_dict(obj: Any, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = set(skip)
    return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in skipped}


# --- provenance -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A document the catalogue quotes: a seed (``kind="seed"``) or the shared domain notes (``kind="note"``)."""

    id: str
    kind: str
    file: str
    title: str
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Quote:
    """Words quoted exactly from one seed."""

    seed: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Passage:
    """A paragraph or bullet quoted from a seed; ``seed_text`` is the seed's wording where ``text`` corrects it."""

    text: str
    source: str
    seed_text: str | None = None

    @property
    def verbatim(self) -> str:
        """The seed's exact wording."""
        return self.seed_text if self.seed_text is not None else self.text

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Erratum:
    """One corrected field: where it is, the seed's wording, the correction and why."""

    id: str
    seed: str
    data_file: str
    path: str
    seed_text: str
    text: str
    changes: tuple[tuple[str, str], ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        out = _fields_dict(self, skip=("changes",))
        out["changes"] = [{"from": a, "to": b} for a, b in self.changes]
        return out


@dataclass(frozen=True)
class VerbatimText:
    """A text field the catalogue claims to quote exactly (its seed wording, before any correction)."""

    seed: str
    data_file: str
    path: str
    text: str


# --- qualification parts --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Component:
    """A row of a specification's "Qualification components" table. ``hours`` is ``None`` where the seed gives none."""

    name: str
    overview: str
    hours: int | None
    source: str
    seed_text: str | None = None  # the seed's wording of ``overview`` where it was corrected
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Module:
    """Module ``number`` (1-4) of an online course; ``seed_text`` is the seed's title where ``title`` corrects it."""

    number: int
    title: str
    seed_text: str | None = None
    course: str = ""
    source: str = ""

    @property
    def verbatim(self) -> str:
        return self.seed_text if self.seed_text is not None else self.title

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Course:
    """An online course (its title as the specification's table header gives it) and its modules."""

    title: str
    modules: tuple[Module, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Event:
    """A face-to-face event or day and its topics.

    ``seed_items`` holds the seed's wording of every item (equal to ``items`` except where an item was corrected).
    ``split_from_cell`` is true where the seed ran the topics together in one table cell and the catalogue split them.
    """

    title: str
    number: int
    items: tuple[str, ...]
    seed_items: tuple[str, ...]
    source: str
    split_from_cell: bool = False

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class LearnHowTo:
    """An NPQML "Learn how to" statement, its "Learn about" statements and the criteria in the same seed row."""

    text: str
    learn_about: tuple[str, ...]
    criteria: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class ContentArea:
    """One of the 6 legacy content areas; ``npqml`` holds the NPQML (leading a team) statements."""

    number: int
    name: str
    part: Part
    npqml: tuple[LearnHowTo, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class ReformedContentArea:
    """One of the 10 areas of the DfE leadership framework, in seed 004's wording."""

    number: int
    name: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Criterion:
    """An NPQML assessment criterion (1.1.1-6.1.3)."""

    id: str
    text: str
    content_area: str
    part: Part
    supporting_document: str | None
    source: str

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Behaviour:
    """A leadership behaviour; ``seed_text`` is the seed's description where ``description`` corrects it."""

    name: str
    description: str
    source: str
    seed_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class BehaviourScale:
    """The rating columns of the "Leadership Reflection" sheet: 1 (high) ... 4 (low), then a comment."""

    form: str
    heading: str
    points: tuple[int, ...]
    high: int
    low: int
    high_label: str
    low_label: str
    comment_label: str
    form_fields: tuple[str, ...]
    source: str

    def is_valid(self, rating: object) -> bool:
        """Whether ``rating`` is one of the scale's points (an int, not a bool)."""
        return isinstance(rating, int) and not isinstance(rating, bool) and rating in self.points

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class AssessmentTask:
    name: str
    text: str
    source: str
    seed_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class AssessmentPart:
    """Part A or B of the NPQML project: its aim and the content areas it assesses (seed 001)."""

    part: Part
    aim: Passage
    content_areas: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class Assessment:
    """How a qualification is assessed. Figures are ``None`` where the seed does not state them.

    ``kind`` is ``"project"`` (NPQML, NPQSL), ``"tasks"`` (legacy NPQEL) or ``"case study"`` (reformed NPQs).
    """

    kind: str
    source: str
    title: str | None = None
    word_limit: int | None = None
    min_duration_terms: int | None = None
    completion_months: int | None = None
    description: tuple[Passage, ...] = ()
    tasks: tuple[AssessmentTask, ...] = ()
    parts: tuple[AssessmentPart, ...] = ()
    moderation: Passage | None = None
    achievement_heading: str | None = None
    achievement_requirements: tuple[Passage, ...] = ()
    task_description: Passage | None = None
    participant_requirements: tuple[Passage, ...] = ()
    provider_requirements: tuple[Passage, ...] = ()
    footnotes: tuple[Passage, ...] = ()
    case_study: "CaseStudyRules | None" = None  # the leadership NPQs' case-study rules (seed 004)

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


@dataclass(frozen=True)
class StageHours:
    """One row of seed 004's "Programme stages and duration" table, for one programme.

    ``merged_cell`` is true where the value was read from a seed cell merged across several programme columns
    (``spans`` names them); ``seed_text`` is that cell's text.
    """

    stage: str
    activity: str | None
    hours: int
    seed_text: str
    source: str
    days: int | None = None
    merged_cell: bool = False
    spans: tuple[str, ...] = ()
    note: str | None = None

    @property
    def name(self) -> str:
        return self.activity or self.stage

    def to_dict(self) -> dict[str, Any]:
        out = _fields_dict(self)
        out["name"] = self.name
        return out


@dataclass(frozen=True)
class Duration:
    """Programme length in months plus the summative assessment months (seed 004)."""

    programme_months: int
    summative_months: int
    seed_text: str
    source: str
    merged_cell: bool = False
    spans: tuple[str, ...] = ()
    note: str | None = None

    @property
    def total_months(self) -> int:
        return self.programme_months + self.summative_months

    def to_dict(self) -> dict[str, Any]:
        out = _fields_dict(self)
        out["total_months"] = self.total_months
        return out


@dataclass(frozen=True)
class CaseStudyRules:
    """The reformed NPQs' summative case study (seed 004, "Leadership NPQ programmes: assessment").

    The word limit is a parameter: the seed's figure (1,500 words, for every programme in its stage table) is the
    default; another provider's figures (1,500 specialist / 2,000 NPQSL / 2,500 NPQH and NPQEL, recorded in the
    shared domain notes, not in the seeds) are available with ``word_limit(code, use_alternative=True)``.
    """

    heading: str
    applies_to: tuple[str, ...]
    summary: Passage
    requirement: Passage
    parts: tuple[Passage, ...]
    window: Passage
    window_days: int
    engagement: Passage
    engagement_percent: int
    default_word_limit: int
    summative_cell: str
    alternative_word_limits: tuple[tuple[str, int], ...]
    alternative_note: str
    alternative_source: str
    source: str
    reformed_codes: tuple[str, ...] = field(default=(), repr=False)

    def word_limit(self, code: str | None = None, *, use_alternative: bool = False) -> int:
        """The case-study word limit for ``code`` (a reformed NPQ code; any case).

        Default: the seed's 1,500 words for every programme. ``use_alternative=True`` gives the other provider's
        figure for ``code`` (a code is then required).
        """
        if code is not None:
            wanted = code.strip().upper()
            known = self.reformed_codes or tuple(c for c, _ in self.alternative_word_limits)
            if wanted not in known:
                raise KeyError(f"No case-study word limit for {code!r}: the reformed NPQs are {', '.join(known)}.")
        if not use_alternative:
            return self.default_word_limit
        if code is None:
            raise ValueError("The alternative word limits differ by programme: pass a code, e.g. word_limit('NPQH', "
                             "use_alternative=True).")
        return dict(self.alternative_word_limits)[code.strip().upper()]

    def last_day(self, released: date) -> date:
        """The eighth day of the window when the case study is released on ``released`` (day 1).

        Responses are due by midnight at the end of this day.
        """
        return released + timedelta(days=self.window_days - 1)

    def may_enter(self, engagement_percent: float) -> bool:
        """Whether programme engagement (a percentage, 0-100) meets the requirement to enter the assessment."""
        return engagement_percent >= self.engagement_percent

    def to_dict(self) -> dict[str, Any]:
        out = _fields_dict(self, skip=("alternative_word_limits", "reformed_codes"))
        out["alternative_word_limits"] = {c: n for c, n in self.alternative_word_limits}
        return out


# --- roles ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RolePlacement:
    """A seed places a role under ``qualification`` (an id), at that qualification's responsibility ``scope``."""

    qualification: str
    scope: str
    quotes: tuple[Quote, ...]

    @property
    def route(self) -> str:
        return self.qualification.rsplit("-", 1)[-1]

    @property
    def code(self) -> str:
        return self.qualification.rsplit("-", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        out = _fields_dict(self)
        out["code"], out["route"] = self.code, self.route
        return out


@dataclass(frozen=True)
class Role:
    """A role named in a target audience, entry requirement or "who can apply" text."""

    id: str
    name: str
    seed_names: tuple[str, ...]
    placements: tuple[RolePlacement, ...]

    @property
    def legacy_qualifications(self) -> tuple[str, ...]:
        """Codes of the legacy qualifications the seeds place this role under (seed order)."""
        return tuple(dict.fromkeys(p.code for p in self.placements if p.route == "legacy"))

    @property
    def reformed_qualifications(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.code for p in self.placements if p.route == "reformed"))

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.scope for p in self.placements))

    def to_dict(self) -> dict[str, Any]:
        out = _fields_dict(self)
        out["legacy_qualifications"] = list(self.legacy_qualifications)
        out["reformed_qualifications"] = list(self.reformed_qualifications)
        out["scopes"] = list(self.scopes)
        return out


@dataclass(frozen=True)
class Scope:
    """A responsibility scope: its legacy level, the legacy and reformed qualification ids, and the quotes."""

    id: str
    level: str
    legacy: tuple[str, ...]
    reformed: tuple[str, ...]
    quotes: tuple[Quote, ...]

    def to_dict(self) -> dict[str, Any]:
        return _fields_dict(self)


# --- qualifications -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class Qualification:
    """One qualification on one route: ``id`` is ``"<CODE>-legacy"`` or ``"<CODE>-reformed"``.

    Only what the seeds say is held: empty tuples and ``None`` mean the seeds do not give it (legacy NPQH, for
    instance, has only a name, level and target audience). ``total_hours`` is the seed's total; a component's
    ``hours`` is ``None`` where the seed gives none. Reformed programmes have ``stage_hours`` instead of components.
    """

    id: str
    code: str
    name: str
    route: Route
    scope: str
    sources: tuple[Source, ...]
    level: str | None = None
    short_name: str | None = None
    group: str | None = None
    target_audience: str | None = None
    about: tuple[Passage, ...] = ()
    entry_requirements: tuple[Passage, ...] = ()
    benefits_for_candidates: tuple[Passage, ...] = ()
    benefits_for_schools: tuple[Passage, ...] = ()
    components: tuple[Component, ...] = ()
    total_hours: int | None = None
    total_hours_source: str | None = None
    content_summary: Passage | None = None
    content_areas: tuple[str, ...] = ()
    courses: tuple[Course, ...] = ()
    courses_note: Passage | None = None
    events_note: Passage | None = None
    events: tuple[Event, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()
    assessment: Assessment | None = None
    stage_hours: tuple[StageHours, ...] = ()
    duration: Duration | None = None
    whats_next: tuple[Passage, ...] = ()
    masters_accreditation: tuple[Passage, ...] = ()

    @property
    def is_legacy(self) -> bool:
        return self.route == "legacy"

    @property
    def modules(self) -> tuple[Module, ...]:
        """Every module of every course, in course order."""
        return tuple(m for c in self.courses for m in c.modules)

    @property
    def hour_parts(self) -> tuple[tuple[str, int | None], ...]:
        """(name, hours) of each component (legacy) or stage row (reformed)."""
        if self.stage_hours:
            return tuple((s.name, s.hours) for s in self.stage_hours)
        return tuple((c.name, c.hours) for c in self.components)

    @property
    def known_hours(self) -> int:
        """The sum of the hours the seed gives part by part (unknown parts count as nothing)."""
        return sum(h for _, h in self.hour_parts if h is not None)

    @property
    def unknown_hours(self) -> tuple[str, ...]:
        """Names of the parts whose hours the seed does not give."""
        return tuple(n for n, h in self.hour_parts if h is None)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        known = ", ".join(c.id for c in self.criteria) or "none"
        raise KeyError(f"{self.id} has no criterion {criterion_id!r} (its criteria: {known}).")

    def __repr__(self) -> str:
        return f"Qualification(id={self.id!r}, name={self.name!r})"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "route": self.route,
            "legacy": self.is_legacy,
        }
        out.update(_fields_dict(self, skip=("id", "code", "name", "route")))
        out["modules"] = [{"course": m.course, "number": m.number, "title": m.title, "seed_text": m.seed_text}
                          for m in self.modules]
        out["known_hours"] = self.known_hours
        out["unknown_hours"] = list(self.unknown_hours)
        return out


@dataclass(frozen=True)
class Recommendation:
    """What ``Catalogue.recommend(scope)`` returns: reformed programmes for new candidates, legacy equivalents."""

    scope: str
    level: str
    reformed: tuple[Qualification, ...]
    legacy: tuple[Qualification, ...]
    quotes: tuple[Quote, ...]
    note: str

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.reformed)

    def to_dict(self) -> dict[str, Any]:
        def brief(q: Qualification) -> dict[str, Any]:
            return {"id": q.id, "code": q.code, "name": q.name, "route": q.route, "legacy": q.is_legacy,
                    "target_audience": q.target_audience}

        return {
            "scope": self.scope,
            "level": self.level,
            "recommended": [brief(q) for q in self.reformed],
            "legacy_equivalents": [brief(q) for q in self.legacy],
            "quotes": [q.to_dict() for q in self.quotes],
            "note": self.note,
        }


# --- the catalogue --------------------------------------------------------------------------------------------------
def _squash(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


@dataclass(frozen=True, eq=False, repr=False)
class Catalogue:
    """Everything the seeds say about the NPQs, as typed records. Build it with ``load_catalogue()``."""

    schema_version: int
    sources: tuple[Source, ...]
    qualifications: tuple[Qualification, ...]
    scopes: tuple[Scope, ...]
    roles: tuple[Role, ...]
    legacy_content_areas: tuple[ContentArea, ...]
    reformed_content_areas: tuple[ReformedContentArea, ...]
    supporting_documents: tuple[str, ...]
    behaviours: tuple[Behaviour, ...]
    behaviour_scale: BehaviourScale
    case_study: CaseStudyRules
    what_has_changed: tuple[Passage, ...]
    errata: tuple[Erratum, ...]
    verbatim_texts: tuple[VerbatimText, ...] = ()
    data_dir: str = ""

    # -- look-ups ----------------------------------------------------------------------------------------------------
    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.qualifications)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.code for q in self.qualifications))

    def get(self, qualification_id: str) -> Qualification:
        """The qualification with this id (``"NPQSL-legacy"``, ``"NPQLT-reformed"``, ...); case-insensitive."""
        wanted = str(qualification_id).strip()
        for q in self.qualifications:
            if q.id == wanted:
                return q
        for q in self.qualifications:
            if q.id.casefold() == wanted.casefold():
                return q
        hint = ""
        matches = self.by_code(wanted)
        if matches:
            hint = f" {wanted!r} is a code: use by_code({wanted!r}) or one of {', '.join(q.id for q in matches)}."
        raise KeyError(f"No qualification with id {wanted!r}.{hint} Ids are '<CODE>-legacy' or '<CODE>-reformed': "
                       f"{', '.join(self.ids)}.")

    def by_code(self, code: str) -> list[Qualification]:
        """Every qualification with this code, on either route (legacy first); ``[]`` if none. Case-insensitive."""
        wanted = str(code).strip().casefold()
        return [q for q in self.qualifications if q.code.casefold() == wanted]

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"No source {source_id!r}; sources: {', '.join(s.id for s in self.sources)}.")

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """All assessment criteria (the seeds give them for NPQML only)."""
        return tuple(c for q in self.qualifications for c in q.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"No criterion {criterion_id!r}; criteria: {', '.join(c.id for c in self.criteria)}.")

    def role(self, role: str) -> Role:
        """A role by id (``"senco"``) or by name / seed name (``"SEN coordinator"``); case-insensitive."""
        wanted = _squash(str(role))
        for r in self.roles:
            if wanted in {_squash(r.id), _squash(r.name), *(_squash(n) for n in r.seed_names)}:
                return r
        raise KeyError(f"No role {role!r}; roles: {', '.join(r.id for r in self.roles)}.")

    def roles_for(self, qualification: str) -> tuple[Role, ...]:
        """Roles the seeds place under a qualification id (``"NPQSL-legacy"``) or code (any route)."""
        ids = {q.id for q in self.by_code(qualification)} or {self.get(qualification).id}
        return tuple(r for r in self.roles if any(p.qualification in ids for p in r.placements))

    def scope(self, scope: str) -> Scope:
        """A scope by id (``"across a school"``, ``"across-a-school"``) or legacy level (``"Leading a school"``)."""
        wanted = _squash(str(scope))
        for s in self.scopes:
            if wanted in {_squash(s.id), _squash(s.level)}:
                return s
        raise ValueError(f"Unknown responsibility scope {scope!r}: choose one of "
                         f"{', '.join(repr(s.id) for s in self.scopes)} (or a level such as 'Leading a team').")

    # -- "Which NPQ is for me?" --------------------------------------------------------------------------------------
    def recommend(self, scope: str) -> Recommendation:
        """The reformed programme(s) for a responsibility scope (recommended for new candidates), the legacy
        qualification(s) at that level (marked legacy) and the seed quotes that link them."""
        s = self.scope(scope)
        reformed = tuple(self.get(i) for i in s.reformed)
        legacy = tuple(self.get(i) for i in s.legacy)
        if len(reformed) > 1:
            note = (f"{' / '.join(q.code for q in legacy)} has been replaced by {len(reformed)} specialist programmes "
                    f"({', '.join(q.code for q in reformed)}): choose the one that matches your focus.")
        else:
            note = (f"New candidates take the reformed {', '.join(q.code for q in reformed)}; the legacy "
                    f"{', '.join(q.code for q in legacy)} is listed for reference only.")
        return Recommendation(scope=s.id, level=s.level, reformed=reformed, legacy=legacy, quotes=s.quotes, note=note)

    def recommend_for_role(self, role: str) -> tuple[Recommendation, ...]:
        """One recommendation for each scope the seeds place a role at (SENCO: team and across a school)."""
        return tuple(self.recommend(s) for s in self.role(role).scopes)

    # -- export ------------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The whole catalogue as JSON-serialisable data."""
        return {
            "schema_version": self.schema_version,
            "sources": _plain(self.sources),
            "qualifications": _plain(self.qualifications),
            "scopes": _plain(self.scopes),
            "roles": _plain(self.roles),
            "legacy_content_areas": _plain(self.legacy_content_areas),
            "reformed_content_areas": _plain(self.reformed_content_areas),
            "supporting_documents": list(self.supporting_documents),
            "behaviours": _plain(self.behaviours),
            "behaviour_scale": _plain(self.behaviour_scale),
            "case_study": _plain(self.case_study),
            "what_has_changed": _plain(self.what_has_changed),
            "errata": _plain(self.errata),
        }

    def __repr__(self) -> str:
        return (f"Catalogue({len(self.qualifications)} qualifications, {len(self.roles)} roles, "
                f"{len(self.errata)} errata, from {self.data_dir or 'memory'})")
