"""When two windows (two tabs, or a tab and JupyterLab) change the same saved work: show the learner both versions
side by side and let them choose — keep both, keep mine, or use the other window's. Used by ``views/autosave.py``;
it writes nothing itself."""

from __future__ import annotations

from typing import Any, Callable

import ipywidgets as w

from .common import button, esc

MAX_ROWS = 12
MAX_CHARS = 80
_SKIP = {"task", "schema_version"}  # the same in both versions, and meaningless to a learner


def _flatten(value: Any, path: tuple = ()) -> dict[tuple, Any]:
    """Every leaf of a JSON value by its path: {("objectives", 1, "who"): "Sam"}."""
    if isinstance(value, dict):
        out: dict[tuple, Any] = {}
        for key, child in value.items():
            if not path and key in _SKIP:
                continue
            out.update(_flatten(child, (*path, key)))
        return out
    if isinstance(value, list):
        out = {}
        for i, child in enumerate(value):
            out.update(_flatten(child, (*path, i)))
        return out if value else {path: "(none)"}
    return {path: value}


def _label(path: tuple) -> str:
    words = [f"no. {p + 1}" if isinstance(p, int) else str(p).replace("_", " ") for p in path]
    return " › ".join(words) or "(the whole piece of work)"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if value is _MISSING:
        return "(not there)"
    text = str(value)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1] + "…"


_MISSING = object()


def differences(mine: Any, theirs: Any) -> list[tuple[str, str, str]]:
    """(what, this window's value, the other window's value) for every field that differs, in a stable order."""
    a, b = _flatten(mine), _flatten(theirs)
    rows = []
    for path in sorted(set(a) | set(b), key=lambda p: [(isinstance(x, str), str(x).zfill(6)) for x in p]):
        left, right = a.get(path, _MISSING), b.get(path, _MISSING)
        if left != right:
            rows.append((_label(path), _shown(left), _shown(right)))
    return rows


def compare_html(mine: Any, theirs: Any, theirs_time: str) -> str:
    rows = differences(mine, theirs)
    body = "".join(f"<tr><th scope='row'>{esc(what)}</th><td>{esc(left)}</td><td>{esc(right)}</td></tr>"
                   for what, left, right in rows[:MAX_ROWS])
    more = (f"<p class='npq-help'>…and {len(rows) - MAX_ROWS} more differences.</p>" if len(rows) > MAX_ROWS else "")
    if not rows:
        return "<p>The two versions hold the same work.</p>"
    return (f"<table class='npq-table npq-conflict-table'><thead><tr><th>What</th><th>In this window (not saved)</th>"
            f"<th>Saved from the other window{esc(theirs_time)}</th></tr></thead><tbody>{body}</tbody></table>{more}")


class ConflictPanel(w.VBox):
    """Hidden until ``show``; its three buttons call the handlers given. Keyboard reachable: plain buttons."""

    def __init__(self, keep_both: Callable[[], None], keep_mine: Callable[[], None],
                 use_theirs: Callable[[], None]):
        self.intro = w.HTML()
        self.table = w.HTML()
        self.table.add_class("npq-conflict-versions")
        self.keep_both = button("Keep both", css="npq-conflict-keep-both", primary=True)
        self.keep_mine = button("Keep this window's version", css="npq-conflict-keep-mine")
        self.use_theirs = button("Use the other window's version", css="npq-conflict-use-theirs")
        self.keep_both.on_click(lambda _b: keep_both())
        self.keep_mine.on_click(lambda _b: keep_mine())
        self.use_theirs.on_click(lambda _b: use_theirs())
        super().__init__([self.intro, self.table, w.HBox([self.keep_both, self.keep_mine, self.use_theirs])])
        self.add_class("npq-save-conflict")
        self.layout.display = "none"

    @property
    def showing(self) -> bool:
        return self.layout.display != "none"

    def show(self, mine: Any, theirs: Any, theirs_time: str) -> None:
        when = f" at {theirs_time}" if theirs_time else ""
        self.intro.value = (
            "<p role='alert'><strong>⚠ This work was also changed in another window or tab.</strong> Nothing has "
            "been overwritten. Choose what to keep: <em>Keep both</em> saves this window's version here and the "
            "other one as a copy (listed in My work).</p>")
        self.table.value = compare_html(mine, theirs, when)
        self.layout.display = ""

    def hide(self) -> None:
        self.layout.display = "none"
        self.intro.value = self.table.value = ""
