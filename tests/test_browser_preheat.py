"""Preheated kernels (Voila's kernel pool) keep each room visitor's work their own.

A pooled kernel runs the app's notebook before any visitor arrives, so it cannot know whose page it will be; its
workbook must be chosen only when the page, in the visitor's browser, sends its key. This test serves the SMART objectives
app with a pool of one kernel in room mode: two browsers (two contexts: two workbook keys) take pooled kernels in
turn, and each sees only its own work. The pool is not switched on by `npq-workbook run` (README, Serving a room,
says why); `npq_widgets.server.kernel_pool_options` is what a server would add to use one."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from npq_widgets.server import kernel_pool_options

from .conftest import VoilaServer, open_app

pytestmark = pytest.mark.browser
APP = "apps/smart-objectives.ipynb"
READY = ".npq-smart-app .npq-check"


@pytest.fixture
def pooled_room(tmp_path):
    server = VoilaServer(tmp_path / "home", room=True, extra_args=kernel_pool_options({APP: 1}))
    deadline = time.monotonic() + 120
    while "is filled with" not in server.log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.5)
    yield server
    server.stop()


def _pooled_pages(server) -> int:
    return server.log.read_text(errors="replace").count("Using pre-heated kernel")


def _wait_for_pool(server, served: int) -> None:
    """Wait until the pool has been filled again after ``served`` pages took a kernel from it."""
    deadline = time.monotonic() + 120
    while server.log.read_text(errors="replace").count("is filled with") < served + 1 and time.monotonic() < deadline:
        time.sleep(0.5)


def test_each_visitor_on_a_pooled_kernel_sees_only_their_own_work(offline_context, pooled_room):
    alice = offline_context().new_page()
    open_app(alice, pooled_room, APP, READY)
    assert _pooled_pages(pooled_room) == 1  # Alice's page came from the pool
    expect(alice.locator(".npq-candidate-name input")).to_have_value("")
    alice.locator(".npq-candidate-name input").fill("Alice Adams")
    expect(alice.locator(".npq-save-status")).to_contain_text("Saved at")
    alice.wait_for_timeout(600)

    _wait_for_pool(pooled_room, 1)  # a new kernel, preheated before Bob arrives
    bob = offline_context().new_page()
    open_app(bob, pooled_room, APP, READY)
    assert _pooled_pages(pooled_room) == 2
    expect(bob.locator(".npq-save-status")).to_contain_text("saves automatically")
    expect(bob.locator(".npq-candidate-name input")).to_have_value("")  # nothing of Alice's
    bob.locator(".npq-candidate-name input").fill("Bob Brown")
    expect(bob.locator(".npq-save-status")).to_contain_text("Saved at")
    bob.wait_for_timeout(600)

    _wait_for_pool(pooled_room, 2)
    alice.reload(wait_until="commit")  # Alice again, on the next pooled kernel: her work, not Bob's
    alice.wait_for_selector(READY, timeout=60_000)
    assert _pooled_pages(pooled_room) == 3
    expect(alice.locator(".npq-candidate-name input")).to_have_value("Alice Adams")
    bob.reload(wait_until="commit")
    bob.wait_for_selector(READY, timeout=60_000)
    expect(bob.locator(".npq-candidate-name input")).to_have_value("Bob Brown")
    workbooks = [p for p in (pooled_room.home / "workbooks").iterdir() if any(p.iterdir())]
    assert len(workbooks) == 2, workbooks
