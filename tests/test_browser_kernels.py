"""Serving a room, in Debian's Chromium: pages that are left shut their kernels; the page beyond the cap is told the
room is full, and gets in once a place is free.

Kernels are counted as the server's own child processes (``kernel_pids``), never by name across the machine.
Pages are left the ways a visitor leaves them: navigating elsewhere, reloading, and closing the tab with
``run_before_unload=True`` (a plain ``page.close()`` skips ``beforeunload``, which sends the shutdown call)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from npq_widgets.server import RETRY_AFTER_SECONDS, kernel_pids

from .conftest import VoilaServer

pytestmark = pytest.mark.browser

APP = "apps/which-npq.ipynb"
READY = ".npq-which-npq .npq-role"
CAP = 3


@pytest.fixture
def room(tmp_path):
    server = VoilaServer(tmp_path / "home", max_kernels=CAP)
    yield server
    server.stop()


def _kernels(server) -> int:
    return len(kernel_pids(server.proc.pid))


def _expect_kernels(server, n: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _kernels(server) != n:
        time.sleep(0.25)
    assert _kernels(server) == n, f"{_kernels(server)} kernels running, expected {n}\n" + \
        server.log.read_text(errors="replace")[-3000:]


def _open(context, server):
    page = context.new_page()
    page.goto(server.app_url(APP), wait_until="commit")
    page.wait_for_selector(READY, timeout=90_000)
    return page


def test_pages_that_are_left_shut_their_kernels(room, offline_context):
    visitor = offline_context()
    pages = [_open(visitor, room) for _ in range(CAP)]
    _expect_kernels(room, CAP)

    pages[0].goto(room.url + "/", wait_until="load")  # navigates away, to the gallery
    _expect_kernels(room, CAP - 1)

    pages[1].reload(wait_until="commit")  # a reload: the old kernel goes, the new page gets a new one
    pages[1].wait_for_selector(READY, timeout=90_000)
    _expect_kernels(room, CAP - 1)

    for page in pages[1:]:
        page.close(run_before_unload=True)  # closing the tab
    _expect_kernels(room, 0)

    log = room.log.read_text(errors="replace")
    assert "_xsrf' argument missing" not in log, log
    assert not [u for u in visitor.npq_blocked if "127.0.0.1" in u]


def test_the_page_beyond_the_cap_is_told_the_room_is_full(room, offline_context):
    first = offline_context()
    pages = [_open(first, room) for _ in range(CAP)]
    _expect_kernels(room, CAP)

    latecomer = offline_context().new_page()  # another person, another browser
    response = latecomer.goto(room.app_url(APP), wait_until="load")
    assert response.status == 503
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    expect(latecomer.get_by_role("heading", level=1)).to_have_text("The room is full")
    expect(latecomer.locator("body")).to_contain_text("try again in a minute")
    assert "Traceback" not in latecomer.inner_text("body")
    _expect_kernels(room, CAP)  # the refused page started nothing

    pages[0].close(run_before_unload=True)  # someone leaves: a place is free
    _expect_kernels(room, CAP - 1)
    latecomer.get_by_role("link", name="Try again now").click()
    latecomer.wait_for_selector(READY, timeout=90_000)
    _expect_kernels(room, CAP)

    for page in [*pages[1:], latecomer]:
        page.close(run_before_unload=True)
    _expect_kernels(room, 0)


def test_closing_a_page_straight_after_typing_keeps_the_typing(room, offline_context):
    """The kernel of a closed page now stops at once, before the 0.4 s autosave would have fired: the kernel saves
    what it has on its way out (autosave's exit flush), so the last keystrokes are not lost."""
    visitor = offline_context()
    smart, ready = "apps/smart-objectives.ipynb", ".npq-smart-app .npq-check"
    page = visitor.new_page()
    page.goto(room.app_url(smart), wait_until="commit")
    page.wait_for_selector(ready, timeout=90_000)
    page.locator(".npq-candidate-name input").fill("Alex Jones")
    page.locator(".npq-candidate-name input").press("Tab")  # the value is on its way to the kernel
    page.close(run_before_unload=True)  # no wait for "Saved at"
    _expect_kernels(room, 0)

    again = visitor.new_page()
    again.goto(room.app_url(smart), wait_until="commit")
    again.wait_for_selector(ready, timeout=90_000)
    expect(again.locator(".npq-candidate-name input")).to_have_value("Alex Jones")
    again.close(run_before_unload=True)
    _expect_kernels(room, 0)
