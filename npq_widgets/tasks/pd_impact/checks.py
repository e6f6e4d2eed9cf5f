"""Rules for PD impact and cost-effectiveness (6.1.3). A scenario adds its given data (the results to compare and
the programme's cost and reach); the free build checks the same things against the candidate's own figures.

Scenario data keys (exercises/pd-impact/task.yaml): ``design``, ``group1`` and ``group2`` (mean, sd, n — the results
to compare, the PD group first), ``cost``, ``pupils``, ``years``.

Each rule, exactly:
- *effect size*: both groups' mean, SD and n are given and give an effect size; in a scenario, the figures are the
  brief's (so the effect size is the one its data gives, ±0.005);
- *months*: the months of progress chosen equal the EEF look-up of that effect size;
- *cost*: cost, pupils and years are given (a scenario: the brief's cost ±£0.50 and pupils);
- *cost band*: the band chosen equals the EEF band of the cost per pupil per year;
- *evaluation plan*: evidence (≥ ``min_words`` words) planned at ≥ ``min_levels`` of Guskey's five levels;
- *level 5*: evidence of pupil learning outcomes (Guskey level 5) is planned (≥ ``min_words_level5`` words);
- *conclusion*: a judgement of impact and cost-effectiveness of ≥ ``min_conclusion_words`` words.
"""

from __future__ import annotations

from typing import Any, Mapping

from .model import EefFigures, PdEvaluation, effect_size, read_pd
from ...domain.values import format_money, word_count
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules

TASK = "pd-impact"
TITLE = "PD impact and cost-effectiveness"
LIMITS = {"min_levels": 3, "min_words": 6, "min_words_level5": 8, "min_conclusion_words": 25}


def _effect(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    probs = [p.message for p in pd.problems if p.field.startswith(("group1", "group2"))]
    if probs:
        return False, " ".join(probs[:3])
    if pd.effect_size is None:
        return False, pd.effect_size_problem
    d = pd.effect_size
    want = ctx.get("expected_effect")
    if want is not None:
        if ctx.get("design") and pd.design != ctx["design"]:
            return False, "The design chosen is not the one the brief's data comes from."
        if abs(d - want) > 0.005:
            if abs(d + want) <= 0.005:
                return False, (f"The effect size from your figures is {d:.2f}: negative, because the groups are the "
                               "wrong way round — the PD group comes first.")
            return False, (f"The effect size from your figures is {d:.2f}, not the one the brief's data gives: check "
                           "which results you compared, and the standard deviations and numbers of pupils.")
    return True, f"Effect size {d:.2f} (difference in means {pd.group1.mean - pd.group2.mean:g} ÷ pooled SD " \
                 f"{pd.pooled_sd:.2f})."  # type: ignore[operator]


def _months(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    figures: EefFigures = ctx["figures"]
    if pd.stated_months is None:
        return False, "Choose the months of additional progress the effect size means."
    m = pd.months(figures)
    if m is None:
        return False, "The months cannot be judged until the effect size can be worked out."
    if pd.stated_months != m:
        return False, f"{pd.stated_months} months is not what the EEF table gives for an effect size of " \
                      f"{pd.effect_size:.2f}."
    return True, f"An effect size of {pd.effect_size:.2f} is about {m} months of additional progress."


def _cost(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    probs = [p.message for p in pd.problems if p.field in ("cost", "pupils", "years")]
    if probs:
        return False, " ".join(probs)
    missing = [w for w, v in (("the cost", pd.cost), ("the pupils reached", pd.pupils), ("the years", pd.years))
               if not v]
    if missing:
        return False, "Give " + " and ".join(missing) + " of the programme."
    if ctx.get("cost") is not None and abs(pd.cost - float(ctx["cost"])) > 0.5:  # type: ignore[operator]
        return False, f"A cost of {format_money(pd.cost)} is not the programme's full cost in the brief."  # type: ignore[arg-type]
    if ctx.get("pupils") is not None and pd.pupils != int(ctx["pupils"]):
        return False, f"{pd.pupils} pupils is not the number the programme reached in the brief."
    if ctx.get("years") is not None and abs((pd.years or 0) - float(ctx["years"])) > 1e-9:
        return False, f"Over {pd.years:g} years? Re-read how long the programme ran."
    return True, (f"Cost per pupil per year: {format_money(pd.per_pupil_per_year)} "  # type: ignore[arg-type]
                  f"({format_money(pd.cost)} ÷ {pd.pupils} pupils ÷ {pd.years:g} year{'s' if pd.years != 1 else ''}).")


def _band(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    figures: EefFigures = ctx["figures"]
    if not pd.stated_band:
        return False, "Choose the EEF cost band for the cost per pupil per year."
    band = pd.band(figures)
    if band is None:
        return False, "The cost band cannot be judged until the cost, pupils and years are given."
    if pd.stated_band != band.id:
        chosen = figures.band(pd.stated_band)
        return False, (f"'{chosen.label if chosen else pd.stated_band}' is not the EEF band for "
                       f"{format_money(pd.per_pupil_per_year)} per pupil per year.")  # type: ignore[arg-type]
    return True, f"{format_money(pd.per_pupil_per_year)} per pupil per year is a {band.label} cost."  # type: ignore


def _plan(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    figures: EefFigures = ctx["figures"]
    levels = pd.planned_levels(ctx["min_words"])
    need = ctx["min_levels"]
    if len(levels) < need:
        return False, (f"Evidence is planned at {len(levels)} of Guskey's five levels; plan it at {need} or more "
                       f"(at least {ctx['min_words']} words each).")
    names = [g.name.lower() for g in figures.guskey if g.level in levels]
    return True, f"Evidence is planned at {len(levels)} levels: {', '.join(names)}."


def _level5(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if word_count(pd.evaluation.get(5, "")) < ctx["min_words_level5"]:
        return False, "There is no plan yet for evidence of pupils' learning outcomes (Guskey level 5)."
    return True, "The plan judges the PD by pupils' learning outcomes (level 5)."


def _conclusion(pd: PdEvaluation, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    n = word_count(pd.conclusion)
    if n < ctx["min_conclusion_words"]:
        return False, f"The conclusion has {n} words: judge the impact and the cost-effectiveness in at least " \
                      f"{ctx['min_conclusion_words']}."
    return True, f"The conclusion judges impact and cost-effectiveness ({n} words)."


def nothing_yet(pd: PdEvaluation, ctx: Mapping[str, Any]) -> str | None:
    """Empty: no figure, choice or text has been given (the number of years starts at 1 and the design is chosen for
    the learner, so neither counts)."""
    groups = (pd.group1, pd.group2)
    typed = pd.problems or pd.cost is not None or pd.pupils is not None or pd.measure or pd.stated_months is not None \
        or pd.stated_band or pd.conclusion.strip() or any(str(v).strip() for v in pd.evaluation.values()) \
        or any(g.mean is not None or g.sd is not None or g.n is not None for g in groups)
    return None if typed else ("start with the results: the mean, standard deviation and number of pupils for "
                               "each group.")


RULES = (
    Rule("effect-size", _effect, hints=(
        "Which two sets of results show what the PD changed?",
        "Compare the PD group with the comparison group on the same test at the same time, PD group first.",
        "Effect size = difference in means ÷ pooled SD; the pooled SD combines both groups' SDs, weighted by n − 1.")),
    Rule("months", _months, hints=(
        "Look the effect size up in the EEF table.",
        "Round the effect size to 2 decimal places first, then find the band it falls in.")),
    Rule("cost", _cost, hints=(
        "What did the programme cost in total, and how many pupils did it reach?",
        "Include every cost in the brief, and count the pupils taught by the teachers who took part.")),
    Rule("cost-band", _band, hints=(
        "Look the cost per pupil per year up in the EEF cost bands.",
        "Cost per pupil per year = total cost ÷ pupils ÷ years; mind which band edges are 'less than' and which "
        "'up to'.")),
    Rule("evaluation-plan", _plan, hints=(
        "How will you know whether the PD worked, at each level?",
        "Guskey's levels run from teachers' reactions to pupils' outcomes; plan evidence at several of them.")),
    Rule("level-5", _level5, hints=(
        "Criterion 6.1.3 judges PD 'in terms of pupil outcomes'.",
        "Say what pupil results you will compare, against whom, and when.")),
    Rule("conclusion", _conclusion, hints=(
        "Was it worth it? Say so, and why.",
        "Weigh the months of progress against the cost band, and say how secure the evidence is.")),
)


def check_pd(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None, figures: EefFigures, *,
             attempt: int = 1) -> CheckResult:
    pd = read_pd(artefact)
    data = dict(scenario_data or {})
    ctx: dict[str, Any] = dict(LIMITS, figures=figures)
    if data.get("group1") and data.get("group2"):
        g1, g2 = data["group1"], data["group2"]
        try:
            ctx["expected_effect"] = effect_size(float(g1["mean"]), float(g1["sd"]), int(g1["n"]),
                                                 float(g2["mean"]), float(g2["sd"]), int(g2["n"]))
        except Exception as exc:  # noqa: BLE001 - a broken scenario is reported, never raised
            return CheckResult.error(TASK, f"The scenario's data could not be read: {exc}", title=TITLE)
    ctx.update({k: data.get(k) for k in ("design", "cost", "pupils", "years")})
    return run_rules(TASK, RULES, pd, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
