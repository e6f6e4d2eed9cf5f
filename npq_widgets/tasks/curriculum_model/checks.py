"""Checks for the curriculum and staffing model, with graduated hints (never the answer outright).

Rules: every figure readable; every school complete (pupils, curriculum, teachers, periods in the cycle, income);
on a scenario, the schools' figures are the brief's; the candidate's reading of each school's flags (contact ratio
below / around / above the target; staff cost high or not) matches the measures; at least one what-if scenario changes
the curriculum; on a scenario, one what-if meets the brief's target saving without a group above the class-size limit;
a recommendation for stakeholders that uses the figures.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from ...checks import CheckResult, Rule, run_rules
from ...domain.values import format_money, word_count
from .model import CurriculumFigures, Trust, contact_flag, read_trust, staff_cost_flag

TASK = "curriculum-model"
TITLE = "Curriculum and staffing model"


def _readable(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if t.problems:
        return False, f"{len(t.problems)} figure(s) could not be read, e.g. {t.problems[0].message}"
    return True, "Every figure could be read."


def _complete(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if not t.schools:
        return False, "There are no schools in the model yet."
    missing = []
    for s in t.schools:
        gaps = [what for what, ok in (("pupils", s.pupils > 0), ("curriculum plan", any(r.periods_to_staff for r in
                                      s.curriculum)), ("teachers", any(tc.fte for tc in s.teachers)),
                                      ("periods in the cycle", bool(s.periods_per_cycle)), ("income", bool(s.income)))
                if not ok]
        if gaps:
            missing.append(f"{s.label} ({', '.join(gaps)})")
    if missing:
        return False, "Some schools are missing figures the measures need: " + "; ".join(missing) + "."
    return True, f"All {len(t.schools)} school(s) have pupils, a curriculum plan, teachers, a cycle and income."


def _as_brief(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    brief: Trust = ctx["brief_trust"]
    target = ctx["target"]
    want = brief.metrics(target)
    have = t.metrics(target)
    changed = []
    for sid, m in want.items():
        h = next((x for k, x in have.items() if k.lower() == sid.lower()), None)
        if h is None:
            changed.append(f"{sid} is missing")
            continue
        if (abs(h.periods_to_staff - m.periods_to_staff) > 1e-6 or abs(h.fte_held - m.fte_held) > 1e-6
                or abs(h.teaching_cost - m.teaching_cost) > 0.5 or abs(h.pupils - m.pupils) > 1e-6
                or abs((h.income or 0) - (m.income or 0)) > 0.5):
            changed.append(brief.school(sid).label)  # type: ignore[union-attr]
    if changed:
        return False, ("The current position should be the trust's data; it differs for: " + ", ".join(changed)
                       + ". Put changes in a what-if scenario instead.")
    return True, "The current position is the trust's data, unchanged."


def _flags(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    fig: CurriculumFigures = ctx["figures"]
    given = ctx["answers"].get("flags")
    given = given if isinstance(given, Mapping) else {}
    wrong, blank = [], []
    for s in t.schools:
        m = t.metrics(ctx["target"])[s.id]
        ans = given.get(s.id) if isinstance(given.get(s.id), Mapping) else {}
        for key, truth in (("contact", contact_flag(m.contact_ratio, ctx["target"], fig.contact_ratio_tolerance.value)),
                           ("staff_cost", staff_cost_flag(m.staff_cost_share, fig.staff_cost_high_percent.value))):
            said = str(ans.get(key) or "")
            if not said:
                blank.append(s.label)
            elif truth and said != truth:
                wrong.append(f"{s.label} ({'contact ratio' if key == 'contact' else 'staff cost'})")
    if blank:
        return False, "Say for every school how its contact ratio and staff cost compare with the benchmarks: " \
                      + ", ".join(dict.fromkeys(blank)) + " not done yet."
    if wrong:
        return False, "Look again at the measures for: " + ", ".join(wrong) + "."
    return True, "Your reading of every school's contact ratio and staff cost matches the measures."


def _whatif(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    real = [w for w in t.whatifs if w.changes]
    if not real:
        return False, "There is no what-if scenario with a change yet."
    for w in real:
        diffs, unmatched = t.compare(w, ctx["target"])
        if unmatched:
            return False, f"'{w.title}': {unmatched[0]}."
    return True, f"{len(real)} what-if scenario(s), each changing the curriculum of a school."


def _target(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    want = float(ctx["target_fte_saving"])
    limit = ctx["figures"].max_class_size.value
    best = None
    for w in t.whatifs:
        diffs, unmatched = t.compare(w, ctx["target"])
        if unmatched or not diffs:
            continue
        saving = -sum(d.fte for d in diffs)
        largest = max((d.largest_class for d in diffs if d.largest_class is not None), default=0.0)
        if largest > limit + 1e-9:
            continue
        if best is None or saving > best[1]:
            best = (w, saving, sum(d.cost for d in diffs))
    if best is None:
        return False, (f"No what-if scenario keeps every changed group at {limit:g} pupils or fewer while saving "
                       "teacher time yet.")
    w, saving, cost = best
    if saving + 1e-9 < want:
        return False, (f"Your best scenario, '{w.title}', needs {saving:.2f} FTE fewer teachers; the brief asks for "
                       f"at least {want:g}.")
    return True, (f"'{w.title}' needs {saving:.2f} FTE fewer teachers ({format_money(-cost)} a year), with no "
                  f"changed group above {limit:g} pupils.")


def _recommendation(t: Trust, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    text = str(ctx["answers"].get("recommendation") or "")
    n, need = word_count(text), ctx["figures"].recommendation_min_words
    if n < need:
        return False, f"The recommendation has {n} word(s); write at least {need} for the stakeholders."
    if not re.search(r"\d", text):
        return False, "The recommendation does not use any figure from the model yet."
    return True, f"A recommendation of {n} words that uses the model's figures."


def nothing_yet(t: Trust, ctx: Mapping[str, Any]) -> str | None:
    answers = ctx["answers"]
    flags = answers.get("flags") if isinstance(answers.get("flags"), Mapping) else {}
    said = any(isinstance(v, Mapping) and any(v.values()) for v in flags.values())
    if said or str(answers.get("recommendation") or "").strip() or any(w.changes for w in t.whatifs):
        return None
    brief = ctx.get("brief_trust")
    untouched = not t.schools or (brief is not None and t.metrics(ctx["target"]) == brief.metrics(ctx["target"])
                                  and not t.problems)
    if untouched or not any(s.pupils or s.curriculum or s.teachers or s.income for s in t.schools):
        return ("read each school's measures and say how its contact ratio and staff cost compare with the "
                "benchmarks." if brief is not None else "add your first school: its pupils, curriculum plan, "
                "teachers and income.")
    return None


RULES_COMMON_HEAD = (
    Rule("readable", _readable, hints=(
        "Some figures could not be read: look for the messages next to the tables.",
        "Type periods, groups, pupils and FTE as plain numbers, and money as £1,200 or 1200.")),
    Rule("complete", _complete, hints=(
        "Every measure needs a school's pupils, curriculum plan, teachers, timetable cycle and income.",
        "Look for the school whose table is empty or whose cycle or income box is blank.")),
)
BRIEF_RULES = (
    Rule("as-brief", _as_brief, hints=(
        "The current position is what the schools do now.",
        "Try changes in a what-if scenario, so both can be compared side by side; reload the brief's data to undo.")),
)
FLAG_RULES = (
    Rule("flags", _flags, hints=(
        "Compare each school's contact ratio and staff cost share with the benchmarks shown next to them.",
        "The contact ratio is periods taught ÷ (periods in the cycle × FTE teachers): compare it with the target "
        "and its tolerance; staff cost is high above the benchmark share of income.",
        "A school with more teachers than its timetable needs has a contact ratio below the target.")),
)
RULES_COMMON_TAIL = (
    Rule("what-if", _whatif, hints=(
        "A model is for asking 'what if?': try a change to the curriculum plan.",
        "Add a what-if scenario and change the number of groups in a year group and subject (in one school, or two "
        "schools sharing a subject).")),
)
TARGET_RULES = (
    Rule("target", _target, hints=(
        "Which school has more teacher time than its curriculum needs?",
        "Fewer, larger groups free teacher periods: each period a cycle is 1 ÷ (periods in the cycle × target "
        "contact ratio) FTE.",
        "Keep every changed group within the class-size limit: pupils in the year ÷ groups.")),
)
RECOMMENDATION = (
    Rule("recommendation", _recommendation, hints=(
        "What should the stakeholders do, and why?",
        "Use the measures in your recommendation: FTE, contact ratio, cost, and the scenario's difference.")),
)


def check_model(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None, figures: CurriculumFigures,
                *, attempt: int = 1) -> CheckResult:
    trust = read_trust(artefact)
    data = dict(scenario_data or {})
    answers = artefact.get("answers") if isinstance(artefact.get("answers"), Mapping) else {}
    ctx = {"figures": figures, "target": figures.contact_ratio_target.value, "answers": answers,
           "brief_trust": read_trust({"schools": data["schools"]}) if data.get("schools") else None,
           "target_fte_saving": data.get("target_fte_saving", 0)}
    if scenario_data:
        rules = RULES_COMMON_HEAD + BRIEF_RULES + FLAG_RULES + RULES_COMMON_TAIL + TARGET_RULES + RECOMMENDATION
    else:
        rules = RULES_COMMON_HEAD + FLAG_RULES + RULES_COMMON_TAIL + RECOMMENDATION
    return run_rules(TASK, rules, trust, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
