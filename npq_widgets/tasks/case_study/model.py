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
SCHEMA_VERSION = 1
PART_KEYS = ("problems", "solutions", "rationale", "implementation")


@dataclass
class CaseStudyArtefact(Artefact):
    """Saved response: the pack it answers, when the case study was released, an optional timed practice (minutes,
    0 = the full window), the four parts as typed, and the content areas (1-10) tagged on each part."""

    TASK = TASK_ID
    SCHEMA_VERSION = SCHEMA_VERSION

    pack: str = ""
    released: str = ""
    practice_minutes: int = 0
    parts: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)


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
    tags: Mapping[str, tuple[int, ...]]
    released: str = ""
    practice_minutes: int = 0

    def words(self, key: str) -> int:
        return word_count(self.parts.get(key, ""))

    @property
    def total_words(self) -> int:
        return sum(self.words(k) for k in PART_KEYS)

    @property
    def areas(self) -> tuple[int, ...]:
        return tuple(sorted({a for v in self.tags.values() for a in v}))


def read_response(artefact: Mapping[str, Any]) -> Response:
    art = artefact if isinstance(artefact, Mapping) else {}
    raw_parts = art.get("parts") if isinstance(art.get("parts"), Mapping) else {}
    parts = {k: ("" if raw_parts.get(k) is None else str(raw_parts.get(k))) for k in PART_KEYS}
    raw_tags = art.get("tags") if isinstance(art.get("tags"), Mapping) else {}
    tags = {}
    for k in PART_KEYS:
        vals = raw_tags.get(k) if isinstance(raw_tags.get(k), list) else []
        tags[k] = tuple(sorted({int(v) for v in vals if isinstance(v, int) and not isinstance(v, bool)
                                and 1 <= v <= 10}))
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
           "ValueProblem", "paragraphs", "steps", "part_titles"]
