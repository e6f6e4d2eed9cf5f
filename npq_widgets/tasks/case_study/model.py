"""The case-study response: the typed artefact, its figures (parameters) and the four parts, read tolerantly.

The four parts are seed 004's (via the catalogue): "Identifying the problem(s)", "Identifying the solution(s)",
"Setting the rationale for the solution", "Identifying the implementation steps required".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...contract import Artefact
from ...domain.values import ValueProblem, word_count
from ...domain.window import Window, parse_uk_datetime

TASK_ID = "case-study"
# 1: content areas tagged per part ({"problems": [1, 4], ...}).
# 2: content areas tagged per paragraph: {"problems": [{"start": "The central problem is…", "areas": [1, 4]}, ...]},
#    one entry per paragraph (a blank-line-separated block) in order; ``start`` is the paragraph's first words, so a
#    tag stays with its paragraph when one is added or removed above it.
SCHEMA_VERSION = 2
PART_KEYS = ("problems", "solutions", "rationale", "implementation")
START_WORDS = 8


@dataclass
class CaseStudyArtefact(Artefact):
    """Saved response: the pack it answers, when the case study was released, an optional timed practice (minutes,
    0 = the full window), the four parts as typed, and the content areas (1-10) tagged on each paragraph of each part
    (see SCHEMA_VERSION for the form)."""

    TASK = TASK_ID
    SCHEMA_VERSION = SCHEMA_VERSION

    pack: str = ""
    released: str = ""
    practice_minutes: int = 0
    parts: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> "CaseStudyArtefact":
        """Read tolerantly, migrating version-1 work (tags per part) to tags per paragraph."""
        art = super().from_dict(data)
        art.tags = paragraph_tags(art.parts, art.tags)
        return art


@dataclass(frozen=True)
class CaseStudyFigures:
    """exercises/case-study/figures.yaml (every key documented there with its source)."""

    word_limit: int
    window_days: int
    release_day_number: int
    deadline_time: str
    timezone: str
    timed_practice_minutes: int
    min_part_words: int
    min_steps: int
    evidence_sources: tuple[str, ...] = ()
    owner_words: tuple[str, ...] = ()
    time_words: tuple[str, ...] = ()
    monitoring_words: tuple[str, ...] = ()


def part_titles() -> dict[str, str]:
    """part key -> the seed's heading (the catalogue's corrected text)."""
    from ...catalogue import load_catalogue

    parts = load_catalogue().case_study.parts
    return {k: str(p) for k, p in zip(PART_KEYS, parts)}


@dataclass(frozen=True)
class Response:
    pack: str
    parts: Mapping[str, str]
    tags: Mapping[str, tuple[tuple[int, ...], ...]]  # part -> the areas of each of its paragraphs, in order
    released: str = ""
    practice_minutes: int = 0

    def words(self, key: str) -> int:
        return word_count(self.parts.get(key, ""))

    @property
    def total_words(self) -> int:
        return sum(self.words(k) for k in PART_KEYS)

    @property
    def areas(self) -> tuple[int, ...]:
        """Every content area the response's paragraphs are tagged with."""
        return tuple(sorted({a for paras in self.tags.values() for areas in paras for a in areas}))

    def part_areas(self, key: str) -> tuple[int, ...]:
        return tuple(sorted({a for areas in self.tags.get(key, ()) for a in areas}))

    def untagged(self) -> list[tuple[str, int]]:
        """(part, paragraph number from 1) of every paragraph with no content area tagged."""
        return [(k, i) for k in PART_KEYS for i, areas in enumerate(self.tags.get(k, ()), start=1) if not areas]


def _areas_of(value: Any) -> list[int]:
    vals = value if isinstance(value, list) else []
    return sorted({int(v) for v in vals if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 10})


def paragraph_start(paragraph: str, words: int = START_WORDS) -> str:
    """A paragraph's first words, as its tags remember it (and as the page shows it)."""
    return " ".join(paragraph.split()[:words])


def align_tags(paras: list[str], entries: list[Mapping[str, Any]]) -> list[list[int]]:
    """The areas of each paragraph in ``paras`` from saved ``entries`` ({"start", "areas"} per paragraph): a
    paragraph takes the entry with its own first words; failing that, the entry at its position, if that entry's
    paragraph is no longer there (its first words were edited). A new paragraph starts untagged."""
    starts = [paragraph_start(p) for p in paras]
    out: list[list[int] | None] = [None] * len(paras)
    used: set[int] = set()
    for i, st in enumerate(starts):
        for j, e in enumerate(entries):
            if j not in used and str(e.get("start", "")) == st:
                out[i], used = _areas_of(e.get("areas")), used | {j}
                break
    for i in range(len(paras)):
        if out[i] is None and i < len(entries) and i not in used and str(entries[i].get("start", "")) not in starts:
            out[i], used = _areas_of(entries[i].get("areas")), used | {i}
    return [a or [] for a in out]


def paragraph_tags(parts: Mapping[str, Any], tags: Any) -> dict[str, list[dict[str, Any]]]:
    """Tags in the current form (one ``{"start", "areas"}`` per paragraph of each part), from either form:

    - version 1 tagged a whole part (a list of area numbers): each of the part's paragraphs takes those areas, so
      the response touches exactly the areas it touched before, and the candidate can then narrow them down;
    - version 2 entries are aligned to the paragraphs as they are now (:func:`align_tags`).
    """
    parts = parts if isinstance(parts, Mapping) else {}
    tags = tags if isinstance(tags, Mapping) else {}
    out: dict[str, list[dict[str, Any]]] = {}
    for k in PART_KEYS:
        paras = paragraphs("" if parts.get(k) is None else str(parts.get(k)))
        raw = tags.get(k)
        if isinstance(raw, list) and raw and not any(isinstance(v, Mapping) for v in raw):  # version 1
            areas = [_areas_of(raw)] * len(paras)
        else:
            entries = [e for e in raw if isinstance(e, Mapping)] if isinstance(raw, list) else []
            areas = align_tags(paras, entries)
        out[k] = [{"start": paragraph_start(p), "areas": list(a)} for p, a in zip(paras, areas)]
    return out


def read_response(artefact: Mapping[str, Any]) -> Response:
    art = artefact if isinstance(artefact, Mapping) else {}
    raw_parts = art.get("parts") if isinstance(art.get("parts"), Mapping) else {}
    parts = {k: ("" if raw_parts.get(k) is None else str(raw_parts.get(k))) for k in PART_KEYS}
    tagged = paragraph_tags(parts, art.get("tags"))
    tags = {k: tuple(tuple(e["areas"]) for e in tagged[k]) for k in PART_KEYS}
    minutes = art.get("practice_minutes")
    minutes = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0 else 0
    return Response(str(art.get("pack") or ""), parts, tags, str(art.get("released") or ""), minutes)


def window_for(response: Response, figures: CaseStudyFigures) -> Window | None:
    """The response's window, or None when no release time is given; ValueProblem if it cannot be read."""
    if not response.released.strip():
        return None
    from zoneinfo import ZoneInfo
    import datetime as dt

    tz = ZoneInfo(figures.timezone)
    released = parse_uk_datetime(response.released, tz=tz)
    h, m, s = (int(x) for x in figures.deadline_time.split(":"))
    return Window(released, days=figures.window_days - figures.release_day_number + 1,
                  minutes=response.practice_minutes or None, end_of_day=dt.time(h, m, s), tz=tz)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


_STEP = re.compile(r"^\s*(?:[-•*–]|\d+[.)]|step\s+\d+[:.]?)\s*", re.I)


def steps(text: str) -> list[str]:
    """Implementation steps: the numbered or bulleted lines; failing two such lines, the paragraphs; failing two of
    those, the sentences."""
    lines = [ln for ln in (text or "").splitlines() if ln.strip()]
    listed = [_STEP.sub("", ln).strip() for ln in lines if _STEP.match(ln)]
    if len(listed) >= 2:
        return [s for s in listed if s]
    paras = paragraphs(text)
    if len(paras) >= 2:
        return paras
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text or "") if s.strip()]


__all__ = ["CaseStudyArtefact", "CaseStudyFigures", "Response", "read_response", "window_for", "PART_KEYS",
           "ValueProblem", "paragraphs", "steps", "part_titles", "paragraph_tags", "paragraph_start", "align_tags"]
