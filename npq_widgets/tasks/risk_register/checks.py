"""Rules for a risk register (5.1.3). Scenario mode adds the scenario's key risks and its project lifetime.

Scenario data keys (exercises/risk-register/task.yaml): ``key_risks`` (id, label, category, keywords),
``lifetime`` (start, end as DD/MM/YYYY), ``min_risks``, optional ``rag`` (green_max, amber_max).

A register with nothing typed in it gets one message (``nothing_yet``) before any rule runs, so every rule below
sees at least one risk. Each rule is stated exactly:
- *captured*: a key risk is captured when some risk has the same category and a description containing one of the
  key risk's keywords (case-insensitive);
- *owner and mitigation*: every risk whose **inherent** rating is amber or red has an owner and at least one mitigation;
- *residual*: residual likelihood ≤ likelihood and residual impact ≤ impact, for every risk;
- *tolerate*: a risk may be tolerated only if its **residual** rating is green;
- *review dates*: every risk has a review date within the project lifetime.
"""

from __future__ import annotations

from typing import Any, Mapping

from ...domain.lifetime import ProjectLifetime
from .model import CATEGORIES, RESPONSES, RagThresholds, RiskRegister, read_lifetime, read_register
from ...domain.values import ValueProblem, format_uk_date
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules

TASK = "risk-register"
TITLE = "Risk register"
FREE_MIN_RISKS = 3
_SHOW = 6  # at most this many risk labels in one message


def _names(labels: list[str]) -> str:
    shown = labels[:_SHOW]
    more = len(labels) - len(shown)
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {more} more)" if more else "")


def _complete(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    n, need = len(reg.risks), int(ctx["min_risks"])
    if n < need:
        return False, f"The register has {n} risk{'s' if n != 1 else ''}; this task asks for at least {need}."
    bad = [r.label for r in reg.risks
           if not r.description or r.category not in CATEGORIES or not (r.cause and r.effect)
           or r.response not in RESPONSES]
    if bad:
        return False, f"{_names(bad)}: give a description, a category, the cause and effect, and a response."
    return True, f"{n} risks, each described with its category, cause, effect and response."


def _scores(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    problems = [p.message for p in reg.problems if p.field in ("likelihood", "impact", "score")]
    if problems:
        return False, " ".join(problems[:_SHOW])
    unscored = [r.label for r in reg.risks if r.score is None]
    if unscored:
        return False, f"{_names(unscored)}: choose a likelihood and an impact from 1 to 5."
    wrong = [r.label for r in reg.risks if r.stated_score is not None and r.stated_score != r.score]
    if wrong:
        return False, f"{_names(wrong)}: the score must be likelihood × impact."
    return True, "Every risk is scored on the 1–5 scales (score = likelihood × impact, 1–25)."


def _owners(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    rag: RagThresholds = ctx["rag"]
    serious = [r for r in reg.risks if r.rating(rag) in ("amber", "red")]
    bad = [r.label for r in serious if not r.owner or not r.mitigations]
    if bad:
        return False, f"{_names(bad)}: an amber or red risk needs an owner and at least one mitigation."
    if not serious:
        return True, "No risk is rated amber or red before mitigation, so none needs an owner yet."
    return True, f"All {len(serious)} amber and red risks have an owner and at least one mitigation."


def _residual(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    problems = [p.message for p in reg.problems if p.field in ("residual_likelihood", "residual_impact")]
    if problems:
        return False, " ".join(problems[:_SHOW])
    missing = [r.label for r in reg.risks if r.residual_score is None]
    if missing:
        return False, f"{_names(missing)}: give the residual likelihood and impact (after mitigation)."
    higher = [r.label for r in reg.risks if r.likelihood and r.impact and (
        r.residual_likelihood > r.likelihood or r.residual_impact > r.impact)]  # type: ignore[operator]
    if higher:
        return False, (f"{_names(higher)}: the residual likelihood and impact cannot be higher than before "
                       "mitigation.")
    return True, "Every residual likelihood and impact is at most its value before mitigation."


def _tolerate(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    rag: RagThresholds = ctx["rag"]
    bad = [r.label for r in reg.risks if r.response == "tolerate" and r.residual_rating(rag) != "green"]
    if bad:
        return False, f"{_names(bad)}: only a risk whose residual rating is green should be tolerated."
    return True, "Only low (residual green) risks are tolerated."


def _review(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    problems = [p.message for p in reg.problems if p.field == "review_date"]
    if problems:
        return False, " ".join(problems[:_SHOW])
    missing = [r.label for r in reg.risks if r.review_date is None]
    if missing:
        return False, f"{_names(missing)}: give a review date (DD/MM/YYYY)."
    life: ProjectLifetime | None = ctx.get("lifetime")
    if life is None:
        return False, ctx.get("lifetime_problem") or "The project's start and end dates are not given yet."
    outside = [r.label for r in reg.risks if not life.contains(r.review_date)]  # type: ignore[arg-type]
    if outside:
        return False, (f"{_names(outside)}: the review date must fall within the project, "
                       f"{format_uk_date(life.start)} to {format_uk_date(life.end)}.")
    return True, "Every review date falls within the project's lifetime."


def _captured(reg: RiskRegister, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    missing = []
    by_category: dict[str, list[str]] = {}
    for r in reg.risks:
        by_category.setdefault(r.category, []).append(r.description.lower())
    for key in ctx.get("key_risks") or []:
        words = [str(k).lower() for k in key.get("keywords", ())]
        texts = by_category.get(str(key.get("category", "")).lower(), [])
        if not any(w in text for text in texts for w in words):
            missing.append(key)
    total = len(ctx.get("key_risks") or [])
    if missing:
        cats = sorted({str(k.get("category")) for k in missing})
        return False, (f"{total - len(missing)} of the {total} key risks in the brief are in the register; "
                       f"still missing: {len(missing)} (look again at: {', '.join(cats)}).")
    return True, f"All {total} key risks in the brief are in the register."


def nothing_yet(reg: RiskRegister, ctx: Mapping[str, Any]) -> str | None:
    """Empty: no risk has anything typed in it (the app opens with one blank row)."""
    typed = reg.problems or any(
        r.description or r.category or r.cause or r.effect or r.likelihood is not None or r.impact is not None
        or r.response or r.owner or r.mitigations or r.residual_likelihood is not None
        or r.residual_impact is not None or r.review_date is not None for r in reg.risks)
    return None if typed else "add your first risk: what could go wrong, why, and what it would do."


def _hints(*levels: str) -> tuple[str, ...]:
    return levels


COMMON_RULES = (
    Rule("complete", _complete, hints=_hints(
        "A register a colleague can act on says what could happen, why, and what it would do.",
        "For each risk fill in the description, category, cause, effect and response.",
        "Use the menus for the category and response; cause = why it might happen, effect = what it would do.")),
    Rule("scores", _scores, hints=_hints(
        "Every risk needs a likelihood and an impact before it can be rated.",
        "Choose from the 1–5 menus: 1 rare … 5 almost certain; 1 negligible … 5 severe.")),
    Rule("owner-mitigation", _owners, hints=_hints(
        "Who is watching the serious risks, and what will they do?",
        "Every amber or red risk (before mitigation) needs a named owner and at least one mitigation.",
        "Write one mitigation per line: a concrete action that lowers the likelihood or the impact.")),
    Rule("residual", _residual, hints=_hints(
        "After your mitigations, how likely and how serious is each risk now?",
        "Give a residual likelihood and impact for every risk.",
        "Mitigation can only lower a risk: each residual value is at most the value before it.")),
    Rule("tolerate", _tolerate, hints=_hints(
        "Is 'tolerate' the right response for every risk you chose it for?",
        "Tolerating means accepting the risk: keep it for risks that are low after mitigation (green).")),
    Rule("review-dates", _review, hints=_hints(
        "When will each risk be looked at again?",
        "Give every risk a review date written DD/MM/YYYY.",
        "Review dates must fall between the project's start and end dates.")),
)
SCENARIO_RULES = (
    Rule("captured", _captured, hints=_hints(
        "Re-read the brief: which things could go wrong for this project?",
        "Look for people, money, time, pupils' information and reputation in the brief.",
        "A key risk counts when its category matches and the description names it in plain words "
        "(e.g. absence, budget, workload, personal data).")),
)


def check_register(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None = None, *,
                   attempt: int = 1) -> CheckResult:
    data = dict(scenario_data or {})
    try:
        rag = RagThresholds(**data["rag"]) if data.get("rag") else RagThresholds()
        lifetime, problem = (read_lifetime(data["lifetime"]) if data.get("lifetime") else (None, ""))
        reg = read_register(artefact, rag=rag, lifetime=lifetime)
    except (ValueProblem, TypeError) as exc:
        return CheckResult.error(TASK, str(exc), title=TITLE)
    ctx = {"min_risks": data.get("min_risks", FREE_MIN_RISKS), "rag": rag, "lifetime": reg.lifetime,
           "lifetime_problem": problem or reg.lifetime_problem, "key_risks": data.get("key_risks") or []}
    rules = (SCENARIO_RULES + COMMON_RULES) if scenario_data else COMMON_RULES
    return run_rules(TASK, rules, reg, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
