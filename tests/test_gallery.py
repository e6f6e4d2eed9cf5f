"""The gallery without a kernel: a card for every app and module notebook, search, progress, links; thumbnails small."""

from __future__ import annotations

from pathlib import Path

from npq_widgets.pages.gallery import Gallery, lab_link, sections, tree_link
from npq_widgets.paths import notebooks_dir
from npq_widgets.store.workbook import Workbook

NB = notebooks_dir()


def test_every_app_and_module_notebook_has_exactly_one_card():
    cards = [c.notebook for s in sections() for c in s.cards]
    notebooks = sorted(str(p.relative_to(NB)) for p in NB.glob("*/*.ipynb")) + ["00_start_here.ipynb"]
    assert sorted(cards) == sorted(notebooks)
    assert len(cards) == len(set(cards))


def test_grouped_as_the_course_is():
    titles = [s.title for s in sections()]
    assert titles[0] == "Start here" and titles[-1] == "Assessment tools and facilitators"
    assert "Course: Strategy & Improvement" in titles
    assert any(t.startswith("5.1.3 ") for t in titles)
    risk = next(s for s in sections() if s.title.startswith("5.1.3 "))
    assert [c.notebook for c in risk.cards] == ["apps/risk-register.ipynb", "apps/risk-register-own-project.ipynb"]


def test_search_hides_what_does_not_match_and_says_how_many(tmp_path):
    g = Gallery(workbook=Workbook(tmp_path / "wb"))
    g.search.value = "5.1.3"
    shown = [c.notebook for c, box, _ in g.cards if box.layout.display != "none"]
    modules = [c.notebook for s in sections() for c in s.cards if c.module and "5.1.3" in c.evidences]
    evidencing = [c.notebook for s in sections() for c in s.cards if "5.1.3" in c.evidences]
    assert modules and shown == evidencing
    assert {"apps/risk-register.ipynb", "apps/risk-register-own-project.ipynb"} <= set(shown)
    assert f"{len(shown)} of {len(g.cards)} cards match" in g.found.value
    g.search.value = "budget — your own project"
    assert [c.notebook for c, box, _ in g.cards if box.layout.display != "none"] == ["apps/budget-own-project.ipynb"]
    g.search.value = ""
    assert all(box.layout.display != "none" for _, box, _ in g.cards)


def test_progress_shows_where_known(tmp_path):
    wb = Workbook(tmp_path / "wb")
    wb.save("check--risk-register--free", {"task": "check-record", "checked_task": "risk-register", "status": "pass"})
    wb.save("check--budget--y9-tutoring", {"task": "check-record", "checked_task": "budget", "status": "fail"})
    wb.save("module--resources-1", {"task": "module", "reflections": {"r1": "Some thoughts"}})
    g = Gallery(workbook=wb)
    progress = {c.notebook: p.value for c, _, p in g.cards}
    assert progress["apps/risk-register.ipynb"] == "✔ Passed"
    assert progress["apps/budget.ipynb"] == "◐ Checked — not yet passing"
    assert progress["apps/smart-objectives.ipynb"] == ""
    assert progress["modules/resources-1.ipynb"].endswith("activities done")
    assert progress["modules/strategy-1.ipynb"] == ""


def test_links_for_the_standalone_server_and_for_binder_or_a_hub():
    assert lab_link("apps/budget.ipynb", "/voila/render/gallery.ipynb") == \
        "http://127.0.0.1:8888/lab/tree/apps/budget.ipynb"
    assert lab_link("apps/budget.ipynb", "/user/ana/voila/render/notebooks/gallery.ipynb") == \
        "/user/ana/lab/tree/notebooks/apps/budget.ipynb"
    assert tree_link("/voila/render/gallery.ipynb") == "/voila/tree/"
    assert tree_link("/user/ana/voila/render/notebooks/gallery.ipynb") == "/user/ana/voila/tree/notebooks/"
    g = Gallery(workbook=None, voila=False, request_path="/voila/render/gallery.ipynb")
    html = g.children[2].value
    assert 'href="/voila/tree/"' in html


def test_thumbnails_are_small_pngs_of_320_by_180():
    thumbs = sorted((NB / "thumbnails").glob("*.png"))
    assert thumbs, "scripts/make_thumbnails.py makes them from the gallery test's screenshots"
    for p in thumbs:
        raw = p.read_bytes()
        assert raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) < 30 * 1024, p.name
        assert int.from_bytes(raw[16:20], "big") == 320 and int.from_bytes(raw[20:24], "big") == 180, p.name
