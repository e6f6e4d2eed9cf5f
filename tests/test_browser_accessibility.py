"""Accessibility in a real browser: axe-core (WCAG 2.2 A/AA and best practice) on every served page, offline.

One Voila server, the pages visited in turn. Critical and serious violations fail the test; moderate and minor ones
are printed and counted."""

from __future__ import annotations

from collections import Counter

import pytest

from npq_widgets.paths import notebooks_dir

from .axe import axe_source, run_axe
from .conftest import open_app

pytestmark = pytest.mark.browser
PAGES = sorted(p.relative_to(notebooks_dir()).as_posix() for p in notebooks_dir().rglob("*.ipynb")
               if ".ipynb_checkpoints" not in p.parts)
BLOCKING = {"critical", "serious"}


@pytest.fixture(scope="module")
def axe_js():
    return axe_source()


def test_every_page_has_no_serious_accessibility_violation_and_loads_nothing_from_outside(
        offline_page, voila_server, axe_js):
    assert len(PAGES) >= 27, PAGES
    page = offline_page
    blocking: list[str] = []
    counts: dict[str, Counter] = {}
    for notebook in PAGES:
        open_app(page, voila_server, notebook, ".npq-app")  # reloads a stalled load once; names a page that never opens
        page.wait_for_function("() => !document.querySelector('#loading') || "
                               "getComputedStyle(document.querySelector('#loading')).display === 'none'")
        page.wait_for_timeout(500)
        assert "Traceback" not in page.inner_text("body"), notebook
        # the npq template: everything in one <main>, one h1 per page
        structure = page.evaluate("() => [document.querySelectorAll('main').length, "
                                  "document.querySelectorAll('h1').length, document.querySelectorAll('main h1').length]")
        if structure != [1, 1, 1]:
            blocking.append(f"{notebook}: [main, h1, h1 in main] = {structure}, expected [1, 1, 1]")
        if notebook == "apps/my-work.ipynb":  # ipywidgets' FileUpload appends a count: "Load a workbook file (0)"
            upload = page.locator(".npq-upload-work").inner_text().strip()
            if upload != "Load a workbook file":
                blocking.append(f"{notebook}: the upload button reads {upload!r}")
        violations = run_axe(page, axe_js)
        counts[notebook] = Counter()
        for v in violations:
            counts[notebook][f"{v['impact']}:{v['id']}"] += len(v["nodes"])
            if v["impact"] in BLOCKING:
                blocking.append(f"{notebook}: {v['impact']} {v['id']} ({v['help']}) x{len(v['nodes'])}: "
                                f"{v['nodes'][0]['target']} {v['nodes'][0]['html']}")
    total = Counter()
    for notebook, c in counts.items():
        total.update(c)
        print(f"axe {notebook}: " + (", ".join(f"{k}={n}" for k, n in sorted(c.items())) or "no violations"))
    print("axe total: " + (", ".join(f"{k}={n}" for k, n in sorted(total.items())) or "no violations"))
    if page.npq_blocked:
        blocking.append(f"requests refused by the offline harness: {sorted(set(page.npq_blocked))}")
    assert not blocking, "\n".join(blocking)
