"""Rules for an options appraisal (NPQEL Task 1). Free build: the common rules; a scenario adds the brief's options
and horizon.

Parameters (``figures``, exercises/options-appraisal/figures.yaml): ``options_count`` (min, max), ``horizon_years``
(min, max), ``weights_total``, ``rationale_min_words``, ``sensitivity_min_words``. Scenario data keys
(task.yaml): ``horizon_years``, ``options`` (label, keywords, baseline).

Each rule, exactly:
- *readable*: every figure typed can be read (money as £1,200, weights and the rate as numbers, scores 1–5);
- *baseline*: 2–6 named options, exactly one of them marked as the baseline (do nothing / business as usual);
- *weights*: at least two named criteria, every weight given, totalling 100;
- *scores justified*: every option has a score (1–5) and a one-line reason on every criterion scored by judgement;
  the risk criterion (if any) is scored from the options' residual risks;
- *horizon*: a horizon of 3–5 years (a scenario: its own), and every option has a cost or income figure (£0
  counts when typed) in every year from 1 to the horizon;
- *risks*: every option has at least one risk, each described, with likelihood, impact, a mitigation and a residual
  likelihood and impact, the residual score no higher than the score before mitigation;
- *recommendation*: an option is recommended; it is the top-scoring one, or the rationale (at least
  ``rationale_min_words`` words) explains why not;
- *sensitivity*: a note on sensitivity (at least ``sensitivity_min_words`` words) that names a criterion;
- *brief options* (scenario): every option the brief describes is appraised.
"""

from __future__ import annotations

from typing import Any, Mapping

from .model import Appraisal, OptionsFigures, read_appraisal
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules
from ...domain.values import word_count

TASK = "options-appraisal"
TITLE = "Options appraisal"
_SHOW = 4


def _names(labels: list[str]) -> str:
    shown = labels[:_SHOW]
    more = len(labels) - len(shown)
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {more} more)" if more else "")


def _readable(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    probs = [p.message for p in a.problems]
    if probs:
        more = f" (and {len(probs) - _SHOW} more)" if len(probs) > _SHOW else ""
        return False, " ".join(probs[:_SHOW]) + more
    return True, f"Every figure can be read; the discount rate is {a.rate:g}%."


def _baseline(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    lo, hi = ctx["options_min"], ctx["options_max"]
    n = len(a.options)
    if not lo <= n <= hi:
        return False, f"The appraisal has {n} option{'s' if n != 1 else ''}: appraise {lo} to {hi}."
    unnamed = [f"Option {o.row}" for o in a.options if not o.name]
    if unnamed:
        return False, f"{_names(unnamed)}: give each option a name."
    base = a.baseline
    if not base:
        return False, "No option is marked as the baseline: what happens if the organisation does nothing?"
    if len(base) > 1:
        return False, f"{_names([o.label for o in base])} are all marked as the baseline: only one can be."
    return True, f"{n} options, with “{base[0].label}” as the baseline the others are compared with."


def _weights(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if len(a.criteria) < 2:
        return False, "Weigh the options against at least two criteria."
    unnamed = [f"Criterion {i}" for i, c in enumerate(a.criteria, start=1) if not c.name]
    if unnamed:
        return False, f"{_names(unnamed)}: give each criterion a name."
    missing = [c.label for c in a.criteria if c.weight is None]
    if missing:
        return False, f"{_names(missing)}: give each criterion a weight."
    total, want = a.weights_total, ctx["weights_total"]
    if abs(total - want) > 1e-6:
        return False, f"The weights total {total:g}, not {want:g}."
    return True, "The weights total 100: " + ", ".join(f"{c.label} {c.weight:g}" for c in a.criteria) + "."


def _justified(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    judged = [c for c in a.criteria if c.scored_by == "judgement"]
    if not a.options or not judged:
        return False, "There is nothing scored yet: add the options and the criteria."
    unscored = [f"{o.label} on {c.label}" for o in a.options for c in judged if c.id not in o.scores]
    if unscored:
        return False, f"Not scored yet: {_names(unscored)}."
    bare = [f"{o.label} on {c.label}" for o in a.options for c in judged if not o.reasons.get(c.id)]
    if bare:
        return False, f"A score needs its reason: {_names(bare)}."
    risky = [c for c in a.criteria if c.scored_by == "risk"]
    tail = f"; {risky[0].label} is scored from each option's residual risks" if risky else ""
    return True, f"Every score has its reason ({len(a.options)} options × {len(judged)} criteria{tail})."


def _horizon(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if a.horizon is None:
        return False, f"How many years does the appraisal look ahead? Give {ctx['horizon_min']} to {ctx['horizon_max']}."
    want = ctx.get("scenario_horizon")
    if want is not None and a.horizon != int(want):
        return False, f"The appraisal looks {a.horizon} years ahead; re-read the brief for the period."
    if not a.options:
        return False, "There are no options to cost yet."
    gaps = []
    for o in a.options:
        years = [t for t in range(1, a.horizon + 1) if not any((k, t) in o.entered for k in
                                                                ("one_off_costs", "recurring_costs",
                                                                 "one_off_income", "recurring_income"))]
        if years:
            gaps.append(f"{o.label} (year{'s' if len(years) > 1 else ''} {', '.join(map(str, years))})")
    if gaps:
        return False, (f"Some years have no figures: {_names(gaps)}. Every option needs its costs and income in "
                       f"every year up to year {a.horizon} (type £0 where there are none).")
    return True, f"Every option is costed over years 0 to {a.horizon}, with NPVs at {a.rate:g}%."


def _risks(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if not a.options:
        return False, "There are no options yet, so no risks."
    none = [o.label for o in a.options if not o.risks]
    if none:
        return False, f"{_names(none)}: no risk yet. Even doing nothing has risks."
    incomplete, unmitigated, worse = [], [], []
    for o in a.options:
        for r in o.risks:
            where = f"{o.label}, risk {r.row}"
            if not r.description or r.score is None:
                incomplete.append(where)
            elif not r.mitigation or r.residual_score is None:
                unmitigated.append(where)
            elif r.residual_score > r.score:
                worse.append(where)
    if incomplete:
        return False, f"{_names(incomplete)}: describe the risk and give its likelihood and impact (1–5 each)."
    if unmitigated:
        return False, (f"{_names(unmitigated)}: give a mitigation and the likelihood and impact that remain after "
                       "it (the residual risk).")
    if worse:
        return False, f"{_names(worse)}: the residual risk is higher than the risk before mitigation."
    n = sum(len(o.risks) for o in a.options)
    counts = {"red": 0, "amber": 0, "green": 0}
    for o in a.options:
        for r in o.risks:
            counts[a.rag.rating(r.residual_score) or "green"] += 1
    return True, (f"{n} risks scored and mitigated; after mitigation {counts['red']} red, {counts['amber']} amber, "
                  f"{counts['green']} green.")


def _recommendation(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if not a.recommendation:
        return False, "No option is recommended yet."
    chosen = a.option(a.recommendation)
    if chosen is None:
        return False, "The recommended option is not one of the options: choose it again."
    best = a.preferred
    if best is None:
        return False, "Score every option on every criterion first: the recommendation is judged against the scores."
    mine = next(r for r in a.results() if r.option is chosen)
    if mine.weighted is not None and mine.weighted >= (best.weighted or 0) - 1e-9:  # the top score (or level with it)
        return True, f"“{chosen.label}” is recommended, the top weighted score ({mine.weighted:.2f} out of 5)."
    need = int(ctx["rationale_min_words"])
    words = word_count(a.rationale)
    if words < need:
        return False, (f"“{chosen.label}” is recommended but “{best.option.label}” scores higher "
                       f"({best.weighted:.2f}): explain why not in at least {need} words (you have {words}).")
    return True, f"“{chosen.label}” is recommended over the top-scoring “{best.option.label}”, with the reasons why."


def _sensitivity(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    note = a.sensitivity_note
    need = int(ctx["sensitivity_min_words"])
    if word_count(note) < need:
        return False, "Say how sensitive the choice is to the weights: look at the sensitivity chart and sentences."
    named = [c.label for c in a.criteria if c.name and c.name.lower() in note.lower()]
    if not named:
        return False, "The note on sensitivity should name the criterion whose weight matters most."
    return True, f"Sensitivity is considered (it names {_names(named)})."


def _brief_options(a: Appraisal, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    missing = []
    for want in ctx.get("brief_options") or ():
        keys = [str(k).lower() for k in want.get("keywords") or ()]
        if not any(any(k in o.name.lower() for k in keys) for o in a.options):
            missing.append(str(want.get("label", keys[0] if keys else "?")))
    if missing:
        return False, f"The brief has options that are not appraised yet: {_names(missing)}."
    return True, "Every option in the brief is appraised."


def nothing_yet(a: Appraisal, ctx: Mapping[str, Any]) -> str | None:
    typed = a.problems or any(o.name or o.description or o.scores or o.entered or any(
        r.description or r.likelihood for r in o.risks) for o in a.options) or any(
        c.name or c.weight is not None for c in a.criteria) or a.recommendation or a.rationale or a.sensitivity_note
    return None if typed else "name your options (business as usual among them) and your criteria with their weights."


COMMON_RULES = (
    Rule("readable", _readable, hints=(
        "Some figures could not be read: look for the messages next to the boxes.",
        "Type money as £1,200 or 1200.50, weights and the rate as plain numbers, scores from 1 to 5.")),
    Rule("baseline", _baseline, hints=(
        "An appraisal compares options with what happens if nothing changes.",
        "Add a 'business as usual' option and tick it as the baseline; appraise 2 to 6 options in all.")),
    Rule("weights", _weights, hints=(
        "Which criteria matter most to the board, and how much?",
        "Give every criterion a weight; the weights must add up to exactly 100.")),
    Rule("scores-justified", _justified, hints=(
        "A board will ask why each option scored what it did.",
        "Score every option 1–5 on every criterion and write one line saying why.")),
    Rule("horizon", _horizon, hints=(
        "A strategy's costs and income do not stop after the first year.",
        "Choose the horizon (3–5 years) and fill in every option's costs and income for each year; type £0 where "
        "there are none.")),
    Rule("risks", _risks, hints=(
        "What could go wrong with each option — business as usual included?",
        "Give every option at least one risk with its likelihood and impact, a mitigation, and the residual "
        "likelihood and impact after it.")),
    Rule("recommendation", _recommendation, hints=(
        "Which option do you recommend to the board?",
        "Choose the recommended option; if it is not the top-scoring one, explain why in the rationale.")),
    Rule("sensitivity", _sensitivity, hints=(
        "Would the recommendation change if the board weighted the criteria differently?",
        "Read the sensitivity chart and sentences, then write a sentence naming the criterion whose weight "
        "matters most and where the recommendation would change.")),
)
SCENARIO_RULES = (
    Rule("brief-options", _brief_options, hints=(
        "Re-read the brief: which options are on the table?",
        "Appraise every option the brief lists, business as usual included.")),
)


def check_appraisal(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None, figures: OptionsFigures,
                    *, attempt: int = 1) -> CheckResult:
    data = dict(scenario_data or {})
    appraisal = read_appraisal(artefact, figures)
    ctx = {
        "options_min": figures.options_count.min, "options_max": figures.options_count.max,
        "horizon_min": figures.horizon_years.min, "horizon_max": figures.horizon_years.max,
        "weights_total": figures.weights_total.value,
        "rationale_min_words": figures.rationale_min_words.value,
        "sensitivity_min_words": figures.sensitivity_min_words.value,
        "scenario_horizon": data.get("horizon_years"),
        "brief_options": [o for o in data.get("options") or () if isinstance(o, Mapping)],
    }
    rules = (SCENARIO_RULES + COMMON_RULES) if scenario_data else COMMON_RULES
    return run_rules(TASK, rules, appraisal, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
