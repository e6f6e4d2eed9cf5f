"""Rules for a project budget (5.1.1). Free build: the common rules; a scenario adds its own figures and lines.

Parameters (``figures``, from exercises/budget/figures.yaml): ``min_whole_terms``, ``surplus_max_percent``,
``contingency_percent`` (min, max), ``on_costs_percent`` (min, max). Scenario data keys (exercises/budget/task.yaml):
``lifetime``, ``pupils``, ``on_costs_percent``, ``contingency_min_percent``, ``release_days``,
``required_categories``, ``min_staffing_lines``, ``staff`` (groups: label, rate, keywords, own_staff), and optionally
``surplus_max_percent``.

Each rule, exactly:
- *readable*: every figure typed can be read (money as £1,200 or 1200.50, hours and days as numbers ≥ 0);
- *lifetime*: the project has start and end dates covering at least ``min_whole_terms`` whole terms;
- *every term costed*: each term the lifetime touches has a cost above £0, and no amount sits in a term outside it;
- *staffing with on-costs*: there is at least one staffing line with hours, rate and weeks; every staffing line says
  whether it is for the school's own staff (the choice is made, not left blank) and, in a scenario, agrees with the
  brief's ``staff`` (each group's ``own_staff``; a line is matched to a group by its hourly rate, else by keywords in
  its description); for the school's own staff an on-costs percentage within the plausible range (a scenario:
  exactly its figure);
- *release time as cover*: supply-cover days ≥ the teacher days out of class on the CPD lines (and ≥ a scenario's
  ``release_days``), each cover line with a daily rate;
- *contingency*: a contingency percentage above 0 within the range (a scenario: at least its minimum);
- *balances*: the cost is above £0, funding − cost ≥ £0 and any surplus ≤ ``surplus_max_percent`` of the cost;
- *per-pupil cost*: the number of pupils reached is given (a scenario: the brief's), so the cost per pupil is stated.
"""

from __future__ import annotations

from typing import Any, Mapping

from .model import CATEGORY_IDS, DEFAULT_LABELS, Budget, BudgetFigures, read_budget, read_lifetime
from ...domain.values import ValueProblem, format_money
from ...checks.result import CheckResult
from ...checks.rules import Rule, run_rules

TASK = "budget"
TITLE = "Project budget"
_SHOW = 4
_EPS = 0.005  # half a penny


def _names(labels: list[str]) -> str:
    shown = labels[:_SHOW]
    more = len(labels) - len(shown)
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {more} more)" if more else "")


def _pct(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") + "%"


def _empty(b: Budget) -> tuple[bool, str] | None:
    return (False, "The budget has no cost lines yet.") if not b.lines else None


def _readable(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    probs = [p.message for p in b.problems if p.field != "terms"]
    if probs:
        more = f" (and {len(probs) - _SHOW} more)" if len(probs) > _SHOW else ""
        return False, " ".join(probs[:_SHOW]) + more
    if (e := _empty(b)) is not None:
        return e
    n, m = len(b.lines), len(b.income)
    return True, (f"Every figure in the {n} cost line{'s' if n != 1 else ''} and {m} funding line"
                  f"{'s' if m != 1 else ''} can be read.")


def _lifetime(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    life = b.lifetime
    if life is None:
        return False, b.lifetime_problem or "The project's start and end dates are not given yet."
    need = int(ctx["min_whole_terms"])
    whole = life.whole_terms()
    if len(whole) < need:
        return False, (f"The project runs {life.describe()}; the budget must cover the whole lifetime of a project "
                       f"of at least {need} whole terms.")
    return True, f"The budget covers the project's lifetime: {life.describe()}."


def _every_term(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    if b.lifetime is None:
        return False, "Give the project's dates first: the budget's columns are the terms they cover."
    outside = [p.message for p in b.problems if p.field == "terms"]
    if outside:
        return False, " ".join(outside[:_SHOW])
    t = b.totals()
    empty = [term for term in t.terms if t.cost[term] <= 0]
    if empty:
        return False, f"No cost is planned yet in {_names(empty)}: every term of the project needs its costs."
    return True, "Every term is costed: " + "; ".join(f"{term} {format_money(t.cost[term])}" for term in t.terms) + "."


def _staffing(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    staff = [ln for ln in b.lines if ln.category == "staffing"]
    if not staff:
        return False, ("There is no staffing line: whose time does the project use? Staff time is usually the "
                       "largest cost.")
    incomplete = [ln.label for ln in staff if not (ln.hours_per_week and ln.rate and sum(ln.quantities.values()))]
    if incomplete:
        return False, f"{_names(incomplete)}: give the hours per week, the hourly rate and the weeks in each term."
    need = int(ctx.get("min_staffing_lines") or 1)
    if len(staff) < need:
        return False, f"The budget has {len(staff)} staffing line; the brief describes {need} groups of staff to cost."
    undecided = [ln.label for ln in staff if ln.employed is None]
    if undecided:
        return False, (f"{_names(undecided)}: say whether the line is for the school's own staff (employer on-costs "
                       "apply) or for agency or contracted staff who invoice (no on-costs).")
    wrong = [ln.label for ln in staff if (g := _staff_group(ln, ctx.get("staff") or ())) is not None
             and bool(g.get("own_staff")) != ln.employed]
    if wrong:
        return False, (f"{_names(wrong)}: check the brief for who employs these staff — the school's own staff have "
                       "employer on-costs, agency staff who invoice do not.")
    employed = [ln for ln in staff if ln.employed]
    if not employed:
        return True, "Staffing is costed; no line is for the school's own staff, so no employer on-costs apply."
    onc = b.on_costs_percent
    if not onc:
        return False, ("The school's own staff cost more than their pay: employer on-costs (National Insurance "
                       "and pension) are missing.")
    exact = ctx.get("scenario_on_costs")
    if exact is not None and abs(onc - float(exact)) > 1e-9:
        return False, f"The on-costs of {_pct(onc)} are not the figure the brief gives for the school's own staff."
    lo, hi = float(ctx["on_costs_min"]), float(ctx["on_costs_max"])
    if exact is None and not lo <= onc <= hi:
        return False, (f"Employer on-costs of {_pct(onc)} look unlikely: most schools' are between {_pct(lo)} "
                       f"and {_pct(hi)} of pay. Check the figure with the finance office.")
    t = b.totals()
    return True, (f"Staffing costs {format_money(t.staffing_total)} including {format_money(t.total_on_costs)} "
                  f"employer on-costs ({_pct(onc)}) for the school's own staff.")


def _staff_group(line: Any, groups: Any) -> Mapping[str, Any] | None:
    """The brief's group of staff a staffing line costs: the one with the line's hourly rate, else the one whose
    keywords its description contains; None when no group matches (the line is not judged against the brief)."""
    for g in groups:
        if line.rate is not None and g.get("rate") is not None and abs(float(g["rate"]) - line.rate) < _EPS:
            return g
    text = line.description.lower()
    for g in groups:
        if any(str(k).lower() in text for k in g.get("keywords") or ()):
            return g
    return None


def _cover(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    release = sum(ln.release_days for ln in b.lines if ln.category == "cpd")
    need = max(release, float(ctx.get("release_days") or 0))
    cover = [ln for ln in b.lines if ln.category == "cover"]
    no_rate = [ln.label for ln in cover if not ln.rate]
    if no_rate:
        return False, f"{_names(no_rate)}: give the daily rate for supply cover."
    days = sum(ln.days for ln in cover)
    if need <= 0:
        if ctx.get("scenario"):
            return False, "The brief takes teachers out of their lessons: that time needs costing."
        if cover:
            return True, f"{days:g} days of supply cover are costed."
        return True, "No CPD line takes teachers out of class, so no supply cover is needed."
    if days + 1e-9 < need:
        return False, (f"Teachers are out of class for {need:g} days, but supply cover is costed for {days:g}: "
                       "release time must be paid for as cover.")
    return True, f"Release time is costed as supply cover: {days:g} days for {need:g} days out of class."


def _contingency(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    c = b.contingency_percent
    if not c:
        return False, "There is no contingency for costs that rise or were missed."
    lo = float(ctx.get("contingency_min") or 0)
    hi = float(ctx["contingency_max"])
    if c < lo:
        return False, f"A contingency of {_pct(c)} is below the minimum the brief asks for."
    if c > hi:
        return False, f"A contingency of {_pct(c)} is more than {_pct(hi)}: money held back is money not spent on pupils."
    return True, f"A contingency of {_pct(c)} ({format_money(b.totals().total_contingency)}) is set aside."


def _balance(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    if not b.income:
        return False, "There is no funding line yet: where does the money come from?"
    t = b.totals()
    if t.total_cost <= _EPS:
        return False, "The budget has no costs yet (its total is £0), so there is nothing for the funding to balance."
    if t.total_funding <= 0:
        return False, "The funding lines have no amounts yet."
    if t.total_cost <= 0:
        return False, "There are no costs yet to balance the funding against: fill in the cost lines first."
    limit = float(ctx["surplus_max"])
    bal = t.balance
    if bal < -_EPS:
        return False, (f"The budget is short by {format_money(-bal)}: funding {format_money(t.total_funding)} "
                       f"against costs of {format_money(t.total_cost)}.")
    if t.surplus_percent is not None and t.surplus_percent > limit + 1e-9:
        return False, (f"Funding is {format_money(bal)} more than the cost ({_pct(t.surplus_percent)} of it); a "
                       f"surplus of at most {_pct(limit)} is expected.")
    return True, (f"The budget balances: funding {format_money(t.total_funding)}, cost {format_money(t.total_cost)}, "
                  f"balance {format_money(bal)}.")


def _per_pupil(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    if not b.pupils:
        return False, "How many pupils does the project reach? The cost per pupil cannot be stated without it."
    want = ctx.get("scenario_pupils")
    if want is not None and b.pupils != int(want):
        return False, f"The budget says {b.pupils} pupils are reached; re-read the brief for the number."
    t = b.totals()
    if t.cost_per_pupil is None:
        return False, "The cost per pupil needs costs: the budget's total is £0."
    return True, f"Cost per pupil reached: {format_money(t.cost_per_pupil)} ({b.pupils} pupils)."


def _brief_lines(b: Budget, ctx: Mapping[str, Any]) -> tuple[bool, str]:
    if (e := _empty(b)) is not None:
        return e
    have = {ln.category for ln in b.lines}
    labels = ctx.get("labels") or DEFAULT_LABELS
    missing = [labels[c] for c in ctx.get("required_categories") or () if c not in have]
    if missing:
        return False, f"The brief has costs that are not in the budget yet (look again at: {', '.join(missing)})."
    return True, "Every kind of cost in the brief has a line in the budget."


def nothing_yet(b: Budget, ctx: Mapping[str, Any]) -> str | None:
    """Empty: no cost line has anything typed in it. Funding alone is not a budget (it used to 'balance' against a
    cost of £0)."""
    typed = any(p.field != "terms" for p in b.problems) or any(
        ln.description or ln.hours_per_week or ln.rate or ln.release_days or any(ln.quantities.values())
        or ln.outside for ln in b.lines)
    return None if typed else "add your first cost: what it is for and what it costs in each term."


def _hints(*levels: str) -> tuple[str, ...]:
    return levels


COMMON_RULES = (
    Rule("readable", _readable, hints=_hints(
        "Some figures could not be read: look for the messages next to the boxes.",
        "Type money as £1,200 or 1200.50 (pounds and pence), and hours, weeks and days as plain numbers.")),
    Rule("lifetime", _lifetime, hints=_hints(
        "A budget covers the whole lifetime of the project, not just one part of it.",
        "Give the start and end dates (DD/MM/YYYY); the project needs at least two whole terms.")),
    Rule("every-term", _every_term, hints=_hints(
        "Look along each column: does every term of the project have its costs?",
        "Spread each line across the terms in which it is spent; a term with nothing in it has been missed.",
        "Amounts can only go in terms inside the project's dates.")),
    Rule("staffing-on-costs", _staffing, hints=_hints(
        "What does a member of staff cost the school, beyond their pay?",
        "Cost staff time as hours per week × weeks × hourly rate, and add the employer's on-costs for the "
        "school's own staff.",
        "Answer 'School's own staff?' on every staffing line: Yes for employees (on-costs apply), No for agency "
        "tutors who invoice (no on-costs).")),
    Rule("release-cover", _cover, hints=_hints(
        "When a teacher leaves their class for training, who teaches the class, and who pays?",
        "Add a supply cover line: days out of class × the daily rate.",
        "Count every teacher day out of lessons on the CPD lines; the cover days should add up to at least that.")),
    Rule("contingency", _contingency, hints=_hints(
        "What if a cost rises or something was missed?",
        "Set aside a contingency as a percentage of the cost.")),
    Rule("balance", _balance, hints=_hints(
        "Compare the total funding with the total cost.",
        "The balance (funding − cost) must not be negative, and any surplus should be small.",
        "Adjust the funding lines (or the costs) until the balance is £0 or a small surplus.")),
    Rule("per-pupil", _per_pupil, hints=_hints(
        "Governors often ask: what does this cost per pupil?",
        "Give the number of pupils the project reaches; the cost per pupil is the total cost divided by it.")),
)
SCENARIO_RULES = (
    Rule("brief-lines", _brief_lines, hints=_hints(
        "Re-read the brief: which kinds of cost does it mention?",
        "Look for staff time, time out of lessons, training, and materials.")),
)


def check_budget(artefact: Mapping[str, Any], scenario_data: Mapping[str, Any] | None, figures: BudgetFigures,
                 *, attempt: int = 1) -> CheckResult:
    data = dict(scenario_data or {})
    try:
        lifetime, problem = read_lifetime(data["lifetime"]) if data.get("lifetime") else (None, "")
        labels = figures.labels or DEFAULT_LABELS
        budget = read_budget(artefact, lifetime=lifetime, category_labels=labels)
    except (ValueProblem, TypeError, KeyError) as exc:
        return CheckResult.error(TASK, f"The budget could not be read: {exc}", title=TITLE)
    if problem:
        return CheckResult.error(TASK, problem, title=TITLE)
    ctx = {
        "scenario": bool(scenario_data),
        "labels": labels,
        "min_whole_terms": figures.min_whole_terms.value,
        "surplus_max": data.get("surplus_max_percent", figures.surplus_max_percent.value),
        "contingency_max": figures.contingency_percent.max,
        "contingency_min": data.get("contingency_min_percent", 0),
        "on_costs_min": figures.on_costs_percent.min,
        "on_costs_max": figures.on_costs_percent.max,
        "scenario_on_costs": data.get("on_costs_percent"),
        "scenario_pupils": data.get("pupils"),
        "release_days": data.get("release_days", 0),
        "required_categories": [c for c in data.get("required_categories", ()) if c in CATEGORY_IDS],
        "min_staffing_lines": data.get("min_staffing_lines", 1),
        "staff": [g for g in data.get("staff") or () if isinstance(g, Mapping)],
    }
    rules = (SCENARIO_RULES + COMMON_RULES) if scenario_data else COMMON_RULES
    return run_rules(TASK, rules, budget, ctx, attempt=attempt, title=TITLE, empty=nothing_yet)
