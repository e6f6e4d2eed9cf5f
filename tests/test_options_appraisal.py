"""Options appraisal (NPQEL Task 1): NPV and payback against hand-worked cases, weighted scores and sensitivity
thresholds worked by hand, the checks, the exports (xlsx recalculated by LibreOffice, the board paper read back),
the command line, and the app driven without a kernel."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from npq_widgets.cli import main
from npq_widgets.registry import get_task, view_class
from npq_widgets.tasks.options_appraisal.checks import _recommendation
from npq_widgets.tasks.options_appraisal.model import (Threshold, npv, payback_year, read_appraisal, sensitivity,
                                                       sensitivity_sentences)
from tests.libreoffice import find_row, needs_libreoffice, recalculate

FIXTURES = Path(__file__).parent / "fixtures"
TASK = get_task("options-appraisal")
SCENARIO = TASK.scenario("northfield-growth")


def model() -> dict:
    return copy.deepcopy(dict(SCENARIO.model_answer))


def appraisal(art=None):
    return read_appraisal(art or model(), TASK.figures)


def by_label(a):
    return {r.option.label: r for r in a.results()}


# -- NPV and payback, by hand -------------------------------------------------------------------------------------
def test_npv_year_0_is_not_discounted_hand_worked():
    # -£1,000 now, £600 in each of years 1 and 2 at 10%: 600/1.1 = 545.4545…, 600/1.21 = 495.8678… → £41.32
    assert npv(10, [-1000, 600, 600]) == pytest.approx(41.32, abs=0.005)
    # Excel's NPV over every year (year 0 discounted too) would give 41.32 / 1.1 = 37.57: not what we compute
    assert npv(10, [-1000, 600, 600]) != pytest.approx(41.32 / 1.1, abs=0.5)
    # the hub: -£120,000 now, then £45,000 a year for 5 years at 3.5%; annuity factor (1 - 1.035^-5)/0.035 = 4.515052
    assert npv(3.5, [-120000] + [45000] * 5) == pytest.approx(-120000 + 45000 * 4.515052, abs=0.05)
    assert round(npv(3.5, [-120000] + [45000] * 5), 2) == 83177.36
    assert npv(0, [-5, 2, 3]) == 0


@pytest.mark.parametrize("flows,year", [
    ([-1000, 600, 600], 2),             # -1000, -400, +200
    ([-120000] + [45000] * 5, 3),       # -120000, -75000, -30000, +15000
    ([-35000, -8000] + [12000] * 4, 5),  # the new primary: back to +5000 in year 5
    ([0, -40000, -45000], None),        # business as usual never pays back
    ([0, 100, 100], 0),                 # no outlay to pay back
    ([100, -300, 300], 2),              # 100, -200, +100
])
def test_payback_year_hand_worked(flows, year):
    assert payback_year(flows) == year


def test_numpy_financial_agrees_where_it_is_installed():
    npf = pytest.importorskip("numpy_financial", reason="numpy_financial is optional")
    flows = [-120000] + [45000] * 5
    assert npv(3.5, flows) == pytest.approx(npf.npv(0.035, flows))  # numpy_financial's npv starts at t=0 too


def test_model_answer_weighted_scores_and_npvs_by_hand():
    res = by_label(appraisal())
    # weights 30/25/15/10/20; scores (K5 from the highest residual risk: 16 -> 2, 6 -> 4, 12 -> 3, 9 -> 3)
    hand = {"Business as usual (do nothing)": (30 * 1 + 25 * 2 + 15 * 4 + 10 * 1 + 20 * 2) / 100,   # 1.90
            "Shared services hub": (30 * 5 + 25 * 3 + 15 * 3 + 10 * 4 + 20 * 4) / 100,              # 3.90
            "A new primary joins the trust": (30 * 3 + 25 * 5 + 15 * 2 + 10 * 5 + 20 * 3) / 100,    # 3.55
            "Curriculum partnership": (30 * 3 + 25 * 4 + 15 * 2 + 10 * 4 + 20 * 3) / 100}           # 3.20
    assert {k: round(r.weighted, 4) for k, r in res.items()} == hand
    d = [1 / 1.035 ** t for t in range(6)]
    npvs = {"Business as usual (do nothing)": -(40000 * d[1] + 45000 * d[2] + 50000 * d[3] + 55000 * d[4]
                                               + 60000 * d[5]),
            "Shared services hub": -120000 + 45000 * sum(d[1:]),
            "A new primary joins the trust": -35000 - 8000 * d[1] + 12000 * sum(d[2:]),
            "Curriculum partnership": -30000 - 15000 * d[1] + 5000 * d[2] + 15000 * d[3] + 20000 * (d[4] + d[5])}
    for k, value in npvs.items():
        assert res[k].npv == pytest.approx(value, abs=0.005)
    assert round(res["Business as usual (do nothing)"].npv, 2) == -224200.17
    assert res["Shared services hub"].net_cost == -105000  # costs 245,000 - income 350,000
    assert [res[k].payback for k in hand] == [None, 3, 5, 5]
    assert appraisal().preferred.option.label == "Shared services hub"


# -- sensitivity, by hand -----------------------------------------------------------------------------------------
def test_sensitivity_thresholds_hand_worked():
    s = {x.criterion.id: x for x in sensitivity(appraisal())}
    # Financial sustainability (30): others 25/15/10/20 (70). A_hub = 240/70, A_primary = 265/70; scores 5 vs 3.
    # Level where w = 100(A_p - A_o)/((A_p - A_o) - (s_p - s_o)) = 100(-25/70)/(-25/70 - 2) = 2500/165 = 15.15
    assert s["K1"].lower.weight == pytest.approx(2500 / 165)
    assert s["K1"].lower.takes_over == "A new primary joins the trust" and s["K1"].upper is None
    # Impact on pupils (25): others 30/15/10/20 (75). A_hub = 315/75, A_primary = 230/75; scores 3 vs 5 -> 8500/235
    assert s["K2"].upper.weight == pytest.approx(8500 / 235) and s["K2"].lower is None
    # Capacity (15): others (85). A_hub = 345/85, A_bau = 130/85; scores 3 vs 4 -> 100·215/300 = 71.67
    assert s["K3"].upper.weight == pytest.approx(21500 / 300)
    assert s["K3"].upper.takes_over == "Business as usual (do nothing)"
    assert "K5" in s and s["K5"].lower is None and s["K5"].upper is None
    assert sensitivity_sentences(appraisal())[0] == (
        "The recommendation (Shared services hub) holds unless Financial sustainability is weighted below 15.2 "
        "(A new primary joins the trust then comes first).")


@pytest.mark.parametrize("cid", ["K1", "K2", "K3", "K4"])
def test_at_each_threshold_the_lead_really_changes_with_proportional_scaling(cid):
    """Move the weight just past the threshold, scale the others so the total is 100, re-score: the named option
    is now first; just before it, the hub still is."""
    base = appraisal()
    s = next(x for x in sensitivity(base) if x.criterion.id == cid)
    t = s.lower or s.upper
    step = -0.05 if s.lower else 0.05
    for w, leader in ((t.weight - step, "Shared services hub"), (t.weight + step, t.takes_over)):
        art = model()
        old = float(next(c["weight"] for c in art["criteria"] if c["id"] == cid))
        for c in art["criteria"]:
            c["weight"] = str(w if c["id"] == cid else float(c["weight"]) * (100 - w) / (100 - old))
        a = appraisal(art)
        assert a.weights_total == pytest.approx(100)
        assert a.preferred.option.label == leader


# -- checks --------------------------------------------------------------------------------------------------------
def test_model_answer_passes_every_check():
    result = TASK.check(model())
    assert result.passed_all, [i.message for i in result.items if not i.passed]
    assert [i.id for i in result.items] == ["brief-options", "readable", "baseline", "weights", "scores-justified",
                                            "horizon", "risks", "recommendation", "sensitivity"]


def test_v1_fixture_passes():
    assert TASK.check(json.loads((FIXTURES / "options-appraisal-v1.json").read_text())).passed_all


def _failing(art) -> dict[str, str]:
    return {i.id: i.message for i in TASK.check(art).items if not i.passed}


def test_no_baseline_and_two_baselines():
    art = model()
    art["options"][0]["baseline"] = False
    assert "No option is marked as the baseline" in _failing(art)["baseline"]
    art["options"][0]["baseline"] = art["options"][1]["baseline"] = True
    assert "only one can be" in _failing(art)["baseline"]
    art = model()
    art["options"] = art["options"][:1]
    assert "appraise 2 to 6" in _failing(art)["baseline"]


def test_weights_must_total_100():
    art = model()
    art["criteria"][0]["weight"] = "20"
    assert _failing(art)["weights"] == "The weights total 90, not 100."


def test_every_score_needs_a_reason():
    art = model()
    art["options"][2]["scores"]["K2"]["why"] = ""
    assert "A new primary joins the trust on Impact on pupils" in _failing(art)["scores-justified"]
    art = model()
    art["options"][1]["scores"]["K1"]["score"] = ""
    assert "Not scored yet: Shared services hub on Financial sustainability" in _failing(art)["scores-justified"]


def test_costs_cover_the_horizon():
    art = model()
    del art["options"][1]["flows"]["recurring_costs"]["4"]
    del art["options"][1]["flows"]["recurring_income"]["4"]
    assert "Shared services hub (year 4)" in _failing(art)["horizon"]
    art = model()
    art["horizon_years"] = "3"
    assert "re-read the brief" in _failing(art)["horizon"]


def test_risks_scored_and_mitigated():
    art = model()
    art["options"][3]["risks"][0]["mitigation"] = ""
    assert "Curriculum partnership, risk 1" in _failing(art)["risks"]
    art = model()
    art["options"][3]["risks"][0]["residual_impact"] = "5"  # 3 × 5 = 15 > 4 × 3 = 12
    assert "higher than the risk before" in _failing(art)["risks"]
    art = model()
    art["options"][0]["risks"] = []
    assert "Even doing nothing has risks" in _failing(art)["risks"]


def test_recommendation_not_top_needs_its_reasons():
    art = model()
    art["recommendation"] = "O3"
    art["rationale"] = "Growth."
    assert "scores higher (3.90)" in _failing(art)["recommendation"]
    art["rationale"] = ("The new primary scores a little lower overall, but the board's first duty is to pupils in "
                        "the area, the school has asked to join, and the hub could follow in two years once the "
                        "trust is larger and the savings greater.")
    assert "recommendation" not in _failing(art)


def test_sensitivity_must_be_looked_at():
    art = model()
    art["sensitivity_note"] = ""
    assert "sensitive" in _failing(art)["sensitivity"]
    art["sensitivity_note"] = "It is quite robust whichever way the board looks at the numbers overall."
    assert "name the criterion" in _failing(art)["sensitivity"]


def test_brief_options_and_unreadable_money_is_reported_not_lost():
    art = model()
    art["options"][3]["name"] = "Something else"
    assert "a curriculum partnership" in _failing(art)["brief-options"]
    art = model()
    art["options"][1]["flows"]["one_off_costs"]["0"] = "lots"
    failing = _failing(art)
    assert "Shared services hub: one-off costs in year 0 must be an amount" in failing["readable"]
    assert "lots" in failing["readable"]


def test_hints_are_graduated():
    art = model()
    art["options"][0]["baseline"] = False
    first, later = TASK.check(art, attempt=1).hint, TASK.check(art, attempt=2).hint
    assert first != later and "baseline" in later


# -- exports -------------------------------------------------------------------------------------------------------
def test_xlsx_has_live_sumproduct_and_npv_from_year_1(tmp_path):
    from openpyxl import load_workbook

    out = TASK.export(model(), "xlsx", tmp_path / "oa.xlsx")
    wb = load_workbook(out)
    ap, cf = wb["Appraisal"], wb["Cash flows"]
    texts = [c.value for row in ap.iter_rows() for c in row if isinstance(c.value, str)]
    assert sum(t.startswith("=SUMPRODUCT($B$") for t in texts) == 4  # one weighted score per option
    npvs = [c.value for row in cf.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=") and "NPV(" in c.value]
    assert len(npvs) == 4 and all(v.startswith("=B") and "+NPV(" in v and ",C" in v for v in npvs)


@needs_libreoffice
def test_xlsx_recalculated_by_libreoffice_matches_the_app(tmp_path):
    out = TASK.export(model(), "xlsx", tmp_path / "oa.xlsx")
    wb = recalculate(out, tmp_path / "calc")
    ap, cf = wb["Appraisal"], wb["Cash flows"]
    head = find_row(ap, 1, "Option")
    cols = {ap.cell(head, c).value: c for c in range(1, 12)}
    res = by_label(appraisal())
    for r in range(head + 1, head + 5):
        label = ap.cell(r, 1).value.replace(" (baseline)", "")
        assert ap.cell(r, cols["Weighted score (out of 5)"]).value == pytest.approx(res[label].weighted)
        assert ap.cell(r, cols["NPV (£)"]).value == pytest.approx(res[label].npv, abs=0.005)
        assert ap.cell(r, cols["Net cost (£)"]).value == pytest.approx(res[label].net_cost)
    weights = find_row(ap, 1, "Weight")
    assert ap.cell(weights, 7).value == 100  # the live total of the weights
    assert round(cf.cell(find_row(cf, 1, "Net present value at the discount rate"), 2).value, 2) == -224200.17


@needs_libreoffice
def test_xlsx_risk_criterion_is_live_change_a_residual_risk_and_the_weighted_score_follows(tmp_path):
    from openpyxl import load_workbook

    out = TASK.export(model(), "xlsx", tmp_path / "oa.xlsx")
    wb = load_workbook(out)
    rk, ap = wb["Risks"], wb["Appraisal"]
    head = find_row(ap, 1, "Option")
    hub_row = next(r for r in range(head + 1, head + 5) if ap.cell(r, 1).value == "Shared services hub")
    assert str(ap.cell(hub_row, 6).value).startswith("=IF(SUMPRODUCT(")  # the risk criterion (K5) is a formula
    r = find_row(rk, 2, "Schools resist losing local control of finance")
    rk.cell(r, 9).value = 5  # residual impact 3 -> 5: residual 2 × 5 = 10, so the risk criterion scores 3, not 4
    wb.save(tmp_path / "edited.xlsx")
    calc = recalculate(tmp_path / "edited.xlsx", tmp_path / "calc")
    assert calc["Appraisal"].cell(hub_row, 6).value == 3
    assert calc["Appraisal"].cell(hub_row, 7).value == pytest.approx(3.90 - 20 * 1 / 100)  # 3.70
    assert calc["Risks"].cell(r, 10).value == 10 and calc["Risks"].cell(r, 11).value == "amber"


def test_board_paper_reads_back(tmp_path):
    from docx import Document

    out = TASK.export(model(), "docx", tmp_path / "paper.docx")
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["1. Purpose", "2. Options considered", "3. Appraisal", "4. Risks", "5. Sensitivity",
                        "6. Recommendation", "7. Decision sought"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Recommended option: Shared services hub." in text
    assert "The board is asked to approve the shared services hub" in text
    assert "Synthetic" in text and "3.5%" in text
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    hub = next(r for r in rows if r[0] == "Shared services hub")
    assert hub[-4:] == ["3.90", "£83,177.36", "-£105,000.00", "year 3"]


# -- the command line ----------------------------------------------------------------------------------------------
def test_cli_check_and_export_through_the_registry(tmp_path, capsys):
    src = tmp_path / "work.json"
    src.write_text(json.dumps(model()))
    assert main(["check", "options-appraisal", str(src)]) == 0
    broken = model()
    broken["criteria"][0]["weight"] = "20"
    src.write_text(json.dumps(broken))
    assert main(["check", "options-appraisal", str(src)]) == 1
    assert "The weights total 90, not 100." in capsys.readouterr().out
    assert main(["export", "options-appraisal", "--model-answer", "--format", "docx", "-o",
                 str(tmp_path / "p.docx")]) == 0
    assert main(["export", "options-appraisal", str(src), "--format", "xlsx", "-o", str(tmp_path / "w.xlsx")]) == 0
    assert (tmp_path / "p.docx").stat().st_size > 0 and (tmp_path / "w.xlsx").stat().st_size > 0


# -- the app, without a kernel -------------------------------------------------------------------------------------
def _app():
    return view_class(TASK)(TASK, SCENARIO)


def test_a_score_chosen_while_the_years_change_is_kept():
    """A new horizon rebuilds only the year columns: the score rows (and a choice a learner makes in them while the
    page catches up on a slow machine) stay the same widgets; new criteria rebuild the rows, keeping every score."""
    app = _app()
    bau = app.options.children[0]
    score, why = bau.score_boxes["K1"]
    app.horizon.value = "3"
    assert bau.score_boxes["K1"] == (score, why)  # the same widgets
    assert ("recurring_income", 4) not in bau.flow_boxes and ("recurring_income", 3) in bau.flow_boxes
    score.value = "2"  # as the learner's choice arrives after the years changed
    assert bau.value["scores"]["K1"]["score"] == "2"
    bau.flow_boxes[("one_off_costs", 0)].value = "£500"
    app.criteria.children[0].name.value = "Cost to the trust"  # a criterion renamed: rows rebuilt, values kept
    assert bau.score_boxes["K1"][0] is not score and bau.score_boxes["K1"][0].value == "2"
    assert bau.flow_boxes[("one_off_costs", 0)].value == "£500"
    app.horizon.value = "5"  # and back: amounts of years hidden and shown again are kept
    assert bau.flow_boxes[("one_off_costs", 0)].value == "£500" and ("one_off_costs", 5) in bau.flow_boxes


def test_app_from_blank_to_a_chart_typing_and_clicking():
    app = _app()
    assert len(app.options.children) == 2 and app.options.children[0].baseline.value is True
    k1, k2, k3 = app.criteria.children
    k1.name.value, k2.name.value, k3.name.value = "Cost", "Impact", "Risk"
    k1.weight.value, k2.weight.value, k3.weight.value = "50", "40", "20"
    assert "The weights total 110: they must total 100." in app.weights_msg.value
    k3.weight.value = "10"
    assert "The weights total 100." in app.weights_msg.value
    app.horizon.value = "3"
    bau, hub = app.options.children
    bau.name.value, hub.name.value = "Business as usual", "Shared services hub"
    for card, scores in ((bau, ("1", "2")), (hub, ("4", "4"))):
        for cid, s in zip(("K1", "K2"), scores):
            card.score_boxes[cid][0].value = s
            card.score_boxes[cid][1].value = "Because."
        risk = card.add_risk()
        risk.description.value, risk.likelihood.value, risk.impact.value = "Something", "3", "3"
        risk.mitigation.value, risk.residual_likelihood.value, risk.residual_impact.value = "Act", "2", "2"
    hub.flow_boxes[("one_off_costs", 0)].value = "£10,000"
    hub.flow_boxes[("recurring_income", 1)].value = "oops"
    assert "Shared services hub: recurring income in year 1 must be an amount" in hub.message.value
    assert hub.value["flows"]["recurring_income"]["1"] == "oops"  # what was typed is kept
    hub.flow_boxes[("recurring_income", 1)].value = "£6,000"
    assert hub.message.value == ""
    assert "Shared services hub" in app.table.value and "✔ top score" in app.table.value
    assert '<img src="data:image/png;base64,' in app.chart.value and 'alt="Tornado chart' in app.chart.value
    assert "holds" in app.sentences.value
    assert [v for _, v in app.recommendation.options] == ["", "O1", "O2"]
    app.recommendation.value = "O2"
    result = app.check()
    assert "Met" in app.feedback.value and not result.passed_all  # the brief's other options are still missing
    failed = {i.id for i in result.items if not i.passed}
    assert "weights" not in failed and "readable" not in failed and "recommendation" not in failed


def test_app_keeps_scores_and_years_when_the_shape_changes():
    app = _app()
    app.load(model())
    hub = app.options.children[1]
    app.horizon.value = "3"  # years 4 and 5 are hidden, not dropped
    assert ("recurring_income", 4) not in hub.flow_boxes
    assert hub.value["flows"]["recurring_income"]["5"] == "£70,000"
    app.horizon.value = "5"
    assert hub.flow_boxes[("recurring_income", 5)].value == "£70,000"
    app.remove_criterion(app.criteria.children[0])
    assert "K1" not in hub.score_boxes and hub.value["scores"]["K1"]["score"] == "5"
    assert "The weights total 70: they must total 100." in app.weights_msg.value


def test_app_model_answer_round_trips_checks_and_downloads():
    app = _app()
    app.show_model_answer()
    assert app.artefact == TASK.normalise(SCENARIO.model_answer)
    assert app.check().passed_all
    app.prepare_download()
    assert 'download="options-appraisal.xlsx"' in app.download.value
    app.prepare_board_paper()
    assert 'download="options-appraisal-board-paper.docx"' in app.docx_download.value
    from docx import Document

    doc = Document(io.BytesIO(app.board_paper_bytes()))
    assert any(p.text == "7. Decision sought" for p in doc.paragraphs)


def test_risk_scoring_is_shared_from_the_domain_layer():
    from npq_widgets.domain import risk_scoring
    from npq_widgets.tasks.risk_register import model as rr

    assert rr.RagThresholds is risk_scoring.RagThresholds and rr.read_scale is risk_scoring.read_scale
    assert appraisal().rag.rating(16) == "red" and appraisal().rag.rating(12) == "amber"


# -- sensitivity against brute force (hypothesis) ------------------------------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402


def _scored(n_options: int, weights: list[float], scores: list[list[int]]) -> dict:
    crit = [{"id": f"K{i + 1}", "name": f"C{i + 1}", "weight": str(w), "scored_by": "judgement"}
            for i, w in enumerate(weights)]
    opts = [{"id": f"O{j + 1}", "name": f"Option {j + 1}", "baseline": j == 0,
             "scores": {f"K{i + 1}": {"score": str(scores[j][i]), "why": "x"} for i in range(len(weights))}}
            for j in range(n_options)]
    return {"criteria": crit, "options": opts}


@st.composite
def appraisals(draw):
    n_c = draw(st.integers(2, 4))
    n_o = draw(st.integers(2, 4))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n_c - 1, max_size=n_c - 1, unique=True)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
    scores = [[draw(st.integers(1, 5)) for _ in range(n_c)] for _ in range(n_o)]
    return _scored(n_o, weights, scores)


@settings(max_examples=60, deadline=None)
@given(appraisals())
def test_sensitivity_thresholds_agree_with_brute_force(art):
    """Between the thresholds the preferred option stays first (ties allowed); just beyond one, the named option
    leads — found by re-scoring with proportionally scaled weights on a fine grid."""
    a = read_appraisal(art)
    best = a.preferred
    if best is None:
        return
    weights = {c.id: c.weight for c in a.criteria}
    scores = {r.option.label: r.scores for r in a.results()}

    def totals(cid: str, w: float) -> dict[str, float]:
        old = weights[cid]
        scaled = {k: (w if k == cid else v * (100 - w) / (100 - old)) for k, v in weights.items()}
        return {o: sum(scaled[k] * s[k] for k in scaled) / 100 for o, s in scores.items()}

    for s in sensitivity(a):
        lo = s.lower.weight if s.lower else 0.0
        hi = s.upper.weight if s.upper else 100.0
        for i in range(101):
            w = lo + (hi - lo) * i / 100
            t = totals(s.criterion.id, w)
            assert t[best.option.label] >= max(t.values()) - 1e-9, (s.criterion.id, w)
        for th, step in ((s.lower, -0.01), (s.upper, 0.01)):
            if th is not None:
                t = totals(s.criterion.id, th.weight + step)
                assert t[th.takes_over] > t[best.option.label]


def test_a_tie_at_the_top_is_said_and_either_tied_option_may_be_recommended():
    # weights 1/1/98: Option 1 scores 2, 1, 1 -> (2 + 1 + 98)/100 = 1.01; Option 2 scores 1, 2, 1 -> 1.01: level
    art = _scored(2, [1, 1, 98], [[2, 1, 1], [1, 2, 1]])
    a = read_appraisal(art)
    assert [round(r.weighted, 4) for r in a.results()] == [1.01, 1.01]
    s = {x.criterion.id: x for x in sensitivity(a)}
    # any move of C1's weight down (or C2's up) puts Option 2 ahead: the threshold is the current weight itself
    for th in (s["K1"].lower, s["K2"].upper):
        assert th == Threshold(pytest.approx(1.0), "Option 2")
    assert sensitivity_sentences(a)[0] == ("Option 1 and Option 2 have the same weighted score (1.01): the weights "
                                           "alone do not decide between them.")
    for choice in ("O1", "O2"):  # either of the tied options is "the top-scoring option": no rationale needed
        assert _recommendation(read_appraisal({**art, "recommendation": choice}), {"rationale_min_words": 25})[0]
