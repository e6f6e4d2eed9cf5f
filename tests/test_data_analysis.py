"""Pupil data analysis: every calculation against independent computations and the worked checks in domain-notes,
the upload corpus of broken files, property tests, pseudonymisation, the checker, exports and the analyse command."""

from __future__ import annotations

import copy
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scipy import stats

from npq_widgets.cli import main
from npq_widgets.domain import pupil_data
from npq_widgets.domain.pupil_analysis import Selection, analyse
from npq_widgets.domain.pupil_data import DataProblem, load_pupil_table, order_drops
from npq_widgets.domain.pupil_stats import (SMALL_GROUPS, _combine, cohens_d, correlation, gap_between,
                                            gap_from_stats, gaps_to_rest, p8_band, p8_interval, p8_national_sd,
                                            sampling_demo, significance, summarise, t_interval)
from npq_widgets.paths import exercises_dir
from npq_widgets.registry import get_task

HERE = Path(__file__).parent
CORPUS = HERE / "fixtures" / "pupil-data-broken"
DATA = exercises_dir() / "data-analysis"
SCENARIOS = ["secondary-riverside", "primary-oakfield", "trust-northern-lights"]


@pytest.fixture(scope="module")
def task():
    return get_task("data-analysis")


@pytest.fixture(scope="module")
def secondary():
    return load_pupil_table((DATA / "secondary-riverside.csv").read_bytes(), "secondary-riverside.csv")


# -- Progress 8: the worked checks of domain-notes (SD 1.41628, 2024) -------------------------------------------
@pytest.mark.parametrize("n,score,low,high,verdict,band", [
    (180, 0.25, 0.04, 0.46, "above", "Above average"),
    (24, 0.45, -0.12, 1.02, "not significantly different", "Average"),
    (45, 0.45, 0.04, 0.86, "above", "Above average"),
    (120, -0.55, -0.80, -0.30, "below", "Well below average"),
])
def test_p8_worked_checks(n, score, low, high, verdict, band):
    sd = p8_national_sd(2024).sd
    assert sd == 1.41628
    lo, hi = p8_interval(score, n, sd)
    assert (round(lo, 2), round(hi, 2)) == (low, high)
    assert significance(lo, hi) == verdict
    assert p8_band(score, lo, hi) == band


@pytest.mark.parametrize("score,low,high,band", [
    (0.50, 0.10, 0.90, "Well above average"),    # DfE: +0.50 or above (interval above 0) is well above
    (0.4999, 0.10, 0.90, "Above average"),
    (-0.50, -0.90, -0.10, "Well below average"),  # −0.50 or below (interval below 0) is well below
    (-0.4999, -0.90, -0.10, "Below average"),
    (0.50, -0.01, 1.01, "Average"),               # the interval decides first
])
def test_p8_band_edges_are_inclusive(score, low, high, band):
    assert p8_band(score, low, high) == band


def test_p8_band_edge_from_a_worked_interval():
    # n = 100, score +0.50 with the 2024 SD: 0.50 ± 1.96 × 1.41628 / 10 = 0.22 to 0.78, wholly above 0
    lo, hi = p8_interval(0.50, 100, p8_national_sd(2024).sd)
    assert (round(lo, 2), round(hi, 2)) == (0.22, 0.78)
    assert p8_band(0.50, lo, hi) == "Well above average"


def test_national_sds_are_versioned_data_with_sources():
    import yaml

    from npq_widgets.catalogue.progress8 import DATA, progress8

    doc = yaml.safe_load(DATA.read_text())
    assert [(e["year"], e["sd"]) for e in doc["national_sd"]] == [(y, p8_national_sd(y).sd) for y in (2022, 2023, 2024)]
    assert doc["default_year"] == p8_national_sd().year == 2024
    assert progress8().well_above_from == 0.5 and progress8().well_below_to == -0.5


def test_welch_from_summaries_is_scipys():
    ref = stats.ttest_ind_from_stats(0.1, 1.2, 40, -0.3, 0.9, 25, equal_var=False)
    gap = gap_from_stats(40, 0.1, 1.2, 25, -0.3, 0.9)
    assert gap.t == pytest.approx(ref.statistic, rel=1e-12) and gap.p == pytest.approx(ref.pvalue, rel=1e-12)


def test_national_sds_are_versioned_with_sources():
    assert [p8_national_sd(y).sd for y in (2022, 2023, 2024)] == [1.408359, 1.414023, 1.41628]
    assert all("DfE" in p8_national_sd(y).source for y in (2022, 2023, 2024))
    with pytest.raises(ValueError):
        p8_national_sd(1999)


def test_significance_uses_unrounded_limits():
    # 0.004 rounds to 0.00 but is above 0: significant even though it would display as 0.00
    assert significance(0.004, 0.5) == "above"
    assert significance(-0.004, 0.5) == "not significantly different"
    assert p8_band(0.6, 0.004, 1.2) == "Well above average"


@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=60))
@settings(deadline=None)
def test_t_interval_matches_scipy(values):
    a = np.array(values)
    if a.std() == 0:
        return
    lo, hi = t_interval(a.mean(), a.std(ddof=1), len(a))
    elo, ehi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    assert lo == pytest.approx(elo, abs=1e-9) and hi == pytest.approx(ehi, abs=1e-9)


def test_summaries_match_a_bare_groupby(secondary):
    df = secondary.df
    rows = summarise(df, "attainment8", "send", "drop", secondary.drops)
    ref = df.groupby(["send", "drop"])["attainment8"].agg(["count", "mean", "std"])
    for r in rows:
        exp = ref.loc[(r.group, r.drop)]
        assert r.n == exp["count"] and r.mean == pytest.approx(exp["mean"]) and r.sd == pytest.approx(exp["std"])
        vals = df[(df.send == r.group) & (df["drop"] == r.drop)]["attainment8"]
        lo, hi = stats.t.interval(0.95, len(vals) - 1, loc=vals.mean(), scale=stats.sem(vals))
        assert (r.ci_low, r.ci_high) == (pytest.approx(lo), pytest.approx(hi))
    assert [r.drop for r in rows[:3]] == list(secondary.drops)  # drops in time order


def test_p8_summaries_use_the_national_sd(secondary):
    rows = summarise(secondary.df, "p8_score", "disadvantaged", "drop", method="p8", national_sd=1.41628)
    for r in rows:
        assert r.ci_high - r.mean == pytest.approx(1.96 * 1.41628 / math.sqrt(r.n))
        assert r.band is not None and r.significance is not None


def test_small_groups_are_suppressed_and_never_saved_or_named():
    df = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 6, "x": np.arange(11.0)})
    rows = summarise(df, "x", "g")
    # b is hidden too: with a alone hidden, a's figures would follow from the whole cohort's minus b's
    assert [(r.group, r.suppressed) for r in rows] == [(SMALL_GROUPS, True)]
    df3 = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 6 + ["c"] * 8, "x": np.arange(19.0)})
    rows3 = summarise(df3, "x", "g")
    assert [(r.group, r.suppressed) for r in rows3] == [("c", False), (SMALL_GROUPS, True)]
    saved = rows[0].to_dict()
    assert saved["n"] is None and saved["mean"] is None and saved["sd"] is None and saved["group"] == SMALL_GROUPS
    assert {g.group for g in gaps_to_rest(df, "x", "g")} == set()  # each side needs ≥ 6 pupils
    assert summarise(df, "x", "g", threshold=5)[0].suppressed is False


@given(st.lists(st.floats(-4, 4, allow_nan=False), min_size=3, max_size=40),
       st.lists(st.floats(-4, 4, allow_nan=False), min_size=3, max_size=40))
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60, deadline=None)
def test_welch_gap_matches_scipy(a, b):
    a, b = np.array(a), np.array(b)
    if a.std() < 1e-3 or b.std() < 1e-3:
        return
    gap = gap_between(a, b)
    res = stats.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(0.95)
    assert gap.gap == pytest.approx(a.mean() - b.mean())
    assert gap.p == pytest.approx(res.pvalue, rel=1e-6, abs=1e-12)
    assert (gap.ci_low, gap.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    assert gap.cohens_d == pytest.approx((a.mean() - b.mean()) / pooled)


def test_cohens_d_hand_worked():
    # means 10 and 8, SDs 2 and 2 -> pooled 2 -> d = 1
    assert cohens_d(10, 10.0, 2.0, 30, 8.0, 2.0) == pytest.approx(1.0)


def test_combined_stats_equal_direct_computation():
    rng = np.random.default_rng(3)
    parts = [rng.normal(m, s, n) for m, s, n in ((0, 1, 10), (2, 3, 25), (-1, 0.5, 7))]
    n, mean, sd = _combine([(len(p), p.mean(), p.std(ddof=1)) for p in parts])
    allv = np.concatenate(parts)
    assert n == len(allv) and mean == pytest.approx(allv.mean()) and sd == pytest.approx(allv.std(ddof=1))


def test_gaps_to_rest_match_direct_welch(secondary):
    latest = secondary.df[secondary.df["drop"] == secondary.drops[-1]]
    for gap in gaps_to_rest(latest, "p8_score", "send"):
        a = latest[latest.send == gap.group]["p8_score"]
        b = latest[latest.send != gap.group]["p8_score"]
        res = stats.ttest_ind(a, b, equal_var=False)
        assert gap.p == pytest.approx(res.pvalue) and gap.other_n == len(b)


def test_correlation_matches_scipy(secondary):
    latest = secondary.df[secondary.df["drop"] == secondary.drops[-1]]
    c = correlation(latest, "attendance_pct", "p8_score")
    r, p = stats.pearsonr(latest["attendance_pct"], latest["p8_score"])
    assert c.r == pytest.approx(r) and c.p == pytest.approx(p) and c.n == len(latest)
    assert "not causation" in c.caveat


def test_sampling_demo_smaller_samples_wider_intervals(secondary):
    rows = sampling_demo(secondary.df["attainment8"], sizes=(5, 20, 80, 320), seed=1)
    assert [r.size for r in rows] == [5, 20, 80, 320]
    assert rows[0].width > rows[-1].width
    assert rows == sampling_demo(secondary.df["attainment8"], sizes=(5, 20, 80, 320), seed=1)  # deterministic


@pytest.mark.parametrize("given_,expected", [
    (["Summer 2026", "Autumn 2025", "Spring 2026"], ["Autumn 2025", "Spring 2026", "Summer 2026"]),
    (["Spring 1 2026", "Autumn 2 2025", "Autumn 1 2025"], ["Autumn 1 2025", "Autumn 2 2025", "Spring 1 2026"]),
    (["20/03/2026", "01/12/2025"], ["01/12/2025", "20/03/2026"]),
    (["B", "A"], ["B", "A"]),
])
def test_order_drops(given_, expected):
    assert order_drops(given_) == expected


# -- loading: the corpus of broken files ---------------------------------------------------------------------------
BROKEN = {
    "binary.dat": "not a CSV or Excel",
    "duplicate-headings.csv": "Two columns are both called 'Score' (columns 2 and 3)",
    "duplicates.csv": "The same pupil (same UPN) appears more than once in the same data drop: rows 2 and 4",
    "empty.csv": "The file is empty.",
    "excel-dates.xlsx": "Column 'Reading' holds dates instead of scores in rows 4 and 7:",
    "header-only.csv": "heading row but no pupils",
    "no-id.csv": "No column identifies the pupils",
    "no-scores.csv": "No column holds scores",
    "non-numeric.csv": "Column 'P8 score' has values that are not numbers in rows 3 and 5.",
    "not-really.xlsx": "could not be opened",
    "old-format.xls": "old-style Excel file (.xls)",
    "ragged.csv": "Row 3 has 4 cells but the heading row has 3",
}
READABLE = {
    "blank-rows.csv": "Rows 3 and 5 are blank and were left out.",
    "bom-semicolon.csv": "Read as a semicolon-separated file.",
    "misspelt-heading.csv": "Column 'Disadvantged' looks like a misspelling of 'disadvantaged'",
    "misspelt-id.csv": "Column 'Pupl ID' looks like a misspelling of 'pupil id'",
    "good-dated-drops.xlsx": "",
}


def test_corpus_is_complete():
    assert {p.name for p in CORPUS.iterdir()} == set(BROKEN) | set(READABLE)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_say_exactly_what_is_wrong(name):
    with pytest.raises(DataProblem) as err:
        load_pupil_table((CORPUS / name).read_bytes(), name)
    assert BROKEN[name] in str(err.value)
    assert "Traceback" not in str(err.value) and len(err.value.problems) >= 1
    assert "'abs'" not in str(err.value) and "05/03/2026" not in str(err.value)  # cell values are never quoted


@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_files_load_with_notes(name):
    table = load_pupil_table((CORPUS / name).read_bytes(), name)
    assert READABLE[name] in " ".join(table.notes)
    assert list(table.df["pupil"].str.match(r"^P\d{5}$").unique()) == [True]


def test_bom_semicolon_decimal_commas_are_numbers():
    table = load_pupil_table((CORPUS / "bom-semicolon.csv").read_bytes(), "x.csv")
    assert table.df["p8_score"].tolist() == [0.5, -0.25, 1.5]
    assert table.mapping["disadvantaged"] == "Pupil Premium" and table.mapping["upn"] == "UPN"


def test_excel_dates_in_the_drop_column_become_uk_dates():
    table = load_pupil_table((CORPUS / "good-dated-drops.xlsx").read_bytes(), "x.xlsx")
    assert table.drops == ("01/12/2025", "20/03/2026")


def test_too_large_is_refused_with_the_limit():
    with pytest.raises(DataProblem) as err:
        load_pupil_table(b"UPN,Score\n" + b"X000100000001,1\n" * 200, "big.csv", size_limit=1000)
    assert "The file is 0.0 MB; files up to 0.0 MB can be analysed." in str(err.value)
    assert pupil_data.SIZE_LIMIT_BYTES == 20 * 1024 * 1024


def test_user_mapping_with_a_wrong_heading_gets_a_suggestion():
    data = (CORPUS / "bom-semicolon.csv").read_bytes()
    with pytest.raises(DataProblem) as err:
        load_pupil_table(data, "x.csv", mapping={"send": "Pupil Premum"})
    assert "Did you mean 'Pupil Premium'?" in str(err.value)


@given(st.binary(max_size=400))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_bytes_give_a_table_or_a_plain_problem(data):
    try:
        load_pupil_table(data, "x.csv")
    except DataProblem as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)


CELL = st.one_of(st.text(alphabet="abcXY01 .,-;\"\t\n", max_size=6), st.integers(-3, 120).map(str))


@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=0, max_size=8))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_csv_text_gives_a_table_or_a_plain_problem(rows):
    text = "UPN,Group,Score\n" + "\n".join(",".join(r) for r in rows)
    try:
        load_pupil_table(text.encode(), "x.csv")
    except DataProblem as exc:
        assert exc.problems


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).map(lambda s: "Qz" + s)


@given(st.lists(st.tuples(NAMES, NAMES, st.sampled_from(["Yes", "No"]), st.floats(-3, 3, allow_nan=False)),
                min_size=1, max_size=25, unique_by=lambda r: (r[0].lower(), r[1].lower())))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_names_and_upns_never_survive_loading(rows):
    lines = ["UPN,Forename,Surname,Disadvantaged,Score"]
    for i, (first, last, dis, score) in enumerate(rows):
        lines.append(f"A{i:011d}9,{first},{last},{dis},{score:.3f}")
    table = load_pupil_table("\n".join(lines).encode(), "x.csv")
    text = table.df.to_csv() + json.dumps(analyse(table, Selection("score", "disadvantaged")), default=str)
    for i, (first, last, *_r) in enumerate(rows):
        assert f"A{i:011d}9" not in text
        assert first not in text and last not in text
    assert set(table.df.columns) == {"pupil", "disadvantaged", "score"}


def test_upn_like_columns_are_removed_whatever_their_heading():
    text = "Pupil Name,Ref,Score\nAnn Lee,X000100000001,1\nBo Wu,X000100000002,2\n"
    table = load_pupil_table(text.encode(), "x.csv")
    assert "ref" not in table.df.columns and "X000100000001" not in table.df.to_csv()
    assert any("'Ref' (pupil numbers (UPNs))" in n for n in table.notes) and table.set_aside["Ref"]


# -- the scenario files -------------------------------------------------------------------------------------------
def test_scenario_files_are_realistic_and_synthetic(task):
    sec = load_pupil_table((DATA / "secondary-riverside.csv").read_bytes(), "s.csv")
    assert len(sec.drops) >= 3 and sec.pupils == 360
    assert {"year_group", "class", "teacher", "gender", "disadvantaged", "send", "eal", "prior_band"} <= set(
        sec.groupings)
    trust = task.scenario("trust-northern-lights")
    assert trust.data["file"].endswith(".csv.gz")
    assert (DATA / trust.data["file"]).stat().st_size < 3 * 1024 * 1024
    prim = task.scenario("primary-oakfield")
    assert "national SD" not in json.dumps(prim.data) and "no national SD is assumed" in " ".join(prim.sources)
    assert all(any("Synthetic" in s for s in sc.sources) for sc in task.scenarios)


def test_trust_scenario_has_tens_of_thousands_of_pupils(task):
    from npq_widgets.tasks.data_analysis.export import scenario_table

    table = scenario_table(task.scenario("trust-northern-lights"))
    assert table.pupils >= 20000 and table.df["school"].nunique() >= 10


# -- checking --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sid", SCENARIOS)
def test_model_answers_pass(task, sid):
    model = task.scenario(sid).model_answer
    result = task.check(dict(model))
    assert result.passed_all, repr(result)


def _model(task, sid="secondary-riverside"):
    return copy.deepcopy(dict(task.scenario(sid).model_answer))


def _item(result, rule):
    return {i.id: i for i in result.items}[rule]


def test_wrong_gap_fails_and_hints_never_give_it(task):
    art = _model(task)
    art["answers"]["gap"] = "-0.50"
    hints = [task.check(art, attempt=n).hint for n in (1, 2, 3, 4)]
    assert not _item(task.check(art), "gap").passed
    assert hints[0] != hints[1] != hints[2] and hints[3] == hints[2]
    assert all("0.69" not in h for h in hints)
    art["answers"]["gap"] = "-0.68"  # within 0.01 of -0.69 (2 dp)
    assert _item(task.check(art), "gap").passed


def test_the_answers_come_from_the_data_not_constants(task, secondary):
    art = _model(task)
    art["scenario"] = "free"
    # own data: the same file with every disadvantaged pupil's score raised by 1.0
    df = secondary.df.copy()
    df.loc[df.disadvantaged == "Yes", "p8_score"] += 1.0
    table = pupil_data.PupilTable(df, secondary.measures, secondary.groupings, secondary.drops, secondary.mapping,
                                  "sha256:test")
    art["aggregates"] = analyse(table, Selection.from_dict(art["selection"]))
    result = task.check(art)
    assert not _item(result, "gap").passed  # the old gap no longer matches
    art["answers"]["gap"] = f"{float(art['answers']['gap']) + 1.0:.2f}"
    assert _item(task.check(art), "gap").passed


def test_wrong_significance_and_interpretation(task):
    art = _model(task)
    art["answers"].update(gap_significant="no", cohort_significance="above", interpretation="x-causes-y")
    r = task.check(art)
    assert not _item(r, "gap-significance").passed and not _item(r, "cohort-significance").passed
    assert "causes" in _item(r, "interpretation").message


def test_priority_group_is_checked_and_justification_is_not(task):
    art = _model(task)
    art["answers"]["priority_group"] = "gender=Female"
    assert "not significantly below" in _item(task.check(art), "priority-group").message
    art = _model(task)
    art["answers"]["justification"] = ""
    assert task.check(art).passed_all


@pytest.mark.parametrize("artefact,expected", [
    ([1], "error"), ({"task": "budget"}, "error"), ({"scenario": "nope"}, "error"),
    ({"scenario": "free"}, "error"), ({"scenario": "free", "aggregates": {"measure": "x"}}, "fail"),
    ({"scenario": "secondary-riverside", "selection": {"measure": "no_such"}}, "error"),
    ({"scenario": "secondary-riverside", "answers": "text"}, "error"),
    ({"scenario": "secondary-riverside", "answers": {"gap": {"x": 1}, "gap_group": 5}}, "fail"),
    ({}, "error"),
])
def test_malformed_input_never_raises(task, artefact, expected):
    assert task.check(artefact).status == expected


def test_v1_fixture_checks_and_holds_no_pupil_rows(task):
    art = json.loads((HERE / "fixtures" / "data-analysis-v1.json").read_text())
    assert art["schema_version"] == 1 and art["task"] == "data-analysis"
    assert task.check(art).passed_all
    text = json.dumps(art)
    raw = pd.read_csv(DATA / "secondary-riverside.csv")
    assert "X000" not in text and "P00001" not in text
    assert not any(f'"{s}"' in text for s in raw["surname"].unique())  # headings only, never names


# -- exports and the command line ---------------------------------------------------------------------------------
def test_xlsx_export_has_summary_sheets_and_charts(task, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "a.xlsx"
    task.export(_model(task), "xlsx", out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Raw data analysis", "Groups by drop", "Gaps", "Sampling and correlation", "Charts"]
    assert len(wb["Charts"]._images) >= 2
    first = wb["Raw data analysis"]
    assert first["B2"].value == "Model answer" and "1.1.1" in first["B4"].value
    assert "X000" not in " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)


def test_json_export_keeps_aggregates_only(task, tmp_path):
    out = tmp_path / "a.json"
    task.export(_model(task), "json", out)
    doc = json.loads(out.read_text())
    assert doc["aggregates"]["groups"] and "X000" not in out.read_text()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_analyse_json_plain_keys(capsys):
    code, out, _ = run(capsys, "analyse", str(DATA / "secondary-riverside.csv"), "--measure", "p8_score", "--by",
                       "disadvantaged", "--json")
    data = json.loads(out)
    assert code == 0 and data["method"] == "p8" and data["pupils"] == 360
    g = data["groups"][0]
    assert set(g) == {"group", "drop", "n", "mean", "sd", "ci_low", "ci_high", "suppressed"}
    assert {"group", "gap", "ci_low", "ci_high", "p", "cohens_d"} <= set(data["gaps"][0])
    assert "X000" not in out


def test_cli_analyse_text_and_drop_column(capsys):
    code, out, _ = run(capsys, "analyse", str(CORPUS / "good-dated-drops.xlsx"), "--measure", "Reading", "--by",
                       "Disadvantaged", "--drop", "Data drop")
    assert code == 0 and "20/03/2026" in out and "Gaps to everyone else" in out


@pytest.mark.parametrize("argv,fragment", [
    (["--measure", "P8 scor", "--by", "send"], "There is no column 'P8 scor'. Did you mean 'p8_score'?"),
    (["--measure", "p8_score", "--by", "surname"], "identifies pupils"),
    (["--measure", "send", "--by", "gender"], "does not hold scores"),
])
def test_cli_analyse_errors_are_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, "analyse", str(DATA / "secondary-riverside.csv"), *argv)
    assert code == 2 and fragment in err and "Traceback" not in err


def test_cli_analyse_bad_files(capsys, tmp_path, monkeypatch):
    code, _, err = run(capsys, "analyse", str(CORPUS / "non-numeric.csv"), "--measure", "P8 score", "--by", "x")
    assert code == 2 and "rows 3 and 5" in err
    code, _, err = run(capsys, "analyse", str(tmp_path / "none.csv"), "--measure", "a", "--by", "b")
    assert code == 2 and "There is no file" in err
    monkeypatch.setattr(pupil_data, "SIZE_LIMIT_BYTES", 10)
    code, _, err = run(capsys, "analyse", str(CORPUS / "blank-rows.csv"), "--measure", "a", "--by", "b")
    assert code == 2 and "can be analysed" in err


def test_cli_check_and_export_work_for_the_task(capsys, tmp_path):
    code, out, _ = run(capsys, "check", "data-analysis", str(HERE / "fixtures" / "data-analysis-v1.json"))
    assert code == 0 and "All criteria met" in out
    code, out, _ = run(capsys, "export", "data-analysis", "--model-answer", "--scenario", "primary-oakfield",
                       "--format", "xlsx", "-o", str(tmp_path / "m.xlsx"))
    assert code == 0 and (tmp_path / "m.xlsx").stat().st_size > 10_000


def test_voila_config_raises_the_upload_limit():
    cfg = json.loads((Path(__file__).resolve().parents[1] / "voila.json").read_text())
    limit = cfg["Voila"]["tornado_settings"]["websocket_max_message_size"]
    assert limit > 2 * pupil_data.SIZE_LIMIT_BYTES  # room for the file plus the message around it


def test_excel_dates_message_from_an_in_memory_workbook():
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["UPN", "Score"])
    wb.active.append(["X000100000001", dt.datetime(2026, 1, 2)])
    wb.active.append(["X000100000002", 5])
    wb.active.append(["X000100000003", 6])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DataProblem, match="holds dates instead of scores in row 2"):
        load_pupil_table(buf.getvalue(), "x.xlsx")


# -- secondary suppression: a hidden group can never be worked back from the others --------------------------------
from npq_widgets.domain.pupil_stats import hidden_groups as _hidden_groups  # noqa: E402


@pytest.mark.parametrize("counts,hidden", [
    ({"A": 50, "B": 40}, set()),
    ({"A": 50, "B": 40, "C": 3}, {"B", "C"}),            # one small group: the next smallest is hidden too
    ({"A": 50, "B": 40, "C": 3, "D": 2}, {"B", "C", "D"}),  # two small groups, 5 pupils: still under 6
    ({"A": 50, "B": 40, "C": 3, "D": 4}, {"C", "D"}),     # two small groups, 7 pupils: enough
    ({"A": 3}, {"A"}),
])
def test_secondary_suppression(counts, hidden):
    assert _hidden_groups(counts, 6) == hidden


def test_a_single_small_group_cannot_be_derived_from_the_summary():
    import pandas as pd

    from npq_widgets.domain.pupil_stats import gaps_to_rest, summarise

    df = pd.DataFrame({"g": ["A"] * 50 + ["B"] * 40 + ["C"] * 3, "score": list(range(50)) + list(range(40)) + [9, 9, 9]})
    shown = [(s.group, s.suppressed) for s in summarise(df, "score", by="g")]
    assert shown == [("A", False), (SMALL_GROUPS, True)]  # B and C hidden, and neither is named
    assert [g.group for g in gaps_to_rest(df, "score", "g")] == ["A"]


# -- model answers computed independently of the checker ----------------------------------------------------------
def test_model_answers_are_independent_of_the_checker():
    import ast
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "independent_model_answers.py"
    tree = ast.parse(script.read_text())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | {
        (n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "npq_widgets" not in imported and {"pandas", "scipy"} <= imported
    for sid in SCENARIOS:
        doc = json.loads((DATA / f"{sid}.model.json").read_text())
        assert "independent_model_answers.py" in doc["provenance"] and doc["aggregates"] is None
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr  # the committed files are what the script computes


def test_a_small_file_worked_by_hand(task):
    """Twelve pupils: 'Yes' scores 1..6 (mean 3.5, variance 3.5), 'No' scores 3..8 (mean 5.5, variance 3.5).
    Gap = 3.5 − 5.5 = −2.00. SE = √(3.5/6 + 3.5/6) = 1.0801; Welch df = 10; t(0.975, 10) = 2.2281; interval
    −2 ± 2.4066 = −4.41 to 0.41, which includes 0: not significant. t = −2 / 1.0801 = −1.852."""
    rows = ["UPN,Disadvantaged,Score"] + [f"X{100000000000 + i},Yes,{i + 1}" for i in range(6)] + \
        [f"X{100000000100 + i},No,{i + 3}" for i in range(6)]
    table = load_pupil_table("\n".join(rows).encode(), "hand.csv")
    agg = analyse(table, Selection("score", "disadvantaged"))
    gap = next(g for g in agg["gaps"] if g["group"] == "Yes")
    assert round(gap["gap"], 2) == -2.00 and round(gap["t"], 3) == -1.852 and round(gap["df"], 6) == 10
    assert (round(gap["ci_low"], 2), round(gap["ci_high"], 2)) == (-4.41, 0.41) and gap["significant"] is False
    art = {"scenario": "free", "aggregates": agg, "answers": {"gap_group": "Yes", "gap": "-2.00",
                                                              "gap_significant": "no"}}
    items = {i.id: i.passed for i in task.check(art).items}
    assert items["gap"] and items["gap-significance"]
    art["answers"].update(gap="-2.10", gap_significant="yes")
    items = {i.id: i.passed for i in task.check(art).items}
    assert not items["gap"] and not items["gap-significance"]
