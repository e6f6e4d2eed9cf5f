"""Plain-text renderings of catalogue records for a terminal (standard library only)."""

from __future__ import annotations

import textwrap

from .model import Passage, Qualification

UNKNOWN = "unknown"


def _hours(hours: int | None) -> str:
    return UNKNOWN if hours is None else str(hours)


def _wrap(text: str, width: int, indent: str, bullet: str = "") -> list[str]:
    lines: list[str] = []
    hang = " " * (len(bullet) if len(bullet) <= 16 else 4)  # long labels: a short hanging indent
    for i, paragraph in enumerate(str(text).split("\n")):
        first = indent + (bullet if i == 0 else hang)
        lines += textwrap.wrap(paragraph, width=width, initial_indent=first, subsequent_indent=indent + hang,
                               break_on_hyphens=False, break_long_words=False) or [first.rstrip()]
    return lines


def _table(rows: list[tuple[str, str]], width: int, indent: str = "  ") -> list[str]:
    label_width = min(max(len(label) for label, _ in rows), width // 2)
    out = []
    for label, value in rows:
        if len(label) > label_width:
            out.append(f"{indent}{label}")
            out.append(f"{indent}{'':<{label_width}}  {value}")
        else:
            out.append(f"{indent}{label:<{label_width}}  {value}")
    return out


def format_qualification(q: Qualification, *, width: int = 88) -> str:
    """A readable plain-text summary of one qualification: name, id, route, level, audience, components and hours
    (``unknown`` where the seed gives none), total, courses and modules, events, assessment, criteria, sources."""
    title = f"{q.name} ({q.code})"
    lines = [title, "=" * min(len(title), width)]
    route = "legacy framework" if q.is_legacy else "reformed (open to new candidates)"
    lines.append(f"Id: {q.id}    Route: {route}")
    if q.group:
        lines.append(f"Group: {q.group}" + (f"    Also written: {q.short_name}" if q.short_name else ""))
    if q.level:
        lines.append(f"Level: {q.level}")
    lines.append(f"Responsibility: {q.scope}")
    if q.target_audience:
        lines.append("Target audience:" if q.is_legacy else "Who can apply:")
        lines += _wrap(q.target_audience, width, "  ")
    if q.duration:
        d = q.duration
        lines += _wrap(f"{d.programme_months} months plus {d.summative_months} months summative assessment"
                       + (" (from a merged cell in the seed's table)" if d.merged_cell else ""), width, "", "Duration: ")

    if q.components:
        lines += ["", "Components (guided learning hours):"]
        lines += _table([(c.name, _hours(c.hours)) for c in q.components] + [("Total", _hours(q.total_hours))], width)
        if q.unknown_hours:
            lines += _wrap(f"The seed gives hours for only some components ({q.known_hours} of {q.total_hours} "
                           f"hours); unknown: {', '.join(q.unknown_hours)}.", width, "  ")
    if q.stage_hours:
        lines += ["", "Programme stages (learning hours):"]
        rows = []
        for s in q.stage_hours:
            value = f"{s.hours}" + (f" ({s.days} days)" if s.days else "") + ("  [merged cell]" if s.merged_cell else "")
            rows.append((s.name, value))
        rows.append(("Total", _hours(q.total_hours)))
        lines += _table(rows, width)
        if any(s.merged_cell for s in q.stage_hours):
            lines += _wrap("[merged cell]: the seed's table gives this figure once for several programmes.", width, "  ")
    elif not q.components and q.total_hours is None and q.is_legacy:
        lines += ["", "Components and hours: not given in the seeds."]

    if q.courses:
        lines += ["", f"Online courses ({len(q.courses)} × {len(q.courses[0].modules)} modules):"]
        for c in q.courses:
            lines.append(f"  {c.title}")
            for m in c.modules:
                lines += _wrap(m.title, width, "    ", f"Module {m.number}: ")
    if q.content_areas:
        lines += ["", "Content areas:"]
        lines += [f"  {i}. {name}" for i, name in enumerate(q.content_areas, start=1)]
    if q.events:
        lines += ["", "Events:"]
        for e in q.events:
            lines.append(f"  {e.title}")
            for item in e.items:
                lines += _wrap(item, width, "    ", "- ")
    if q.behaviours:
        lines += [""] + _wrap(", ".join(b.name for b in q.behaviours), width, "", "Leadership behaviours: ")

    a = q.assessment
    if a is not None:
        lines += ["", "Assessment:"]
        facts = []
        if a.title:
            facts.append(a.title)
        if a.word_limit:
            facts.append(f"word limit {a.word_limit:,}")
        if a.min_duration_terms:
            facts.append(f"at least {a.min_duration_terms} terms")
        if a.completion_months:
            facts.append(f"pass within {a.completion_months} months")
        if facts:
            lines += _wrap("; ".join(facts), width, "  ")
        for p in a.description:
            lines += _wrap(p.text, width, "  ")
        for t in a.tasks:
            lines += _wrap(t.text, width, "  ", f"{t.name}: ")
        if a.case_study is not None:
            cs = a.case_study
            lines += _wrap(cs.requirement.text, width, "  ")
            for i, p in enumerate(cs.parts, start=1):
                lines += _wrap(p.text, width, "    ", f"{i}. ")
            lines += _wrap(cs.window.text, width, "  ")
        for part in a.parts:
            lines += _wrap(", ".join(part.content_areas), width, "  ", f"Part {part.part} ({part.aim.text}): ")
        if a.achievement_requirements:
            lines.append(f"  {a.achievement_heading or 'Requirements:'}")
            for r in a.achievement_requirements:
                lines += _wrap(r.text, width, "    ", "- ")

    if q.criteria:
        lines += ["", f"Assessment criteria ({len(q.criteria)}):"]
        for c in q.criteria:
            doc = f" [supporting document: {c.supporting_document}]" if c.supporting_document else ""
            lines += _wrap(f"{c.text}{doc}", width, "  ", f"{c.id} (Part {c.part}) ")

    lines += ["", "Sources:"]
    for s in q.sources:
        lines += _wrap(f"{s.title} ({s.file})", width, "  ", f"{s.id}: ")
    return "\n".join(lines) + "\n"


def format_passages(passages: tuple[Passage, ...], *, width: int = 88, bullet: str = "- ") -> str:
    """Bulleted plain text for a tuple of passages (e.g. ``catalogue.what_has_changed``)."""
    return "\n".join(line for p in passages for line in _wrap(p.text, width, "", bullet)) + "\n"
