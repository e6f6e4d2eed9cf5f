"""Facilitator mode without a kernel: the flag from the command line to the kernels, the facilitator bar (scenario,
model answer beside the live view, hints in order, reset with a kept copy), the case study's facilitator note and the
release to the room — and the proof that without facilitator mode no model answer and no facilitator note is in any
widget of any notebook's page."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import ipywidgets as w
import pytest

from npq_widgets.hosting import FACILITATOR_ENV, facilitator_mode
from npq_widgets.paths import notebooks_dir
from npq_widgets.registry import all_tasks, get_task
from npq_widgets.store import release as rel
from npq_widgets.store.workbook import Workbook

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def facilitator(monkeypatch):
    monkeypatch.setenv(FACILITATOR_ENV, "1")


@pytest.fixture
def candidate(monkeypatch):
    monkeypatch.delenv(FACILITATOR_ENV, raising=False)


# -- the flag ------------------------------------------------------------------------------------------------------
def test_facilitator_mode_is_off_unless_the_flag_is_exactly_on():
    assert facilitator_mode({FACILITATOR_ENV: "1"})
    for value in ("", "0", "yes", "true"):
        assert not facilitator_mode({FACILITATOR_ENV: value})
    assert not facilitator_mode({})


def test_run_facilitator_reaches_the_kernels_and_implies_a_room(monkeypatch):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from npq_widgets.cli import build_parser, voila_command
    from npq_widgets.server.kernels import RoomKernelManager
    from tests.kernel_ws import _run

    assert build_parser().parse_args(["run"]).facilitator is False  # never on by default
    assert build_parser().parse_args(["run", "--facilitator"]).facilitator is True
    cmd = voila_command(8899, facilitator=True)
    assert "--RoomKernelManager.facilitator=True" in cmd and "--RoomKernelManager.workbook_mode=room" in cmd
    assert not any("RoomKernelManager.facilitator" in a for a in voila_command(8899, room=True))
    seen = []

    async def fake_start(self, *args, **kwargs):
        seen.append(kwargs.get("env"))
        return kwargs["kernel_id"]

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", fake_start)
    _run(RoomKernelManager(workbook_mode="room", facilitator=True).start_kernel(env={"PATH": "/bin"}))
    assert seen[-1] == {"PATH": "/bin", "NPQ_WORKBOOK_MODE": "room", FACILITATOR_ENV: "1"}
    # a flag left in the server's shell never reaches the kernels of a server started without --facilitator
    _run(RoomKernelManager(workbook_mode="room").start_kernel(env={"PATH": "/bin", FACILITATOR_ENV: "1"}))
    assert seen[-1] == {"PATH": "/bin", "NPQ_WORKBOOK_MODE": "room"}
    monkeypatch.setenv(FACILITATOR_ENV, "1")
    _run(RoomKernelManager().start_kernel())
    assert FACILITATOR_ENV not in seen[-1]


# -- the release file ----------------------------------------------------------------------------------------------
def test_a_release_round_trips_through_one_room_file_outside_every_workbook(_isolated_home):
    made = rel.release("npqh-oakfield-reading", 90, now=NOW.replace(second=41))
    path = _isolated_home / "room" / "case-study-release.json"
    assert rel.release_file() == path and path.is_file()
    assert not (_isolated_home / "workbooks").exists()  # nobody's workbook is touched
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # written atomically: no temporary left
    back = rel.current_release(now=NOW + dt.timedelta(minutes=5))
    assert back == made and back.released_at == NOW and back.minutes == 90 and back.pack == "npqh-oakfield-reading"
    assert back.ends_at == NOW + dt.timedelta(minutes=90)
    again = rel.release("npqel-northern-lights", 45, now=NOW)  # a new release replaces the old one
    assert rel.current_release(now=NOW) == again and again.id != made.id
    assert rel.withdraw() is True and rel.current_release(now=NOW) is None and rel.withdraw() is False


def test_an_expired_window_ends_then_is_ignored(_isolated_home):
    made = rel.release("npqh-oakfield-reading", 90, now=NOW)
    during, after = NOW + dt.timedelta(minutes=89), NOW + dt.timedelta(minutes=90)
    assert not made.ended(during) and made.ended(after)
    assert rel.current_release(now=after) == made  # time is up: pages still open it, to download the response
    assert rel.current_release(now=made.ends_at + rel.STALE_AFTER - dt.timedelta(seconds=1)) == made
    assert rel.current_release(now=made.ends_at + rel.STALE_AFTER) is None  # last week's event opens nothing


@pytest.mark.parametrize("pack, minutes", [("../etc/passwd", 90), ("NPQH", 90), ("", 90), ("npqh-x", 0),
                                           ("npqh-x", 24 * 60 + 1), ("npqh-x", True), ("npqh-x", 1.5)])
def test_a_release_with_a_bad_pack_or_window_is_refused_and_nothing_is_written(_isolated_home, pack, minutes):
    with pytest.raises(rel.ReleaseProblem):
        rel.release(pack, minutes, now=NOW)
    assert not rel.release_file().exists()


def _write(data) -> None:
    path = rel.release_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())


GOOD = {"kind": rel.KIND, "schema_version": 1, "id": "0123456789ab", "pack": "npqh-oakfield-reading", "minutes": 90,
        "released_at": NOW.isoformat()}


@pytest.mark.parametrize("damage, words", [
    (b"\x00\xff not json", "damaged"),
    (b"{\"kind\": ", "damaged"),
    (b"[1, 2]", "damaged"),
    (b" " * (rel.MAX_BYTES + 1), "too large"),
    ({**GOOD, "kind": "npq-workbook/feedback"}, "damaged"),
    ({**GOOD, "schema_version": 2}, "newer version"),
    ({**GOOD, "extra": "<script>alert(1)</script>"}, "damaged"),
    ({k: v for k, v in GOOD.items() if k != "minutes"}, "damaged"),
    ({**GOOD, "id": "<img src=x onerror=alert(1)>"}, "damaged"),
    ({**GOOD, "pack": "<script>alert(1)</script>"}, "not one of the workbook's case studies"),
    ({**GOOD, "minutes": "90"}, "whole number of minutes"),
    ({**GOOD, "minutes": 10 ** 12}, "whole number of minutes"),
    ({**GOOD, "released_at": "yesterday"}, "damaged"),
    ({**GOOD, "released_at": "2026-11-05T10:00:00"}, "damaged"),  # no time zone
    ({**GOOD, "released_at": (NOW + dt.timedelta(hours=2)).isoformat()}, "in the future"),
])
def test_a_damaged_or_hostile_release_file_is_refused_plainly(_isolated_home, damage, words):
    _write(damage)
    with pytest.raises(rel.ReleaseProblem) as caught:
        rel.current_release(now=NOW)
    message = str(caught.value)
    assert words in message and "<" not in message and "Traceback" not in message
    _write(GOOD)
    assert rel.current_release(now=NOW).pack == "npqh-oakfield-reading"  # the same file, undamaged, is read


# -- the case study: facilitator note, release to the room -----------------------------------------------------------
def test_the_facilitator_note_is_on_the_case_study_only_in_facilitator_mode(candidate, monkeypatch):
    from npq_widgets.apps import task_app

    view = task_app("case-study", facilitator=True)  # the task's own option cannot switch it on
    assert view.show_facilitator is None
    assert "Facilitator note" not in view.pack_view.value
    monkeypatch.setenv(FACILITATOR_ENV, "1")
    app = task_app("case-study", facilitator=True)
    assert "Facilitator note" in app.view.pack_view.value
    app.view.show_facilitator.value = False
    assert "Facilitator note" not in app.view.pack_view.value


def test_a_released_case_study_opens_on_every_candidate_page_in_its_own_document(candidate, monkeypatch):
    from npq_widgets.apps import task_app

    practice = task_app("case-study")
    practice.part_boxes["problems"].text.value = "My earlier practice on Riverside."
    practice.autosave.flush()

    monkeypatch.setenv(FACILITATOR_ENV, "1")
    app = task_app("case-study")
    panel = app.extras.children[0]
    assert "Nothing is released" in panel.status.value and panel.end_button.disabled
    panel.pack.value, panel.minutes.value = "npqh-oakfield-reading", 90
    panel.release_button.click()
    assert "Released to the room" in panel.status.value and "Oakfield" in panel.status.value
    assert app.view.pack.disabled is False  # the facilitator's own page is not locked by the release

    monkeypatch.delenv(FACILITATOR_ENV)
    page = task_app("case-study")
    made = rel.current_release()
    assert page.pack.value == "npqh-oakfield-reading" and page.minutes.value == 90
    assert page.pack.disabled and page.released.disabled and page.minutes.disabled
    assert "Mock assessment" in page.release_note.value and "90 minutes" in page.release_note.value
    deadline = dt.datetime.strptime(page.released.value, "%d/%m/%Y %H:%M")
    assert f"{(deadline + dt.timedelta(minutes=90)):%d/%m/%Y %H:%M}" in page.window_html.value
    assert page.autosave.doc_id == f"case-study--npqsl-riverside-attendance--mock-{made.id}"
    assert page.part_boxes["problems"].text.value == ""  # a fresh response; the practice is untouched:
    saved = Workbook.for_key("local").load("case-study--npqsl-riverside-attendance").data
    assert saved["parts"]["problems"] == "My earlier practice on Riverside."
    page.load({"pack": "npqel-northern-lights", "released": "01/01/2026 09:00", "practice_minutes": 5})
    assert page.pack.value == "npqh-oakfield-reading" and page.minutes.value == 90  # the room's stays

    monkeypatch.setenv(FACILITATOR_ENV, "1")
    panel.end_button.click()
    assert "Nothing is released" in panel.status.value
    monkeypatch.delenv(FACILITATOR_ENV)
    after = task_app("case-study")
    assert not after.pack.disabled and after.release_note.value == ""
    assert after.autosave.doc_id == "case-study--npqsl-riverside-attendance"


def test_time_up_tells_the_candidate_to_download(candidate):
    from npq_widgets.apps import task_app

    made = rel.release("npqlt-science-questioning", 30, now=dt.datetime.now(UTC) - dt.timedelta(minutes=31))
    page = task_app("case-study")
    assert page.room_release == made
    assert "Time is up" in page.release_note.value and "LATE" in page.window_html.value


def test_a_damaged_release_leaves_ordinary_practice_with_a_plain_line(candidate):
    from npq_widgets.apps import task_app

    _write(b"{broken")
    page = task_app("case-study")
    assert page.room_release is None and not page.pack.disabled
    assert "could not be read" in page.release_note.value and "ordinary practice" in page.release_note.value


# -- the facilitator bar -------------------------------------------------------------------------------------------
def _inputs(root):
    stack, out = [root], []
    while stack:
        widget = stack.pop()
        out.append(widget)
        stack.extend(getattr(widget, "children", ()) or ())
        if isinstance(getattr(widget, "text", None), w.Widget):
            stack.append(widget.text)
    return out


def test_the_bar_is_on_every_task_in_facilitator_mode_and_on_none_without(facilitator, monkeypatch):
    from npq_widgets.apps import task_app
    from npq_widgets.widgets.facilitator import FacilitatorApp

    for task in all_tasks():
        app = task_app(task.id)
        assert isinstance(app, FacilitatorApp), task.id
        assert app.view.scenario is not None and app.scenario_choice.value == task.scenarios[0].id
    monkeypatch.delenv(FACILITATOR_ENV)
    assert not isinstance(task_app("smart-objectives"), FacilitatorApp)


def test_choosing_a_scenario_reopens_the_app_on_it(facilitator):
    from npq_widgets.apps import task_app

    app = task_app("case-study")
    first = app.view
    app.scenario_choice.value = "npqel-northern-lights"
    assert app.view is not first and app.live.children == (app.view,)
    assert app.view.scenario.id == "npqel-northern-lights" and app.view.pack.value == "npqel-northern-lights"
    assert app.view.autosave.doc_id == "case-study--npqel-northern-lights"
    assert not app.model_button.disabled  # every practice pack has a model response outline


def test_a_scenario_without_a_model_answer_says_so_on_the_bar(facilitator, monkeypatch):
    import dataclasses

    from npq_widgets.apps import task_app
    from npq_widgets.registry import get_task

    task = get_task("case-study")
    bare = dataclasses.replace(task.scenario("npqel-northern-lights"), model_answer=None)
    real = type(task).scenario
    monkeypatch.setattr(type(task), "scenario",
                        lambda self, sid=None: bare if sid == bare.id else real(self, sid))
    app = task_app("case-study")
    app.scenario_choice.value = "npqel-northern-lights"
    assert app.model_button.disabled and "No model answer" in app.model_button.description


def test_the_model_answer_is_shown_beside_read_only_and_never_over_the_live_work(facilitator):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    app.view.candidate.value = "Sam"
    app.view.autosave.flush()
    before = json.dumps(app.view.artefact, sort_keys=True)
    app.toggle_model_answer()
    card = app.model.children[0]
    shown = card.children[1]
    model = get_task("smart-objectives").scenario().model_answer
    assert shown.artefact["objectives"] == get_task("smart-objectives").normalise(model)["objectives"]
    assert json.dumps(app.view.artefact, sort_keys=True) == before  # the candidate's work is as it was
    assert Workbook.for_key("local").load("smart-objectives--y8-english-reading").data["candidate"]["name"] == "Sam"
    editable = [x for x in _inputs(shown) if x.has_trait("disabled") and not x.disabled]
    assert not editable, editable  # read-only
    assert "Model answer (read-only)" in card.children[0].value and app.model_button.description.startswith("Hide")
    app.view.show_model_answer()  # a view bound to saved work is never loaded with the model answer
    assert json.dumps(app.view.artefact, sort_keys=True) == before
    app.toggle_model_answer()
    assert app.model.children == () and app.model_button.description == "Show the model answer"


def test_the_hints_step_through_the_checkers_ladder_in_order_without_counting_attempts(facilitator):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    view = app.view
    model = dict(get_task("smart-objectives").scenario().model_answer)
    view.load(model)
    objectives = view.artefact
    first = objectives["objectives"][0] if "objectives" in objectives else None
    assert first is not None
    first_key = next(k for k, v in first.items() if isinstance(v, str) and len(v) > 20)
    first[first_key] = "Do better"
    view.load(objectives)
    expected = []
    for attempt in range(1, 11):
        hint = view.task.check(view.artefact, attempt=attempt, scenario=view.scenario).hint
        if not hint or (expected and hint == expected[-1]):
            break
        expected.append(hint)
    assert len(expected) >= 2
    shown = []
    for n in range(1, len(expected) + 2):
        app.hint_button.click()
        shown.append(app.hint_area.value)
        assert f"Hint {min(n, len(expected))} of {len(expected)}" in app.hint_area.value
    from npq_widgets.widgets.common import esc

    for n, hint in enumerate(expected):
        assert esc(hint) in shown[n]
    assert app.hint_button.description == "Last hint shown" and view.attempts == 0
    app.hint_restart.click()
    assert app.hint_area.value == "" and app.hint_button.description == "Show the first hint"


def test_reset_asks_first_and_keeps_the_work_before_as_a_copy(facilitator):
    from npq_widgets.apps import task_app

    app = task_app("smart-objectives")
    app.view.candidate.value = "Work to keep"
    app.view.autosave.flush()
    app.reset_button.click()
    assert app.reset_yes in app.confirm.children and "kept as a copy" in app.reset_question.value
    app.reset_no.click()
    assert app.confirm.children == () and app.view.candidate.value == "Work to keep"
    doc = "smart-objectives--y8-english-reading"
    assert Workbook.for_key("local").load(doc).data["candidate"]["name"] == "Work to keep"
    app.reset_button.click()
    app.reset_yes.click()
    wb = Workbook.for_key("local")
    assert app.view.candidate.value == "" and not wb.load(doc).data["candidate"].get("name")
    copies = [d for d in wb.ids() if d.startswith(doc + "--before-reset-")]
    assert len(copies) == 1 and wb.load(copies[0]).data["candidate"]["name"] == "Work to keep"
    assert "kept as a copy" in app.message.value


# -- no model answer without facilitator mode, in any widget of any page ----------------------------------------------
def _strings(value, out: list[str]) -> list[str]:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _strings(v, out)
    return out


@functools.cache
def model_secrets() -> dict[str, str]:
    """Distinctive strings of every model answer (free text of 40 characters or more that the scenario's brief, data
    and blank view do not hold: a 360° statement the answer rates is the catalogue's, not the answer's) and every
    case-study pack's facilitator note, read from the files — never written out here."""
    import html

    from ipywidgets.widgets.widget import _instances

    from npq_widgets.apps import _plain_view
    from npq_widgets.tasks.case_study.packs import load_packs

    found = {}
    for task in all_tasks():
        for sc in task.scenarios:
            if not sc.model_answer:
                continue
            before = set(_instances)
            _plain_view(task, sc, {})  # what a candidate sees before typing anything
            blank = "\n".join(_widget_text(before).values())
            public = sc.brief + json.dumps(sc.data, ensure_ascii=False) + blank + html.unescape(blank)
            for text in _strings(dict(sc.model_answer), []):
                text = text.strip()
                if len(text) >= 40 and text not in public:
                    found[text[:60]] = f"{task.id}/{sc.id} model answer"
    for pack in load_packs().packs:
        for point, _areas in pack.facilitator_note:
            found[point[:60]] = f"{pack.id} facilitator note"
    return found


def test_the_secrets_are_many_and_come_from_every_model_answer_and_pack():
    found = model_secrets()
    sources = set(found.values())
    with_answers = {f"{t.id}/{s.id} model answer" for t in all_tasks() for s in t.scenarios if s.model_answer}
    assert with_answers - {"data-analysis/" + s.id + " model answer" for s in get_task("data-analysis").scenarios} \
        <= sources  # (the data analysis answers are figures, with no free text)
    assert sum(v.endswith("facilitator note") for v in found.values()) >= 6 * 3


def notebook_calls() -> list[tuple[str, str]]:
    """The one call of every app and module notebook (the notebooks are thin: the last line is the call)."""
    calls = []
    for nb in sorted(notebooks_dir().rglob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                calls.append((str(nb.relative_to(notebooks_dir())), source))
    return calls


def _widget_text(before: set[str] = frozenset()) -> dict[str, str]:
    """The strings of every widget made since ``before`` (the model ids that existed then)."""
    from ipywidgets.widgets.widget import _instances

    texts = {}
    for model_id, widget in list(_instances.items()):
        if model_id in before:
            continue
        parts = []
        for name in widget.keys:
            value = getattr(widget, name, None)
            if isinstance(value, (str, list, tuple, dict)):
                parts += _strings(value, [])
        texts[model_id] = "\n".join(parts)
    return texts


def _leaks(texts: dict[str, str], found: dict[str, str]) -> list[str]:
    import html

    joined = "\n".join(texts.values())
    joined += "\n" + html.unescape(joined)
    return sorted({where for text, where in found.items() if text in joined})


def test_without_facilitator_mode_no_page_holds_a_model_answer_or_a_facilitator_note(candidate):
    from ipywidgets.widgets.widget import _instances

    found = model_secrets()
    calls = notebook_calls()
    assert len(calls) >= 40 and any("model_answer=True" in c for _, c in calls)
    for name, source in calls:
        before = set(_instances)
        exec(compile(source, name, "exec"), {})
        leaks = _leaks(_widget_text(before), found)
        assert not leaks, (name, leaks)


def test_the_scan_finds_them_where_they_are_shown(facilitator):
    """The same scan, in facilitator mode with the model answer and the note shown: it finds what it looks for."""
    from npq_widgets.apps import task_app

    found = model_secrets()
    app = task_app("three-sixty", model_answer=True)
    assert "three-sixty/middle-leader model answer" in _leaks(_widget_text(), found)
    case = task_app("case-study", facilitator=True)
    case.toggle_model_answer()
    leaks = _leaks(_widget_text(), found)
    assert "case-study/npqsl-riverside-attendance model answer" in leaks
    assert "npqsl-riverside-attendance facilitator note" in leaks
    assert app is not None
