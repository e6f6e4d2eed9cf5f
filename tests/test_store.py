"""The store: round trips, previous versions, corruption recovery, migration, safe paths, bundles, crash safety."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from npq_widgets.store.bundle import (KEEP_BOTH, KEEP_LOCAL, REPLACE, apply_import, export_bundle, plan_import,
                                      read_bundle)
from .crashsafety import kill_saver_repeatedly
from npq_widgets.store.workbook import (NewerVersionError, StoreError, Workbook, register_doc_type, safe_name,
                                        valid_key)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def wb(tmp_path):
    return Workbook(tmp_path / "wb")


@pytest.fixture
def test_note_v2():
    """A test-only document type at version 2: v1 had 'title' and 'body'; v2 splits body into a list of lines."""
    def v1_to_v2(data):
        data = dict(data)
        data["lines"] = [ln for ln in str(data.pop("body", "")).split("\n") if ln]
        return data

    register_doc_type("test-note", 2, {1: v1_to_v2})
    yield
    register_doc_type("test-note", 1)


# -- round trips -------------------------------------------------------------------------------------------------
def test_save_load_round_trip_and_previous_version(wb):
    assert wb.load("doc").data is None
    wb.save("doc", {"task": "doc", "n": 1})
    wb.save("doc", {"task": "doc", "n": 2})
    loaded = wb.load("doc")
    assert loaded.data == {"task": "doc", "n": 2} and loaded.revision == 2 and loaded.message is None
    prev = json.loads((wb.root / "doc.prev.json").read_text())
    assert prev["data"] == {"task": "doc", "n": 1}
    assert wb.ids() == ["doc"]


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text() |
                           st.floats(allow_nan=False, allow_infinity=False),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_property_any_json_document_round_trips(tmp_path, data):
    wb = Workbook(tmp_path / f"p{random.random()}")
    wb.save("doc", data)
    assert wb.load("doc").data == data


@pytest.mark.parametrize("fixture,doc_id", [("smart-objectives-v1.json", "smart-objectives--y8-english-reading"),
                                            ("which-npq-v1.json", "which-npq")])
def test_task_documents_version_1_round_trip(wb, fixture, doc_id):
    data = json.loads((FIXTURES / fixture).read_text())
    wb.save(doc_id, data)
    assert wb.load(doc_id).data == data


# -- corruption and interrupted saves ------------------------------------------------------------------------------
@pytest.mark.parametrize("garbage", [b"", b"{\"format\": \"npq-work", b"\x00\x01\x02", b"[1, 2, 3]",
                                     b'{"format": "npq-workbook/document", "data": 1}'])
def test_corrupt_file_set_aside_and_previous_restored(wb, garbage):
    wb.save("doc", {"n": 1})
    wb.save("doc", {"n": 2})
    wb.path("doc").write_bytes(garbage)
    loaded = wb.load("doc")
    assert loaded.data == {"n": 1}
    assert "could not be read" in loaded.message and "restored" in loaded.message
    aside = list(wb.root.glob("doc.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage  # set aside, not deleted
    assert wb.load("doc").data == {"n": 1} and wb.load("doc").message is None


def test_corrupt_without_previous_starts_afresh_and_says_so(wb):
    wb.root.mkdir(parents=True)
    wb.path("doc").write_text("not json")
    loaded = wb.load("doc")
    assert loaded.data is None and "starts afresh" in loaded.message
    assert list(wb.root.glob("doc.corrupt-*.json"))


def test_interrupted_between_renames_recovers_old_version(wb):
    wb.save("doc", {"n": 1})
    wb.save("doc", {"n": 2})
    os.replace(wb.path("doc"), wb.root / "doc.prev.json")  # as if killed after setting the old version aside
    assert wb.load("doc").data == {"n": 2} or wb.load("doc").data == {"n": 1}
    assert wb.path("doc").exists()


# -- migration ---------------------------------------------------------------------------------------------------
def test_version_1_fixture_is_migrated(wb, test_note_v2):
    wb.root.mkdir(parents=True)
    (wb.root / "test-note.json").write_bytes((FIXTURES / "test-note-v1.json").read_bytes())
    loaded = wb.load("test-note")
    assert loaded.data == {"task": "test-note", "schema_version": 2, "title": "Reading plan",
                           "lines": ["Year 8 fluency"]}
    wb.save("test-note", loaded.data)
    assert wb.envelope("test-note")["schema_version"] == 2
    assert wb.load("test-note").data == loaded.data


def test_newer_version_is_refused_and_left_alone(wb):
    wb.root.mkdir(parents=True)
    env = json.loads((FIXTURES / "test-note-v1.json").read_text())
    env["schema_version"] = 99
    path = wb.root / "test-note.json"
    path.write_text(json.dumps(env))
    before = path.read_bytes()
    with pytest.raises(NewerVersionError, match="newer version of NPQ Workbook"):
        wb.load("test-note")
    assert path.read_bytes() == before


def test_register_doc_type_requires_every_migration():
    with pytest.raises(ValueError):
        register_doc_type("broken", 3, {1: lambda d: d})


# -- safe names ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", "a\\b", "..", ".hidden", "x.json", "nul\x00x",
                                  "naïve", "", "a" * 200, "C:\\temp\\x", "doc.prev", "doc.corrupt-1", " lead",
                                  "tab\tname", "a..b", "~root"])
def test_unsafe_document_names_are_refused(wb, name):
    with pytest.raises(StoreError):
        wb.path(name)
    with pytest.raises(StoreError):
        wb.save(name, {})


@given(st.text(max_size=40))
def test_property_no_name_escapes_the_folder(name):
    wb = Workbook("/tmp/npq-never-written")
    try:
        p = wb.path(name)
    except StoreError:
        return
    assert p.resolve().parent == Path("/tmp/npq-never-written").resolve()
    assert safe_name(name) == name


@pytest.mark.parametrize("key,ok", [("local", True), ("a1b2c3d4e5f60718293a4b5c6d7e8f90", True), ("../x", False),
                                    ("", False), ("a" * 65, False), ("ab/cd/ef", False), (None, False)])
def test_workbook_keys(key, ok, tmp_path):
    assert valid_key(key) is ok
    if ok:
        assert Workbook.for_key(key, home=tmp_path).root == tmp_path / "workbooks" / key
    else:
        with pytest.raises(StoreError):
            Workbook.for_key(key, home=tmp_path)


def test_default_home_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NPQ_WORKBOOK_HOME", str(tmp_path / "h"))
    assert Workbook.for_key().root == tmp_path / "h" / "workbooks" / "local"


# -- bundles (download / upload) ---------------------------------------------------------------------------------
def test_bundle_round_trip_into_an_empty_workbook(wb, tmp_path):
    wb.save("a", {"n": 1})
    wb.save("b", {"n": 2})
    other = Workbook(tmp_path / "other")
    plan = plan_import(other, read_bundle(export_bundle(wb)))
    assert [d["doc_id"] for d in plan.new] == ["a", "b"] and not plan.conflicts
    apply_import(other, plan)
    assert other.load("a").data == {"n": 1} and other.load("b").data == {"n": 2}
    assert other.envelope("a")["saved_at"] == wb.envelope("a")["saved_at"]


@pytest.mark.parametrize("raw,fragment", [
    (b"", "empty"), (b"\xff\xd8\xff\xe0JFIF", "not text"), (b"hello", "not an NPQ Workbook file"),
    (b'{"some": "json"}', "not an NPQ Workbook file"),
    (b'{"format": "npq-workbook/bundle", "bundle_version": 7, "documents": []}', "newer version"),
    (b'{"format": "npq-workbook/bundle", "bundle_version": 1, "documents": [{"x": 1}]}', "damaged"),
])
def test_bad_bundles_are_refused_with_a_message(raw, fragment):
    with pytest.raises(StoreError, match=fragment):
        read_bundle(raw)


def test_truncated_bundle_says_so(wb):
    wb.save("a", {"text": "x" * 500})
    raw = export_bundle(wb)
    for cut in (40, len(raw) // 2, len(raw) - 3):
        with pytest.raises(StoreError, match="incomplete"):
            read_bundle(raw[:cut])


def test_bundle_with_newer_document_schema_is_refused(wb):
    wb.save("a", {"n": 1})
    bundle = json.loads(export_bundle(wb))
    bundle["documents"][0]["schema_version"] = 5
    with pytest.raises(StoreError, match="newer version"):
        read_bundle(json.dumps(bundle).encode())


def test_bundle_naming_an_unsafe_document_is_refused(wb):
    wb.save("a", {"n": 1})
    bundle = json.loads(export_bundle(wb))
    bundle["documents"][0]["doc_id"] = "../../evil"
    with pytest.raises(StoreError, match="damaged"):
        read_bundle(json.dumps(bundle).encode())


def _older_backup_and_newer_local(wb):
    wb.save("a", {"n": "old"})
    backup = read_bundle(export_bundle(wb))
    time.sleep(0.01)
    wb.save("a", {"n": "new"})
    return backup


@pytest.mark.parametrize("choice,expected,copies", [(KEEP_BOTH, "new", 1), (KEEP_LOCAL, "new", 0),
                                                    (REPLACE, "old", 0)])
def test_import_never_silently_overwrites_newer_local_work(wb, choice, expected, copies):
    backup = _older_backup_and_newer_local(wb)
    plan = plan_import(wb, backup)
    assert plan.conflict_ids == ["a"]
    report = apply_import(wb, plan, {"a": choice})
    assert wb.load("a").data == {"n": expected}
    imported = [i for i in wb.ids() if i.startswith("a--imported-")]
    assert len(imported) == copies
    if copies:
        assert wb.load(imported[0]).data == {"n": "old"}
    assert len(report) == 1


def test_newer_file_replaces_older_local_and_keeps_it_as_previous(wb, tmp_path):
    other = Workbook(tmp_path / "other")
    other.save("a", {"n": "mine, older"})
    time.sleep(0.01)
    wb.save("a", {"n": "from the file, newer"})
    plan = plan_import(other, read_bundle(export_bundle(wb)))
    assert [d["doc_id"] for d in plan.incoming_newer] == ["a"]
    apply_import(other, plan)
    assert other.load("a").data == {"n": "from the file, newer"}
    assert json.loads((other.root / "a.prev.json").read_text())["data"] == {"n": "mine, older"}


def test_imported_old_schema_is_migrated(wb, tmp_path, test_note_v2):
    env = json.loads((FIXTURES / "test-note-v1.json").read_text())
    raw = json.dumps({"format": "npq-workbook/bundle", "bundle_version": 1, "documents": [env]}).encode()
    apply_import(wb, plan_import(wb, read_bundle(raw)))
    assert wb.envelope("test-note")["schema_version"] == 2
    assert wb.load("test-note").data["lines"] == ["Year 8 fluency"]


# -- crash safety ----------------------------------------------------------------------------------------------
def test_sigkill_at_random_moments_never_leaves_a_torn_document(tmp_path):
    """A saver killed at random moments (12 times here; bench/store.py does 100+): every load is a whole version."""
    seen = kill_saver_repeatedly(tmp_path / "wb", rounds=12)
    assert seen == sorted(seen)
    assert not list((tmp_path / "wb").glob("*.corrupt-*"))
