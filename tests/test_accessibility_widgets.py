"""Accessibility of the shared widgets, without a kernel: labels tied to inputs, lists rendered as lists, escaping,
and learner-facing text free of developer notes."""

from __future__ import annotations

import re

import ipywidgets as w
import pytest

from npq_widgets.paths import exercises_dir
from npq_widgets.widgets.common import WordCountedText, field, label_input, text_to_html


def test_brief_with_an_introduced_list_renders_a_list():
    brief = "What you know:\n- Two tutors <teach> maths;\n  in their own time\n- Budget & rooms\n\nAfter the list."
    html = text_to_html(brief)
    assert html == ("<p>What you know:</p><ul><li>Two tutors &lt;teach&gt; maths; in their own time</li>"
                    "<li>Budget &amp; rooms</li></ul><p>After the list.</p>")


def test_prose_stays_paragraphs_and_is_escaped():
    assert text_to_html('One "line"\nand the next.\n\nSecond <b>para</b>.') == \
        "<p>One &quot;line&quot; and the next.</p><p>Second &lt;b&gt;para&lt;/b&gt;.</p>"
    assert text_to_html("") == ""


def test_every_module_key_ideas_and_every_brief_with_bullets_render_lists():
    import yaml

    seen = 0
    for path in sorted(exercises_dir().rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = []
        if isinstance(data, dict):
            texts.append(data.get("key_ideas") or "")
            texts += [s.get("brief") or "" for s in data.get("scenarios") or [] if isinstance(s, dict)]
        for text in texts:
            if re.search(r"^\s*- ", str(text), re.M):
                html = text_to_html(text)
                seen += 1
                assert "<li>" in html, path
                assert not re.search(r"<p>[^<]*(^|\s)- ", html), (path, html[:300])
    assert seen >= 10


@pytest.mark.parametrize("make", [
    lambda: w.Text(), lambda: w.Textarea(), lambda: w.Dropdown(options=["a", "b"]),
    lambda: w.SelectMultiple(options=["a", "b"]), lambda: w.FloatText(),
])
def test_field_ties_its_label_to_the_input(make):
    widget = make()
    box, _message = field("Starting point", widget)
    assert widget.description == "Starting point"  # ipywidgets 8 renders it as <label for=the input>
    assert "npq-label-sr" in widget._dom_classes
    assert 'aria-hidden="true"' in box.children[0].value  # the visible copy is not read twice


def test_field_labels_the_text_box_of_a_word_counted_text_and_keeps_a_checkbox_own_label():
    text = WordCountedText()
    field("Objective", text)
    assert text.text.description == "Objective"
    tick = w.Checkbox(description="Milestone")
    box, _ = field("Check point?", tick)
    assert tick.description == "Milestone" and "aria-hidden" not in box.children[0].value


def test_label_input_never_overwrites_a_visible_description():
    slot = w.Dropdown(options=["a"], description="1st")
    label_input(slot, "Order")
    assert slot.description == "1st" and "npq-label-sr" not in slot._dom_classes


def test_no_developer_notes_in_learner_facing_data():
    for path in sorted(exercises_dir().rglob("*.yaml")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.lstrip().startswith("#")]
        shown = "\n".join(lines)
        for note in ("domain-notes.md", "See domain-notes", "Issue 5"):
            assert note not in shown, (path, note)
    from npq_widgets.tasks.risk_register.model import RagThresholds

    assert "domain-notes" not in RagThresholds().source


def test_contents_glosses_ftf_and_keeps_the_seed_quote():
    from npq_widgets.pages.contents import _gloss

    assert _gloss("FTF events") == "FTF (face-to-face) events"
