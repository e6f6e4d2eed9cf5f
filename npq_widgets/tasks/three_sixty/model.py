"""The 360° leadership diagnostic and the Leadership Reflection (criterion 6.1.2): the saved work and pure domain.

- The **Leadership Reflection** is seed 001's sheet: name, date, and for each of the seven behaviours a rating
  1 (high) to 4 (low) and a comment. Dated reflections are kept over the programme.
- A **360° round** (start or end of the programme) has statements — the seven behaviours plus statements aligned to
  the content areas —, the number of raters planned per group, the candidate's own ratings, and either the raters'
  response files (when the candidate collects them) or a collator's summary.
- :func:`summarise` applies the anonymity rule and is the only way others' ratings reach a report; a collator's summary
  file is exactly its output. :func:`report` adds the candidate's own ratings, blind spots and hidden strengths;
  :func:`change` compares the start and end rounds.

Ratings are 1 (high) … 4 (low), so a *bigger* number is a *lower* rating. ``None`` is "not observed".
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ...contract import Artefact
from ...domain.values import ValueProblem, parse_uk_date

SCHEMA_VERSION = 1
TASK_ID = "three-sixty"
RESPONSE_KIND = "360-response"
SUMMARY_KIND = "360-summary"
INVITATION_KIND = "360-invitation"
TRAVEL_VERSION = 1  # schema version of the three travelling files above

GROUPS = ("line_manager", "peers", "team", "others")
GROUP_LABELS = {"line_manager": "Line manager", "peers": "Peers", "team": "Team members", "others": "Others"}
STAGES = {"start": "Start of the programme", "end": "End of the programme"}
POINTS = (1, 2, 3, 4)


@dataclass
class ThreeSixtyArtefact(Artefact):
    """Saved work: the reflection being written, the kept reflections, the 360° rounds and the development plan."""

    TASK = TASK_ID
    SCHEMA_VERSION = SCHEMA_VERSION

    programme: dict = field(default_factory=dict)  # {"start": "DD/MM/YYYY", "end": "DD/MM/YYYY"}
    reflection: dict = field(default_factory=dict)  # {"date": ..., "ratings": {behaviour: {"rating", "comment"}}}
    reflections: list = field(default_factory=list)  # kept reflections, each like ``reflection``
    rounds: list = field(default_factory=list)
    raters_note: str = ""
    plan: list = field(default_factory=list)


PLAN_FIELDS = ("focus", "reason", "objective", "measure", "baseline", "target", "opportunity", "review_date")


@dataclass(frozen=True)
class Figures:
    """``exercises/three-sixty/figures.yaml``."""

    min_group_responses: int
    anonymity_rationale: str
    blind_spot_gap: float
    lowest_rated: int
    min_priorities: int
    max_priorities: int
    comment_min_words: int
    justification_min_words: int


# -- statements ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    id: str
    kind: str  # "behaviour" or "content"
    text: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "text": self.text, "detail": self.detail}


def behaviour_statements(catalogue: Any) -> list[Statement]:
    return [Statement(f"b{i}", "behaviour", b.name, b.description)
            for i, b in enumerate(catalogue.behaviours, start=1)]


def content_statements(catalogue: Any, qualification_id: str | None, *, full: bool = False) -> list[Statement]:
    """Statements aligned to the content areas. The "learn how to" statements exist for NPQML only (the seeds give
    them for NPQML); for every other qualification the six content areas as the seeds name them. The default set is
    shorter: the first "learn how to" statement of each area."""
    areas = catalogue.legacy_content_areas
    code = ""
    if qualification_id:
        try:
            code = catalogue.get(qualification_id).code
        except KeyError:
            code = ""
    if code == "NPQML":
        out = []
        for area in areas:
            for j, lht in enumerate(area.npqml, start=1):
                if j == 1 or full:
                    out.append(Statement(f"c{area.number}.{j}", "content", lht.text, area.name))
        return out
    return [Statement(f"c{a.number}", "content", a.name, "Content area") for a in areas]


def default_statements(catalogue: Any, qualification_id: str | None, *, full: bool = False) -> list[Statement]:
    return behaviour_statements(catalogue) + content_statements(catalogue, qualification_id, full=full)


def is_legacy(catalogue: Any, qualification_id: str | None) -> bool | None:
    """True for a legacy qualification, False for a reformed one, None when none is chosen."""
    if not qualification_id:
        return None
    try:
        return catalogue.get(qualification_id).route == "legacy"
    except KeyError:
        return None


# -- reading what was typed -------------------------------------------------------------------------------------------
def rating(value: Any) -> int | None:
    """A rating 1-4 from what was saved or loaded; anything else (blank, "not observed", junk) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value in POINTS:
        return value
    if isinstance(value, str) and value.strip() in {"1", "2", "3", "4"}:
        return int(value.strip())
    return None


def statements_of(rnd: Mapping[str, Any]) -> list[Statement]:
    out = []
    for s in rnd.get("statements") or []:
        if isinstance(s, Mapping) and s.get("id"):
            out.append(Statement(str(s["id"]), str(s.get("kind") or "content"), str(s.get("text") or ""),
                                 str(s.get("detail") or "")))
    return out


def planned(rnd: Mapping[str, Any]) -> dict[str, int]:
    raw = rnd.get("planned") if isinstance(rnd.get("planned"), Mapping) else {}
    out = {}
    for g in GROUPS:
        v = raw.get(g)
        if isinstance(v, bool) or v is None:
            out[g] = 0
            continue
        try:
            out[g] = max(0, int(v))
        except (TypeError, ValueError):
            out[g] = 0
    return out


def clean_response(content: Mapping[str, Any], statement_ids: Iterable[str]) -> dict[str, Any]:
    """A rater's response as the report reads it: a known group, ratings 1-4 or None per statement, comments."""
    group = content.get("group")
    group = group if group in GROUPS else "others"
    raw = content.get("ratings") if isinstance(content.get("ratings"), Mapping) else {}
    comments = content.get("comments") if isinstance(content.get("comments"), Mapping) else {}
    return {"group": group, "ratings": {sid: rating(raw.get(sid)) for sid in statement_ids},
            "comments": {k: str(comments.get(k) or "").strip()[:2000] for k in ("strengths", "develop")}}


# -- the anonymity rule and the summary ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spread:
    median: float
    low: int  # the lowest rating given (the biggest number)
    high: int  # the highest rating given (the smallest number)
    n: int
    not_observed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"median": self.median, "low": self.low, "high": self.high, "n": self.n,
                "not_observed": self.not_observed}


def spread(values: Iterable[int | None]) -> Spread | None:
    """Median and range of the ratings given; "not observed" (None) is counted apart, never as a number."""
    vals = list(values)
    given = sorted(v for v in vals if v is not None)
    if not given:
        return None
    return Spread(float(statistics.median(given)), max(given), min(given), len(given), len(vals) - len(given))


def summarise(statements: Sequence[Statement], responses: Sequence[Mapping[str, Any]], *,
              line_manager_named: bool, min_group: int = 3) -> dict[str, Any]:
    """Others' ratings as the anonymity rule allows them to be shown (the content of a collator's summary file).

    - The line manager is shown as such, and only if the candidate named one; otherwise a "line manager" response
      counts among the others.
    - Peers and team members are shown as a group only with at least ``min_group`` responses; smaller groups are
      merged into "Others", shown as a group only if the merged group reaches ``min_group``.
    - Item by item, others' ratings (median, range, the sorted ratings without who gave them) are shown only when
      the raters other than the line manager number at least ``min_group``; with fewer, their ratings appear only as
      a whole (one median and range over every statement), never item by item.
    - Comments are listed per shown group, sorted (never in the order they arrived).
    """
    ids = [s.id for s in statements]
    cleaned = [clean_response(r, ids) for r in responses]
    by_group: dict[str, list[dict]] = {g: [] for g in GROUPS}
    for r in cleaned:
        g = r["group"]
        if g == "line_manager" and not line_manager_named:
            g = "others"
        by_group[g].append(r)
    shown: dict[str, list[dict]] = {}
    if by_group["line_manager"]:
        shown["line_manager"] = by_group["line_manager"]
    merged: list[dict] = list(by_group["others"])
    for g in ("peers", "team"):
        if len(by_group[g]) >= min_group:
            shown[g] = by_group[g]
        else:
            merged += by_group[g]
    if len(merged) >= min_group:
        shown["others"] = merged
    not_lm = [r for g in ("peers", "team", "others") for r in by_group[g]]
    item_by_item = len(not_lm) >= min_group
    pool = cleaned if item_by_item else by_group["line_manager"]

    items: dict[str, Any] = {}
    for sid in ids:
        all_spread = spread(r["ratings"][sid] for r in pool)
        values = sorted(v for v in (r["ratings"][sid] for r in pool) if v is not None)
        groups = {}
        for g, rs in shown.items():
            sp = spread(r["ratings"][sid] for r in rs)
            if sp is not None:
                groups[g] = sp.to_dict()
        items[sid] = {"others": all_spread.to_dict() if all_spread else None, "values": values, "groups": groups}
    whole = None
    if not item_by_item and not_lm:
        sp = spread(v for r in not_lm for v in r["ratings"].values())
        whole = {**sp.to_dict(), "responses": len(not_lm)} if sp else None

    comments: dict[str, list[str]] = {}
    for r in cleaned:
        g = r["group"]
        if g == "line_manager" and not line_manager_named:
            g = "others"
        label = g if g in shown and g != "others" else "others"
        for key in ("strengths", "develop"):
            text = r["comments"].get(key, "")
            if text:
                comments.setdefault(f"{label}:{key}", []).append(text)
    for key in comments:
        comments[key] = sorted(comments[key], key=lambda t: (t.casefold(), t))
    return {
        "statements": [s.to_dict() for s in statements],
        "responses": len(cleaned),
        "groups": {g: len(rs) for g, rs in shown.items()},
        "item_by_item": item_by_item,
        "items": items,
        "whole_others": whole,
        "comments": comments,
        "rule": {"min_group_responses": min_group, "line_manager_named": line_manager_named},
    }


def round_summary(rnd: Mapping[str, Any], min_group: int = 3) -> dict[str, Any] | None:
    """A round's summary: the collator's, if loaded; else computed from the response files the candidate loaded."""
    if isinstance(rnd.get("summary"), Mapping) and rnd["summary"].get("items") is not None:
        return dict(rnd["summary"])
    responses = [r for r in rnd.get("responses") or [] if isinstance(r, Mapping)]
    if not responses:
        return None
    return summarise(statements_of(rnd), responses, line_manager_named=planned(rnd)["line_manager"] > 0,
                     min_group=min_group)


def responses_received(rnd: Mapping[str, Any], min_group: int = 3) -> int:
    summary = round_summary(rnd, min_group)
    return int(summary.get("responses", 0)) if summary else 0


# -- the report ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportRow:
    statement: Statement
    self_rating: int | None
    others: Spread | None
    flag: str  # "blind spot", "hidden strength" or ""

    @property
    def gap(self) -> float | None:
        """Others' median minus self: positive when the candidate rates themselves better (1 is high)."""
        if self.self_rating is None or self.others is None:
            return None
        return self.others.median - self.self_rating


def _spread_from(d: Any) -> Spread | None:
    if not isinstance(d, Mapping):
        return None
    try:
        return Spread(float(d["median"]), int(d["low"]), int(d["high"]), int(d["n"]), int(d.get("not_observed", 0)))
    except (KeyError, TypeError, ValueError):
        return None


def report(rnd: Mapping[str, Any], *, gap: float = 1.0, min_group: int = 3) -> list[ReportRow]:
    """Per statement: self, others' median and range and count, and the flag. A blind spot: the candidate rates
    themselves better than others' median by at least ``gap`` points; a hidden strength: the reverse."""
    summary = round_summary(rnd, min_group) or {}
    items = summary.get("items") if isinstance(summary.get("items"), Mapping) else {}
    own = rnd.get("self") if isinstance(rnd.get("self"), Mapping) else {}
    rows = []
    for s in statements_of(rnd):
        item = items.get(s.id) if isinstance(items.get(s.id), Mapping) else {}
        others = _spread_from(item.get("others"))
        me = rating(own.get(s.id))
        flag = ""
        if me is not None and others is not None:
            if others.median - me >= gap:
                flag = "blind spot"
            elif me - others.median >= gap:
                flag = "hidden strength"
        rows.append(ReportRow(s, me, others, flag))
    return rows


def lowest_rated(rows: Sequence[ReportRow], k: int) -> list[str]:
    """The ids of the ``k`` lowest-rated statements (ties at the edge included): by others' median, or by the
    candidate's own rating where there is no other rating."""
    scored = []
    for r in rows:
        value = r.others.median if r.others is not None else r.self_rating
        if value is not None:
            scored.append((value, r.statement.id))
    if not scored:
        return []
    scored.sort(reverse=True)
    edge = scored[min(k, len(scored)) - 1][0]
    return [sid for value, sid in scored if value >= edge]


@dataclass(frozen=True)
class Change:
    statement: Statement
    self_start: int | None
    self_end: int | None
    others_start: float | None
    others_end: float | None

    @property
    def others_change(self) -> float | None:
        """End minus start of others' median: negative is an improvement (1 is high)."""
        if self.others_start is None or self.others_end is None:
            return None
        return self.others_end - self.others_start


def round_for(artefact: Mapping[str, Any], stage: str) -> dict[str, Any] | None:
    """The latest round of a stage (``start`` or ``end``)."""
    found = [r for r in artefact.get("rounds") or [] if isinstance(r, Mapping) and r.get("stage") == stage]
    return dict(found[-1]) if found else None


def change(artefact: Mapping[str, Any], *, min_group: int = 3) -> list[Change]:
    """Start vs end per behaviour, when both rounds exist (empty otherwise)."""
    start, end = round_for(artefact, "start"), round_for(artefact, "end")
    if start is None or end is None:
        return []
    a = {r.statement.text: r for r in report(start, min_group=min_group) if r.statement.kind == "behaviour"}
    b = {r.statement.text: r for r in report(end, min_group=min_group) if r.statement.kind == "behaviour"}
    out = []
    for name in a:
        if name in b:
            out.append(Change(a[name].statement, a[name].self_rating, b[name].self_rating,
                              a[name].others.median if a[name].others else None,
                              b[name].others.median if b[name].others else None))
    return out


def describe_change(delta: float | None) -> str:
    if delta is None:
        return "not comparable"
    if delta == 0:
        return "no change"
    points = f"{abs(delta):g} point{'s' if abs(delta) != 1 else ''}"
    return f"up {points}" if delta < 0 else f"down {points}"


# -- reflections -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reflection:
    date: dt.date | None
    ratings: dict[str, int | None]
    comments: dict[str, str]
    date_text: str = ""

    @property
    def average(self) -> float | None:
        given = [v for v in self.ratings.values() if v is not None]
        return sum(given) / len(given) if given else None


def read_reflection(sheet: Any, behaviours: Sequence[str]) -> Reflection:
    sheet = sheet if isinstance(sheet, Mapping) else {}
    raw = sheet.get("ratings") if isinstance(sheet.get("ratings"), Mapping) else {}
    ratings, comments = {}, {}
    for b in behaviours:
        entry = raw.get(b) if isinstance(raw.get(b), Mapping) else {}
        ratings[b] = rating(entry.get("rating"))
        comments[b] = str(entry.get("comment") or "").strip()
    when = None
    text = str(sheet.get("date") or "").strip()
    if text:
        try:
            when = parse_uk_date(text)
        except ValueProblem:
            when = None
    return Reflection(when, ratings, comments, text)


def kept_reflections(artefact: Mapping[str, Any], behaviours: Sequence[str]) -> list[Reflection]:
    """Kept reflections in date order (undated ones last), for the chart of ratings over time."""
    out = [read_reflection(s, behaviours) for s in artefact.get("reflections") or [] if isinstance(s, Mapping)]
    return sorted(out, key=lambda r: (r.date is None, r.date or dt.date.min))


def programme_window(artefact: Mapping[str, Any]) -> tuple[dt.date, dt.date] | None:
    prog = artefact.get("programme") if isinstance(artefact.get("programme"), Mapping) else {}
    try:
        start, end = parse_uk_date(prog.get("start")), parse_uk_date(prog.get("end"))
    except ValueProblem:
        return None
    return (start, end) if start <= end else None
