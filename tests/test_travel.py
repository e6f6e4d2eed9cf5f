"""Files that travel between people (store/travel.py): what is accepted, and every way a file is refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npq_widgets.store import travel

KINDS = {"360-response": 1}


def _file(**over) -> bytes:
    doc = travel.make("360-response", 1, "r-round1", "peers", {"group": "peers", "ratings": {"b1": 2}})
    data = doc.to_dict()
    data.update(over)
    if over:
        data["checksum"] = travel.checksum(data)
    return json.dumps(data).encode()


def test_a_file_round_trips():
    raw = travel.dumps(travel.make("360-response", 1, "r-round1", "peers", {"ratings": {"b1": 1}, "note": "é"}))
    doc = travel.loads(raw, kinds=KINDS, for_id="r-round1")
    assert (doc.kind, doc.for_id, doc.from_role, doc.content) == ("360-response", "r-round1", "peers",
                                                                  {"ratings": {"b1": 1}, "note": "é"})
    assert json.loads(raw)["checksum"].startswith("sha256:") and len(doc.file_id) == 12


def test_ids_are_random():
    assert len({travel.new_id() for _ in range(50)}) == 50


@pytest.mark.parametrize("raw,kwargs,fragment", [
    (_file(), {"for_id": "r-other"}, "for another round"),
    (_file(kind="sponsor-comment"), {}, "'sponsor-comment' file; this place loads 360-response files"),
    (_file(schema_version=2), {}, "newer version"),
    (_file(travel=2), {}, "newer version"),
    (_file(schema_version="1"), {}, "does not say which version"),
    (_file(**{"from": ""}), {}, "incomplete"),
    (_file(content=[1]), {}, "incomplete"),
    (b"\xff\xfe\x00", {}, "not a text file"),
    (b"{not json", {}, "not valid JSON"),
    (b"[1, 2]", {}, "not a file made by the workbook for sharing"),
    (b"{}", {}, "not a file made by the workbook for sharing"),
    (b"[" * 5000 + b"]" * 5000, {}, "nested too deeply"),
    (b"{\"a\":" * 13 + b"1" + b"}" * 13, {}, "nested too deeply"),
    (b" " * (travel.MAX_BYTES + 1), {}, "too big"),
])
def test_bad_files_are_refused_with_a_plain_sentence(raw, kwargs, fragment):
    with pytest.raises(travel.TravelError) as err:
        travel.loads(raw, kinds=KINDS, what="This file", **kwargs)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_a_damaged_file_is_refused_by_its_checksum():
    data = json.loads(_file())
    data["content"]["ratings"]["b1"] = 1  # changed after it was made
    with pytest.raises(travel.TravelError, match="damaged"):
        travel.loads(json.dumps(data), kinds=KINDS)


def test_a_duplicate_is_refused():
    raw = _file()
    doc = travel.loads(raw, kinds=KINDS)
    with pytest.raises(travel.TravelError, match="already been loaded"):
        travel.loads(raw, kinds=KINDS, seen=[doc.file_id])


def test_the_checksum_is_over_a_canonical_form():
    """Re-indenting or reordering keys (what an editor might do) is not damage."""
    data = json.loads(_file())
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=7)
    assert travel.loads(reordered, kinds=KINDS).content == data["content"]


# -- generated bad files --------------------------------------------------------------------------------------------
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_plainly(raw):
    with pytest.raises(travel.TravelError):
        travel.loads(raw, kinds=KINDS)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_any_json_without_a_valid_envelope_is_refused(value):
    with pytest.raises(travel.TravelError):
        travel.loads(json.dumps(value), kinds=KINDS)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_valid_file_changed_anywhere_is_refused_or_means_the_same(data):
    raw = bytearray(travel.dumps(travel.make("360-response", 1, "r-x", "team",
                                             {"ratings": {"b1": 3, "b2": None}, "comments": {"develop": "Listen"}})))
    original = travel.loads(bytes(raw), kinds=KINDS)
    pos = data.draw(st.integers(0, len(raw) - 1))
    raw[pos] = data.draw(st.integers(0, 255).filter(lambda b: b != raw[pos]))
    try:
        doc = travel.loads(bytes(raw), kinds=KINDS)
    except travel.TravelError:
        return
    assert doc == original  # only whitespace between tokens changed


@settings(max_examples=100, deadline=None)
@given(json_values, st.sampled_from(["kind", "schema_version", "for", "from", "file_id", "content", "travel"]))
def test_a_field_replaced_by_anything_is_refused_or_read(value, key):
    data = json.loads(_file())
    data[key] = value
    data["checksum"] = travel.checksum(data)  # a well-formed file with any value in any field
    try:
        doc = travel.loads(json.dumps(data), kinds=KINDS, for_id="r-round1")
    except travel.TravelError:
        return
    assert doc.kind == "360-response" and isinstance(doc.content, dict) and doc.for_id == "r-round1"
