"""Autosave and "My work" without a kernel: change widgets, read the store; restore into a new view."""

from __future__ import annotations

import json

import pytest

from npq_widgets.registry import get_task
from npq_widgets.store.bundle import export_bundle
from npq_widgets.store.workbook import Workbook
from npq_widgets.widgets.autosave import autosave, in_voila
from npq_widgets.pages.my_work import MyWork
from npq_widgets.tasks.smart_objectives.view import SmartObjectivesBuilder
from npq_widgets.pages.which_npq import WhichNPQ

DOC = "smart-objectives--y8-english-reading"


@pytest.fixture
def wb(tmp_path):
    return Workbook(tmp_path / "wb")


def smart(wb):
    task = get_task("smart-objectives")
    view = SmartObjectivesBuilder(task, task.scenario())
    autosave(view, DOC, workbook=wb)
    return view


def test_every_change_is_saved_and_comes_back_in_a_new_view(wb):
    view = smart(wb)
    assert "saves automatically" in view.autosave.status.value
    view.candidate.value = "Alex Jones"
    view.cards.children[0].who.value = "Sam Patel"
    view.cards.children[1].target.value = "about sixty"  # unreadable, still saved exactly as typed
    assert wb.load(DOC).data == view.artefact
    assert "Saved at" in view.autosave.status.value

    again = smart(wb)  # as after a kernel restart
    assert again.artefact == view.artefact
    assert again.cards.children[1].target.value == "about sixty"
    assert "Your saved work is back" in again.autosave.status.value


def test_rows_added_later_are_watched(wb):
    view = smart(wb)
    view.add_button.click()
    view.cards.children[2].objective.text.value = "A third objective"
    assert wb.load(DOC).data["objectives"][2]["objective"] == "A third objective"
    view.cards.children[0].remove.click()
    assert len(wb.load(DOC).data["objectives"]) == 2


def test_restoring_does_not_write_a_new_version(wb):
    view = smart(wb)
    view.candidate.value = "A"
    rev = wb.envelope(DOC)["revision"]
    smart(wb)
    assert wb.envelope(DOC)["revision"] == rev


def test_no_write_when_nothing_changed(wb):
    view = smart(wb)
    view.candidate.value = "A"
    rev = wb.envelope(DOC)["revision"]
    view.check()  # feedback changes, the artefact does not
    view.candidate.value = "A"
    assert wb.envelope(DOC)["revision"] == rev


def test_save_failure_is_reported_and_nothing_typed_is_lost(wb, monkeypatch):
    view = smart(wb)

    def broken(*a, **k):
        raise OSError("No space left on device")

    monkeypatch.setattr(wb, "save", broken)
    view.candidate.value = "Alex"
    assert "Not saved: No space left on device" in view.autosave.status.value
    assert view.candidate.value == "Alex"
    assert 'role="alert"' in view.autosave.status.value  # not colour alone: words and an alert role


def test_newer_saved_work_is_never_overwritten(wb):
    wb.save(DOC, {"task": "smart-objectives"})
    path = wb.path(DOC)
    env = json.loads(path.read_text())
    env["schema_version"] = 42
    path.write_text(json.dumps(env))
    before = path.read_bytes()
    view = smart(wb)
    assert "newer version" in view.autosave.status.value
    view.candidate.value = "typing"
    assert path.read_bytes() == before


def test_corrupt_save_is_recovered_and_the_learner_told(wb):
    view = smart(wb)
    view.candidate.value = "first"
    view.candidate.value = "second"
    wb.path(DOC).write_text("{ torn")
    again = smart(wb)
    assert again.candidate.value == "first"
    assert "could not be read" in again.autosave.status.value


def test_which_npq_choice_is_saved_work(wb):
    view = WhichNPQ()
    autosave(view, "which-npq", workbook=wb)
    view.scope.value = "several schools"
    again = WhichNPQ()
    autosave(again, "which-npq", workbook=wb)
    assert again.scope.value == "several schools"
    assert "(NPQEL)" in again.result.value


def test_voila_waits_for_the_browser_key(tmp_path, monkeypatch):
    monkeypatch.setenv("NPQ_WORKBOOK_HOME", str(tmp_path))
    view = WhichNPQ()
    binding = autosave(view, "which-npq", voila=True)
    assert binding.workbook is None and "Connecting" in binding.status.value
    view.workbook_key.key = "../../etc"  # refused: not a valid key
    assert binding.workbook is None
    view.workbook_key.key = "0123456789abcdef0123456789abcdef"
    assert binding.workbook.root == tmp_path / "workbooks" / "0123456789abcdef0123456789abcdef"
    view.scope.value = "team"
    assert (binding.workbook.root / "which-npq.json").exists()


def test_in_voila_detection(monkeypatch):
    for k in ("VOILA_REQUEST_URL", "VOILA_KERNEL_ID", "VOILA_SERVER_URL"):
        monkeypatch.delenv(k, raising=False)
    assert not in_voila()
    monkeypatch.setenv("VOILA_KERNEL_ID", "x")
    assert in_voila()


# -- My work: download and upload -------------------------------------------------------------------------------
def test_download_all_my_work(wb):
    wb.save("a", {"n": 1})
    mw = MyWork(workbook=wb)
    assert "<td>a</td>" in mw.summary.value
    mw.download_button.click()
    assert 'download="npq-workbook-' in mw.download.value


@pytest.mark.parametrize("raw,fragment", [(b"not a workbook", "not an NPQ Workbook file"),
                                          (b'{"format": "npq-workbook/bundle", "bundle_', "incomplete")])
def test_bad_upload_changes_nothing(wb, raw, fragment):
    wb.save("a", {"n": 1})
    before = wb.path("a").read_bytes()
    mw = MyWork(workbook=wb)
    mw.load_bytes(raw)
    assert fragment in mw.message.value and "Nothing was changed" in mw.message.value
    assert wb.path("a").read_bytes() == before and wb.ids() == ["a"]


def test_oversized_upload_is_refused(wb):
    mw = MyWork(workbook=wb)
    mw.load_bytes(b"{}", size=50 * 1024 * 1024)
    assert "too large" in mw.message.value


def test_upload_asks_about_newer_local_work(wb, tmp_path):
    import time

    wb.save("a", {"n": "old"})
    wb.save("b", {"n": "only in file"})
    raw = export_bundle(wb)
    time.sleep(0.01)
    here = Workbook(tmp_path / "here")
    here.save("a", {"n": "new"})
    mw = MyWork(workbook=here)
    mw.load_bytes(raw)
    assert "Nothing has been changed yet" in mw.message.value
    assert here.ids() == ["a"]  # nothing written before the learner chooses
    choice = mw.conflicts.children[0].children[1]
    choice.value = "keep-local"
    mw.apply_button.click()
    assert here.load("a").data == {"n": "new"} and here.load("b").data == {"n": "only in file"}
    assert "kept your version" in mw.message.value


def test_upload_via_the_file_upload_widget(wb, tmp_path):
    wb.save("a", {"n": 1})
    raw = export_bundle(wb)
    target = Workbook(tmp_path / "t")
    mw = MyWork(workbook=target)
    mw.upload.value = ({"name": "npq.json", "type": "application/json", "size": len(raw),
                        "content": memoryview(raw), "last_modified": __import__("datetime").datetime(2026, 11, 24)},)
    assert target.load("a").data == {"n": 1}
    assert "added" in mw.message.value


@pytest.mark.parametrize("doc_id,words", [
    ("which-npq", "Which NPQ is for me?"), ("profile", "Your qualification"),
    ("module--strategy-1", "Strategy & Improvement, module 1"),
    ("smart-objectives--y8-english-reading", "SMART objectives for a team member — Appraisal objectives"),
    ("smart-objectives--free", "— your own"), ("budget--free--imported-20260101-000000", "(copy loaded from a file)"),
    ("no-such-task--x", "no-such-task--x"),
])
def test_saved_work_is_listed_by_names_learners_know(doc_id, words):
    from npq_widgets.pages.my_work import describe

    assert words in describe(doc_id)
