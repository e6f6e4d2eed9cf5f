""""Which NPQ is for me?" — a role or a responsibility leads to the recommended qualification(s), their hours (table
and chart) and their assessment. Reformed programmes are recommended to new candidates; the legacy equivalent is shown,
marked as such, for candidates already on it."""

from __future__ import annotations

from typing import Iterable

import ipywidgets as w

from ..catalogue import Catalogue, Qualification, Quote, Recommendation, Role, load_catalogue
from ..widgets.common import esc, figure_html, label_input, style

DOC_TYPE = "which-npq"
NOT_GIVEN = "not given in the source"
LEGACY_BADGE = "Legacy route — replaced; for candidates already on it"
REFORMED_BADGE = "Reformed route — recommended for new candidates"


def _hours(h: int | None) -> str:
    return NOT_GIVEN if h is None else f"{h}"


def hours_table(q: Qualification) -> str:
    rows = "".join(f'<tr><td>{esc(name)}</td><td class="num">{esc(_hours(h))}</td></tr>' for name, h in q.hour_parts)
    total = q.total_hours
    foot = (f'<tr><th>Total</th><th class="num">{total if total is not None else NOT_GIVEN}</th></tr>'
            if q.hour_parts or total is not None else "")
    head = "Stage" if q.stage_hours else "Component"
    unit = "Hours" if q.stage_hours else "Guided learning hours"
    if not q.hour_parts:
        return f"<p>The sources give no components or hours for {esc(q.code)} on this route.</p>"
    note = ""
    if q.unknown_hours:
        note = (f'<p class="npq-help">The source gives the total ({total} hours) but not the hours of: '
                f'{esc(", ".join(q.unknown_hours))}.</p>')
    return (f'<table class="npq-table npq-hours"><thead><tr><th>{head}</th><th class="num">{unit}</th></tr></thead>'
            f"<tbody>{rows}</tbody><tfoot>{foot}</tfoot></table>{note}")


def assessment_html(q: Qualification, cat: Catalogue) -> str:
    a = q.assessment
    if a is None:
        return "<p>The sources do not describe this qualification's assessment.</p>"
    if a.kind == "case study":
        cs = cat.case_study
        parts = "".join(f"<li>{esc(p)}</li>" for p in cs.parts)
        return (f"<p><strong>Summative case study</strong>: {esc(cs.summary)}. A response of up to "
                f"{cs.word_limit(q.code):,} words that includes:</p><ol>{parts}</ol>"
                f"<p>{esc(cs.window)}. {esc(cs.engagement)}.</p>")
    items = []
    if a.title:
        items.append(f"<p><strong>{esc(a.title)}</strong></p>")
    items += [f"<p>{esc(p)}</p>" for p in a.description]
    items += [f"<p><strong>{esc(t.name)}</strong>: {esc(t.text)}</p>" for t in a.tasks]
    if a.achievement_requirements:
        items.append(f"<p>{esc(a.achievement_heading or 'Candidates must:')}</p><ul>"
                     + "".join(f"<li>{esc(p)}</li>" for p in a.achievement_requirements) + "</ul>")
    return "".join(items)


def _quotes(quotes: Iterable[Quote], cat: Catalogue) -> str:
    out = []
    for qt in quotes:
        src = cat.source(qt.seed)
        out.append(f'<li>“{esc(qt.text)}” <span class="npq-source">— {esc(src.title)}</span></li>')
    return "<ul>" + "".join(out) + "</ul>" if out else ""


def _group_identical(quals: Iterable[Qualification]) -> list[list[Qualification]]:
    """Programmes with the same hours table (the three specialist NPQs) are shown once."""
    groups: dict[tuple, list[Qualification]] = {}
    for q in quals:
        groups.setdefault((q.hour_parts, q.total_hours), []).append(q)
    return list(groups.values())


def qualification_card(group: list[Qualification], cat: Catalogue) -> str:
    q = group[0]
    badge = LEGACY_BADGE if q.is_legacy else REFORMED_BADGE
    names = "".join(f"<h3>{esc(x.name)} ({esc(x.code)})</h3>" for x in group)
    shared = (f"<p>These {len(group)} programmes share the same structure and hours:</p>" if len(group) > 1 else "")
    level = f"<p><strong>Level:</strong> {esc(q.level)}</p>" if q.level else ""
    duration = ""
    if q.duration:
        duration = (f"<p><strong>Length:</strong> {q.duration.programme_months}-month programme plus "
                    f"{q.duration.summative_months} months summative assessment.</p>")
    audience = f"<p><strong>For:</strong> {esc(q.target_audience)}</p>" if q.target_audience else ""
    kind = "legacy" if q.is_legacy else "reformed"
    return (f'<div class="npq-card npq-qual npq-qual-{kind}" data-qualification="{esc(",".join(x.id for x in group))}">'
            f'<span class="npq-badge">{esc(badge)}</span>{names}{shared}{level}{audience}{duration}'
            f"<h4>Hours</h4>{hours_table(q)}<h4>Assessment</h4>{assessment_html(q, cat)}</div>")


def recommendation_html(rec: Recommendation, cat: Catalogue, why: Iterable[Quote] = ()) -> str:
    reformed = "".join(qualification_card(g, cat) for g in _group_identical(rec.reformed))
    legacy = "".join(qualification_card([q], cat) for q in rec.legacy)
    why_html = _quotes(why, cat)
    return (f'<section class="npq-recommendation" data-scope="{esc(rec.scope)}">'
            f"<h2>{esc(rec.level)}</h2><p>{esc(rec.note)}</p>"
            + (f"<p><strong>Why:</strong></p>{why_html}" if why_html else "")
            + f"<h3>Recommended</h3>{reformed}"
            + (f"<h3>Legacy equivalent</h3>{legacy}" if legacy else "")
            + f'<p class="npq-source"><strong>Sources:</strong></p>{_quotes(rec.quotes, cat)}</section>')


def hours_chart(groups: list[list[Qualification]], alt_prefix: str = "") -> str:
    """Horizontal bars of hours by component or stage, one panel per qualification (identical ones merged)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [g for g in groups if g[0].hour_parts]
    if not panels:
        return ""
    heights = [max(2.0, 0.55 * len(g[0].hour_parts) + 1.0) for g in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, sum(heights)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    alt = []
    for ax, group in zip(axes[:, 0], panels):
        q = group[0]
        names = [_wrap(n) for n, _ in q.hour_parts]
        values = [h or 0 for _, h in q.hour_parts]
        colour = "#6b7b8c" if q.is_legacy else "#1f5f8b"
        bars = ax.barh(names, values, color=colour)
        for bar, (_, h) in zip(bars, q.hour_parts):
            label = f" {h} h" if h is not None else " not given"
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, label, va="center", fontsize=13)
        ax.invert_yaxis()
        route = "legacy route" if q.is_legacy else "reformed route"
        total = f"{q.total_hours} hours in total" if q.total_hours is not None else "total not given"
        ax.set_title(f"{' / '.join(x.code for x in group)} ({route}) — {total}", fontsize=15, loc="left")
        ax.tick_params(labelsize=13)
        ax.set_xlim(0, max(values + [1]) * 1.25)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel("Hours", fontsize=13)
        parts = ", ".join(f"{n} {_hours(h)}" for n, h in q.hour_parts)
        alt.append(f"{' / '.join(x.code for x in group)} ({route}), {total}: {parts}")
    fig.tight_layout()
    return figure_html(fig, alt_prefix + "; ".join(alt), width_px=900)


def _wrap(text: str, width: int = 32) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


class WhichNPQ(w.VBox):
    """Pick a role or a responsibility; the recommendation, hours and assessment appear below."""

    def __init__(self, catalogue: Catalogue | None = None):
        self.cat = catalogue or load_catalogue()
        self._updating = False
        roles = sorted(self.cat.roles, key=lambda r: r.name.casefold())
        self.role = w.Dropdown(options=[("Choose your role…", "")] + [(r.name, r.id) for r in roles], value="",
                               layout=w.Layout(width="460px"))
        self.role.add_class("npq-role")
        self.scope = w.RadioButtons(options=[(s.level, s.id) for s in self.cat.scopes], value=None,
                                    layout=w.Layout(width="auto"))
        self.scope.add_class("npq-scope")
        self.result = w.HTML('<p class="npq-help">Choose a role or a responsibility to see the qualification '
                             "for you.</p>")
        self.result.add_class("npq-result")
        self.chart = w.HTML()
        self.chart.add_class("npq-chart")
        header = w.HTML(
            "<h1>Which NPQ is for me?</h1><p>National Professional Qualifications (NPQs) are for teachers and "
            "leaders at every level. Choose your role — or, if it is not listed, what you are responsible for — "
            "to see which qualification fits, how its hours are spent and how it is assessed.</p>")
        role_label = w.HTML('<div class="npq-field-label" aria-hidden="true">Your role (or the closest to it)</div>')
        label_input(self.role, "Your role (or the closest to it)")
        scope_label = w.HTML('<div class="npq-field-label">Or: what are you responsible for?</div>')
        self.save_status = w.HBox()
        super().__init__([style(), header, self.save_status,
                          w.HBox([w.VBox([role_label, self.role], layout=w.Layout(margin="0 40px 0 0")),
                                  w.VBox([scope_label, self.scope])], layout=w.Layout(flex_flow="row wrap")),
                          self.result, self.chart])
        self.add_class("npq-app")
        self.add_class("npq-which-npq")
        self.role.observe(self._on_role, "value")
        self.scope.observe(self._on_scope, "value")

    # -- state as saved work: the chosen role or scope ------------------------------------------------------
    @property
    def choice(self) -> dict[str, str | None]:
        return {"role": self.role.value or None, "scope": self.scope.value}

    @property
    def artefact(self) -> dict:
        return {"task": DOC_TYPE, "schema_version": 1, **self.choice}

    def load(self, artefact: dict) -> None:
        """Show a saved choice again (unknown roles or scopes from older data are ignored)."""
        role = artefact.get("role")
        scope = artefact.get("scope")
        if role and role in [v for _, v in self.role.options]:
            self.role.value = role
        elif scope and scope in [v for _, v in self.scope.options]:
            self.scope.value = scope

    def _on_role(self, change) -> None:
        if self._updating:
            return
        if not change["new"]:
            return
        role = self.cat.role(change["new"])
        self._updating = True
        try:
            self.scope.value = role.scopes[0] if len(role.scopes) == 1 else None
        finally:
            self._updating = False
        self.show_role(role)

    def _on_scope(self, change) -> None:
        if self._updating or change["new"] is None:
            return
        self._updating = True
        try:
            self.role.value = ""
        finally:
            self._updating = False
        self.show_scopes([change["new"]])

    def show_role(self, role: Role) -> None:
        intro = ""
        if len(role.scopes) > 1:
            quals = " and ".join(dict.fromkeys(p.code for p in role.placements))
            intro = (f'<div class="npq-card npq-two-routes"><strong>{esc(role.name)}</strong> appears under more than '
                     f"one qualification in the sources ({esc(quals)}): which fits depends on whether you lead a "
                     "team or lead across a school. Both are shown below, with the words that place the role "
                     "there.</div>")
        sections = []
        for scope in role.scopes:
            why = [qt for p in role.placements if p.scope == scope for qt in p.quotes]
            sections.append(recommendation_html(self.cat.recommend(scope), self.cat, why))
        self.result.value = f"<h2>For: {esc(role.name)}</h2>{intro}" + "".join(sections)
        self._chart(role.scopes)

    def show_scopes(self, scopes: list[str]) -> None:
        self.result.value = "".join(recommendation_html(self.cat.recommend(s), self.cat) for s in scopes)
        self._chart(scopes)

    def _chart(self, scopes: Iterable[str]) -> None:
        groups: list[list[Qualification]] = []
        for s in scopes:
            rec = self.cat.recommend(s)
            groups += _group_identical(rec.reformed) + [[q] for q in rec.legacy]
        chart = hours_chart(groups, "Bar chart of hours by component. ")
        self.chart.value = f"<h2>How the hours are spent</h2>{chart}" if chart else ""
