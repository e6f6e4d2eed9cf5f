"""The case-study practice: word counts, the window, version history, packs, checks, views and exports."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, strategies as st

from npq_widgets.domain.values import word_count
from npq_widgets.domain.window import Window, parse_uk_datetime
from npq_widgets.paths import exercises_dir
from npq_widgets.registry import get_task
from npq_widgets.store.history import History, Policy
from npq_widgets.store.workbook import Workbook
from npq_widgets.tasks.case_study.packs import load_packs

REPO = Path(__file__).resolve().parents[1]
UK = ZoneInfo("Europe/London")
MODEL = json.loads((exercises_dir() / "case-study" / "npqsl-riverside-attendance.model.json").read_text())


# -- word counts ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,n", [
    ("Sam will use hinge-questions, every lesson.", 6), ("", 0), (None, 0), ("- •  – *", 0),
    ("- first point\n• second point", 4), ("£1,200 on 54% of e.g. pupils", 6), ("don’t stop\u00a0now\r\n", 3),
    ("3.5 4 five", 3), ("well-being", 1),
])
def test_word_count_counts_like_a_word_processor(text, n):
    assert word_count(text) == n


words = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12)
seps = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", " - ", " • ", "\r\n"])


@given(st.lists(st.tuples(words, seps), max_size=40))
def test_word_count_of_generated_text_is_the_number_of_words(pairs):
    text = "".join(w + s for w, s in pairs)
    assert word_count(text) == len(pairs)
    assert word_count(text + " " + text) == 2 * len(pairs)  # a paste adds exactly its words


# -- the window -----------------------------------------------------------------------------------------------
def test_deadline_is_end_of_day_eight_uk_time():
    win = Window(parse_uk_datetime("05/01/2027 09:00"))
    assert win.deadline == dt.datetime(2027, 1, 12, 23, 59, 59, tzinfo=UK)
    assert "midnight of the eighth day" in win.describe() and "12/01/2027 23:59" in win.describe()


def test_window_across_the_october_clock_change():
    win = Window(parse_uk_datetime("20/10/2026 09:00"))  # clocks go back on 25/10/2026
    assert win.deadline.strftime("%d/%m/%Y %H:%M:%S %Z") == "27/10/2026 23:59:59 GMT"
    released = win.released
    # 09:00 to 23:59:59 on the wall clock, plus the hour the clocks went back
    assert win.time_left(released) == dt.timedelta(days=7, hours=14, minutes=59, seconds=59) + dt.timedelta(hours=1)


def test_window_across_the_march_clock_change():
    win = Window(parse_uk_datetime("25/03/2027 09:00"))  # clocks go forward on 28/03/2027
    assert win.deadline.strftime("%d/%m/%Y %H:%M:%S %Z") == "01/04/2027 23:59:59 BST"
    assert win.time_left(win.released) == dt.timedelta(days=7, hours=14, minutes=59, seconds=59) - dt.timedelta(hours=1)
    assert not win.is_late(dt.datetime(2027, 4, 1, 22, 59, 58, tzinfo=dt.timezone.utc))
    assert win.is_late(dt.datetime(2027, 4, 1, 23, 0, 0, tzinfo=dt.timezone.utc))


def test_timed_practice_and_late_marking():
    win = Window(parse_uk_datetime("01/12/2026 10:00"), minutes=90)
    assert win.deadline == dt.datetime(2026, 12, 1, 11, 30, tzinfo=UK)
    assert win.countdown(dt.datetime(2026, 12, 1, 11, 0, tzinfo=UK)) == "30 minutes left"
    assert win.countdown(dt.datetime(2026, 12, 1, 12, 0, tzinfo=UK)) == "Deadline passed 30 minutes ago"


def test_tzdata_and_python_docx_are_in_all_three_dependency_files():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for name in ("tzdata", "python-docx"):
        assert any(d.startswith(name) for d in deps)
        for env in ("environment.yml", "binder/environment.yml"):
            assert any(str(d).startswith(name) for d in yaml.safe_load((REPO / env).read_text())["dependencies"])


# -- history --------------------------------------------------------------------------------------------------
def test_history_keeps_versions_and_restores(tmp_path):
    wb = Workbook(tmp_path)
    h = History(wb, "case-study--x")
    t0 = dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.timezone.utc)
    for i in range(200):  # a long session: one save every 2 seconds
        h.record({"text": "word " * i}, words=i, now=t0 + dt.timedelta(seconds=2 * i))
    big = "pasted " * 400
    h.record({"text": big}, words=400, now=t0 + dt.timedelta(seconds=500))
    kept = h.versions()
    assert len(kept) <= Policy().latest + Policy().minutes + 2 * Policy().big_changes + 1
    assert kept[0].words == 400 and kept[0].big_change
    before = kept[1]
    assert h.data(before.number) == {"text": "word " * 199}  # the state before the paste can be brought back
    again = History(Workbook(tmp_path), "case-study--x")  # after a kernel restart
    assert [v.number for v in again.versions()] == [v.number for v in kept]
    assert not again.record({"text": big}, words=400)  # the same work is not added twice


# -- packs ----------------------------------------------------------------------------------------------------
def test_six_packs_one_per_npq_all_synthetic_with_appendix():
    packs = load_packs()
    assert not packs.problems
    assert sorted(p.programme for p in packs.packs) == sorted(["NPQSL", "NPQH", "NPQEL", "NPQLT", "NPQLTD", "NPQLBC"])
    for p in packs.packs:
        assert p.synthetic and p.tables() and p.voices and p.budget.rows and p.facilitator_note
        assert any(t.chart for t in p.tables())


def test_a_provider_pack_is_listed_and_a_malformed_one_gets_a_plain_message(tmp_path):
    root = tmp_path / "exercises"
    shutil.copytree(exercises_dir() / "case-study", root / "case-study")
    shutil.copytree(exercises_dir() / "data-analysis", root / "data-analysis")
    folder = root / "case-study" / "packs"
    mine = yaml.safe_load((folder / "npqlt-science-questioning.yaml").read_text())
    mine.update(id="provider-maths", title="Our own maths case study")
    (folder / "provider-maths.yaml").write_text(yaml.safe_dump(mine))
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    packs = load_packs((folder,))
    assert "provider-maths" in [p.id for p in packs.packs] and len(packs.packs) == 7
    assert packs.problems == ("broken.yaml is not valid YAML near line 3: check its indentation and quotes.",)


# -- checks ---------------------------------------------------------------------------------------------------
def _check(art, attempt=1):
    return get_task("case-study").check(art, attempt=attempt)


def test_the_model_outline_passes():
    assert _check(MODEL).passed_all


def test_weak_responses_fail_with_hints_that_do_not_write_the_answer():
    no_rationale = copy.deepcopy(MODEL)
    no_rationale["parts"]["rationale"] = "It is a good idea and will work."
    res = _check(no_rationale)
    failed = {i.id for i in res.failed}
    assert "rationale-evidence" in failed and "parts-present" in failed
    no_owner = copy.deepcopy(MODEL)
    no_owner["parts"]["implementation"] = ("1. Explore the absence patterns in the autumn term.\n"
                                           "2. Prepare a new approach by December.\n"
                                           "3. Deliver it in the spring term and monitor attendance data.")
    res = _check(no_owner, attempt=2)
    item = next(i for i in res.items if i.id == "implementation-steps")
    assert not item.passed and "do not say who" in item.message
    over = copy.deepcopy(MODEL)
    over["parts"]["problems"] += " more" * 1200
    res = _check(over)
    item = next(i for i in res.items if i.id == "within-limit")
    assert not item.passed and "over the limit" in item.message and "Nothing has been cut" in item.message
    for r in (res, _check(no_rationale, attempt=3)):
        assert r.hint and "90.2" not in r.hint and "tiered" not in r.hint


# -- the view without a kernel ---------------------------------------------------------------------------------
def test_view_counts_words_hides_the_facilitator_note_and_keeps_versions(_isolated_home, monkeypatch):
    from npq_widgets.apps import task_app

    monkeypatch.delenv("NPQ_FACILITATOR", raising=False)
    view = task_app("case-study")
    assert "Facilitator note" not in view.pack_view.value
    assert view.show_facilitator is None  # only in facilitator mode (tests/test_facilitator.py)
    view.part_boxes["problems"].text.value = "Attendance of disadvantaged pupils fell to 89.2%."
    assert "7 words" in view.part_boxes["problems"].count.value
    assert "Total: 7 of 1,500 words" in view.total.value
    view.released.value = "20/10/2026 09:00"
    assert "Deadline: 27/10/2026 23:59" in view.window_html.value and "LATE" in view.window_html.value
    view.load(MODEL)
    assert view.history is not None and len(view.history.versions()) >= 2
    view.versions.value = view.history.versions()[-1].number
    view.restore_selected()
    assert view.part_boxes["problems"].text.value == "Attendance of disadvantaged pupils fell to 89.2%."
    view.check()
    assert "Not yet" in view.feedback.value or "not" in view.feedback.value.lower()
    view.released.value = "not a date"
    assert "DD/MM/YYYY HH:MM" in view.released_msg.value
    assert "Engagement" in view.engagement.value


# -- exports ----------------------------------------------------------------------------------------------------
def test_docx_export_reads_back_with_python_docx_and_libreoffice(tmp_path):
    from docx import Document

    from npq_widgets.cli import main

    src = tmp_path / "work.json"
    src.write_text(json.dumps(MODEL))
    out = tmp_path / "response.docx"
    assert main(["export", "case-study", str(src), "--format", "docx", "-o", str(out)]) in (0, None)
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Identifying the problem(s)", "Identifying the solution(s)",
                        "Setting the rationale for the solution", "Identifying the implementation steps required"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Candidate: Model outline" in text and "Senior Leadership" in text and "words" in text
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (./workbook test installs it)")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "txt:Text",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    txt = (tmp_path / "response.txt").read_text(encoding="utf-8-sig")
    for h in headings:
        assert h in txt
    assert "tiered approach" in txt
