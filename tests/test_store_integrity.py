"""Saved work is never lost without the learner being asked (issue 10, part 3), at the store level:
revisions and conflicts, a full disk at every step, two processes saving one document, private file modes, envelopes
with nonsense fields, and import files validated as a whole before anything is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import multiprocessing
import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from npq_widgets.cli import main
from npq_widgets.store.bundle import (KEEP_BOTH, REPLACE, apply_import, export_bundle, plan_import, read_bundle)
from npq_widgets.store.workbook import (ConflictError, NewerVersionError, StoreError, Workbook, parse_time, safe_name,
                                        valid_key)

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_counter = iter(range(10 ** 9))
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"


def fresh(tmp_path: Path) -> Workbook:
    return Workbook(tmp_path / f"wb{next(_counter)}")


def files(wb: Workbook) -> dict[str, bytes]:
    """Every file in the workbook folder (lock files aside: they hold nothing)."""
    if not wb.root.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(wb.root.iterdir()) if not p.name.endswith(".lock")}


# -- ids and keys: the whole string must match ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["doc\n", "doc\r", "doc\n\n", "a\nb", "doc\u2028", "doc ", "doc\t"])
def test_a_trailing_newline_or_odd_character_is_not_a_document_id(tmp_path, name):
    with pytest.raises(StoreError):
        safe_name(name)
    odd = next(c for c in name if c not in ID_ALPHABET)
    assert not valid_key("abcdef0123456789" + odd) and not valid_key("abcdef0123456789\n")
    assert not (tmp_path / "wb").exists()


@given(st.text(min_size=1, max_size=30))
def test_property_only_the_id_alphabet_names_a_document(name):
    allowed = set(ID_ALPHABET)
    try:
        safe_name(name)
    except StoreError:
        return
    assert set(name) <= allowed and "\n" not in name


# -- revisions and conflicts -------------------------------------------------------------------------------------
def test_a_save_over_a_newer_revision_is_refused_and_writes_nothing(tmp_path):
    wb = fresh(tmp_path)
    wb.save("doc", {"v": "first"}, base_revision=0)                 # revision 1: both windows load it
    wb.save("doc", {"v": "window A"}, base_revision=1)              # revision 2
    before = files(wb)
    with pytest.raises(ConflictError) as caught:
        wb.save("doc", {"v": "window B"}, base_revision=1)          # B still thinks it is on revision 1
    assert caught.value.theirs.data == {"v": "window A"} and caught.value.theirs.revision == 2
    assert files(wb) == before
    env = wb.save("doc", {"v": "window B"}, base_revision=2)        # B's learner chose "keep mine"
    assert env["revision"] == 3 and wb.load("doc").data == {"v": "window B"}
    assert json.loads((wb.root / "doc.prev.json").read_text())["data"] == {"v": "window A"}


def test_the_same_data_from_two_windows_is_not_a_conflict(tmp_path):
    wb = fresh(tmp_path)
    wb.save("doc", {"v": 1}, base_revision=0)
    wb.save("doc", {"v": 2}, base_revision=1)
    assert wb.save("doc", {"v": 2}, base_revision=1)["revision"] == 3


@SLOW
@given(ops=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 5), st.booleans()), min_size=1, max_size=25))
def test_property_interleaved_windows_never_overwrite_unseen_work(tmp_path, ops):
    """Three windows save in any order; each save names the revision its window last saw. Whenever a save succeeds,
    the version it replaced is one that window had seen; when it does not, nothing on disk changed."""
    wb = fresh(tmp_path)
    seen = [0, 0, 0]
    for window, value, force in ops:
        data = {"by": window, "v": value}
        before = wb.envelope("doc")
        try:
            env = wb.save("doc", data, base_revision=seen[window])
        except ConflictError as exc:
            assert wb.envelope("doc") == before
            assert exc.theirs.data == before["data"]
            seen[window] = exc.theirs.revision          # the learner was shown it...
            if force:                                   # ...and chose to keep their own
                seen[window] = wb.save("doc", data, base_revision=seen[window])["revision"]
            continue
        assert before is None or before["revision"] == seen[window] or before["data"] == data
        assert env["revision"] == (before["revision"] if before else 0) + 1
        seen[window] = env["revision"]


# -- a full disk at every step -------------------------------------------------------------------------------------
_FAILABLE = ("open", "write", "fsync", "close", "link", "replace", "mkdir", "chmod")


class DiskFull:
    """Counts the store's OS calls; the ``fail_at``-th raises ENOSPC (a close still closes first, as the kernel
    does). ``fail_from`` makes every call from then on fail: a disk that stays full."""

    def __init__(self, fail_at: int | None = None, fail_from: int | None = None):
        self.calls = 0
        self.fail_at, self.fail_from = fail_at, fail_from
        self.failed = False
        self._real = {name: getattr(os, name) for name in _FAILABLE}

    def _wrap(self, name):
        real = self._real[name]

        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.fail_at or (self.fail_from is not None and self.calls >= self.fail_from):
                self.failed = True
                if name == "close":
                    real(*args, **kwargs)
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args, **kwargs)
        return call

    @contextlib.contextmanager
    def active(self):
        for name in _FAILABLE:
            setattr(os, name, self._wrap(name))
        try:
            yield self
        finally:
            for name, real in self._real.items():
                setattr(os, name, real)


def _history(wb: Workbook) -> None:
    wb.save("doc", {"v": "older"})
    wb.save("doc", {"v": "old"})


def _no_links(monkeypatch):
    def refuse(*_a, **_k):
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(os, "link", refuse)


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "copies"])
def test_disk_full_at_every_step_of_a_save_loses_nothing(tmp_path, monkeypatch, links):
    if not links:  # filesystems without hard links keep the old version by copying it
        _no_links(monkeypatch)
    probe = fresh(tmp_path)
    _history(probe)
    with DiskFull().active() as counter:
        probe.save("doc", {"v": "new"})
    steps = counter.calls
    assert steps >= 8
    for k in range(1, steps + 1):
        wb = fresh(tmp_path)
        _history(wb)
        before = files(wb)
        injector = DiskFull(fail_at=k)
        try:
            with injector.active():
                wb.save("doc", {"v": "new"})
            raised = False
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
            raised = True
        assert injector.failed
        assert not list(wb.root.glob(".*.tmp")), f"step {k}: a temporary file was left behind"
        assert not list(wb.root.glob("*.corrupt-*")), f"step {k}"
        loaded = wb.load("doc")
        assert loaded.message is None, f"step {k}: {loaded.message}"
        if raised:  # refused: everything exactly as it was
            assert files(wb) == before, f"step {k}"
        else:       # the failure came after the new version was in place (the .prev rename, the folder fsync)
            assert loaded.data == {"v": "new"}, f"step {k}"
            prev = json.loads((wb.root / "doc.prev.json").read_text())["data"]
            assert prev in ({"v": "old"}, {"v": "older"}), f"step {k}"
        # the disk is freed: the next save works and no earlier work is gone
        wb.save("doc", {"v": "after"})
        assert wb.load("doc").data == {"v": "after"}
        prev = json.loads((wb.root / "doc.prev.json").read_text())["data"]
        assert prev == ({"v": "old"} if raised else {"v": "new"}), f"step {k}"


def test_a_disk_that_stays_full_keeps_the_last_good_version(tmp_path):
    wb = fresh(tmp_path)
    _history(wb)
    before = files(wb)
    for attempt in range(5):
        with pytest.raises(OSError), DiskFull(fail_from=1 + attempt).active():
            wb.save("doc", {"v": f"try {attempt}"})
    assert files(wb) == before
    wb.save("doc", {"v": "freed"})
    assert wb.load("doc").data == {"v": "freed"}


def test_first_save_into_a_new_folder_on_a_full_disk(tmp_path):
    probe = fresh(tmp_path)
    with DiskFull().active() as counter:
        probe.save("doc", {"v": 1})
    for k in range(1, counter.calls + 1):
        wb = fresh(tmp_path)
        try:
            with DiskFull(fail_at=k).active():
                wb.save("doc", {"v": 1})
        except OSError:
            assert wb.load("doc").data is None
        else:
            assert wb.load("doc").data == {"v": 1}
        assert wb.load("doc").message is None
        wb.save("doc", {"v": 2})
        assert wb.load("doc").data == {"v": 2}


# -- two processes saving one document ------------------------------------------------------------------------------
def _payload(who: int, i: int) -> dict:
    return {"who": who, "i": i, "text": f"{who}-{i}-" + "abcdefghij" * (i % 40)}


def _whole(data) -> bool:
    return isinstance(data, dict) and data == _payload(data.get("who"), data.get("i"))


def _saver(root: str, who: int, rounds: int, out) -> None:
    wb = Workbook(root)
    problems = []
    for i in range(rounds):
        try:
            wb.save("doc", _payload(who, i))
            loaded = wb.load("doc")
            if not _whole(loaded.data) or loaded.message:
                problems.append(f"load after save {i}: {loaded}")
        except Exception as exc:  # noqa: BLE001 - collected and reported by the test
            problems.append(f"save {i}: {type(exc).__name__}: {exc}")
    out.put((who, problems))


def test_two_processes_saving_one_document_hundreds_of_times(tmp_path):
    rounds = 400
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    root = tmp_path / "wb"
    procs = [ctx.Process(target=_saver, args=(str(root), who, rounds, out)) for who in (1, 2)]
    for p in procs:
        p.start()
    reads = 0
    reader = Workbook(root)
    while any(p.is_alive() for p in procs):  # a third reader meanwhile: every load a whole version
        loaded = reader.load("doc")
        assert loaded.message is None and (loaded.data is None or _whole(loaded.data)), loaded
        reads += 1
        time.sleep(0.002)
    results = dict(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(10)
        assert p.exitcode == 0
    assert results == {1: [], 2: []}
    # the lock makes read-revision-then-write one step: no two saves ever got the same revision
    assert Workbook(root).envelope("doc")["revision"] == 2 * rounds
    assert reads > 0 and not list(root.glob(".*.tmp")) and not list(root.glob("*.corrupt-*"))


# -- private modes ----------------------------------------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_store_folders_are_0700_and_files_0600(tmp_path, umask):
    old = os.umask(umask)
    try:
        wb = Workbook.for_key("0123456789abcdef", home=tmp_path / "home")
        wb.save("doc", {"v": 1})
        wb.save("doc", {"v": 2})
        wb.path("doc").write_text("{ torn")  # then set aside by the next load
        wb.load("doc")
    finally:
        os.umask(old)
    for folder in (tmp_path / "home", tmp_path / "home" / "workbooks", wb.root):
        assert _mode(folder) == 0o700, folder
    kept = list(wb.root.iterdir())
    assert {p.suffix for p in kept} >= {".json", ".lock"}
    for f in kept:
        assert _mode(f) == 0o600, f


def test_folders_and_files_an_older_version_left_open_are_tightened(tmp_path):
    wb = Workbook.for_key("local", home=tmp_path / "home")
    wb.root.mkdir(parents=True)
    os.chmod(wb.root, 0o755)
    os.chmod(wb.root.parent, 0o755)
    legacy = json.loads((Path(__file__).parent / "fixtures" / "test-note-v1.json").read_text())
    wb.path("doc").write_text(json.dumps(legacy))
    os.chmod(wb.path("doc"), 0o644)
    wb.save("doc", {"v": 2})
    assert _mode(wb.root) == 0o700 and _mode(wb.root.parent) == 0o700
    assert _mode(wb.path("doc")) == 0o600 and _mode(wb.root / "doc.prev.json") == 0o600


# -- valid JSON, nonsense fields: set aside like a damaged file ------------------------------------------------
def _not_a_time(value) -> bool:
    return parse_time(value) is None


BAD_FIELDS = st.one_of(
    st.tuples(st.just("revision"), st.one_of(st.text(max_size=5), st.floats(), st.booleans(), st.none(),
                                              st.integers(max_value=-1), st.integers(min_value=2 ** 53 + 1),
                                              st.lists(st.integers(), max_size=2))),
    st.tuples(st.just("schema_version"), st.one_of(st.integers(max_value=0), st.text(max_size=4), st.booleans(),
                                                    st.floats(), st.none())),
    st.tuples(st.just("saved_at"), st.one_of(st.text(max_size=30).filter(_not_a_time), st.integers(), st.none(),
                                              st.just("9999"), st.just("z"), st.just("2026-11-24T10:00:00"))),
    st.tuples(st.just("doc_type"), st.one_of(st.integers(), st.none(), st.just("../x"), st.just("a\n"))),
    st.tuples(st.just("data"), st.one_of(st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))),
)


@SLOW
@given(bad=BAD_FIELDS)
def test_property_an_envelope_with_bad_fields_is_set_aside_and_the_previous_restored(tmp_path, bad):
    field, value = bad
    wb = fresh(tmp_path)
    wb.save("doc", {"v": 1})
    wb.save("doc", {"v": 2})
    env = json.loads(wb.path("doc").read_text())
    env[field] = value
    wb.path("doc").write_text(json.dumps(env))
    loaded = wb.load("doc")
    assert loaded.data == {"v": 1}
    assert "could not be read" in loaded.message and "restored" in loaded.message
    assert len(list(wb.root.glob("doc.corrupt-*.json"))) == 1
    wb.save("doc", {"v": 3}, base_revision=loaded.revision)  # and saving carries on from there
    assert wb.load("doc").data == {"v": 3}


def test_a_save_over_an_unreadable_file_sets_it_aside_and_keeps_the_good_previous(tmp_path):
    wb = fresh(tmp_path)
    wb.save("doc", {"v": 1})
    wb.save("doc", {"v": 2})
    wb.path("doc").write_text('{"format": "npq-workbook/document", "revision": "x"}')
    wb.save("doc", {"v": 3})
    assert wb.load("doc").data == {"v": 3}
    assert json.loads((wb.root / "doc.prev.json").read_text())["data"] == {"v": 1}
    aside = list(wb.root.glob("doc.corrupt-*.json"))
    assert len(aside) == 1 and b'"x"' in aside[0].read_bytes()


def test_a_newer_format_document_is_never_overwritten_by_a_save(tmp_path):
    wb = fresh(tmp_path)
    wb.save("doc", {"task": "doc", "v": 1})
    env = json.loads(wb.path("doc").read_text())
    env["schema_version"] = 7
    wb.path("doc").write_text(json.dumps(env))
    before = files(wb)
    with pytest.raises(NewerVersionError):
        wb.save("doc", {"task": "doc", "v": 2})
    assert files(wb) == before


# -- import files: validated whole, before anything is written ---------------------------------------------------
def _bundle(tmp_path) -> dict:
    src = fresh(tmp_path)
    src.save("smart-objectives--a", {"task": "smart-objectives", "n": 1})
    src.save("risk-register--b", {"task": "risk-register", "rows": [{"x": 1}]})
    src.save("which-npq", {"task": "which-npq", "scope": "team"})
    return json.loads(export_bundle(src))


def _deep(levels: int):
    value: object = 0
    for _ in range(levels):
        value = [value]
    return value


def _set(field, value):
    def mutate(bundle):
        bundle["documents"][1][field] = value
        return json.dumps(bundle)
    return mutate


def _raw(old: str, new: str):
    def mutate(bundle):
        text = json.dumps(bundle)
        assert old in text
        return text.replace(old, new, 1)
    return mutate


def _duplicate(bundle):
    bundle["documents"].append(dict(bundle["documents"][0], data={"task": "smart-objectives", "n": 99}))
    return json.dumps(bundle)


MUTATIONS = st.one_of(
    st.sampled_from(["doc\n", "a b", "a/b", "../x", "", ".hidden", "x.prev", "doc\r\n", "é"]).map(
        lambda v: _set("doc_id", v)),
    st.text(min_size=1, max_size=12).filter(lambda t: any(c not in ID_ALPHABET for c in t)).map(
        lambda v: _set("doc_id", v)),
    st.sampled_from(["9999-12-31T23:59:59+00:00", "z", "9999", "", "2026-11-24T10:00:00", "1999-01-01T00:00:00Z",
                     "2026-13-45T99:00:00+00:00", 20261124, None]).map(lambda v: _set("saved_at", v)),
    st.sampled_from([0, -1, True, "1", 1.0, None, 999]).map(lambda v: _set("schema_version", v)),
    st.sampled_from([-1, "3", 1.5, True, None, 2 ** 60]).map(lambda v: _set("revision", v)),
    st.sampled_from([[1], "text", None, 7]).map(lambda v: _set("data", v)),
    st.sampled_from([7, None, "../x", "a\n"]).map(lambda v: _set("doc_type", v)),
    st.sampled_from(["npq-workbook/other", None]).map(lambda v: _set("format", v)),
    st.integers(40, 600).map(lambda n: _set("data", {"deep": _deep(n)})),
    st.integers(2000, 200_000).map(lambda n: _raw('"x": 1}', '"x": ' + "[" * n + "]" * n + "}")),
    st.sampled_from(['"x": 1}', ]).flatmap(lambda old: st.sampled_from(
        ['"x": 1' + "0" * 40 + "}", '"x": 1e400}', '"x": NaN}', '"x": -Infinity}', '"x": 123456789012345678}']).map(
        lambda new: _raw(old, new))),
    st.just(_duplicate),
)


def _import_via_cli(tmp_path, text: str) -> int:
    f = tmp_path / f"bundle{next(_counter)}.json"
    f.write_text(text)
    return main(["import-work", str(f), "--on-conflict", "replace"])


@SLOW
@given(mutate=MUTATIONS)
def test_property_an_invalid_import_file_changes_nothing_anywhere(tmp_path, mutate, capsys):
    from npq_widgets.pages.my_work import MyWork

    text = mutate(_bundle(tmp_path))
    with pytest.raises(StoreError):
        read_bundle(text.encode())
    here = Workbook.for_key("local")
    here.save("smart-objectives--a", {"task": "smart-objectives", "n": "mine"})
    here.save("smart-objectives--a", {"task": "smart-objectives", "n": "mine, later"})
    before = files(here)
    assert _import_via_cli(tmp_path, text) == 2
    err = capsys.readouterr().err
    assert err.startswith("npq-workbook: ") and "Traceback" not in err
    page = MyWork(workbook=here)
    page.load_bytes(text.encode())
    assert "Nothing was changed" in page.message.value
    assert files(here) == before


def test_a_file_naming_one_document_twice_is_refused_and_the_local_copy_kept(tmp_path):
    here = Workbook.for_key("local")
    here.save("smart-objectives--a", {"task": "smart-objectives", "n": "previous"})
    here.save("smart-objectives--a", {"task": "smart-objectives", "n": "current"})
    before = files(here)
    with pytest.raises(StoreError, match="twice"):
        read_bundle(_duplicate(_bundle(tmp_path)).encode())
    assert _import_via_cli(tmp_path, _duplicate(_bundle(tmp_path))) == 2
    assert files(here) == before


@pytest.mark.parametrize("what", ["file", "document", "count"])
def test_oversized_import_files_are_refused(tmp_path, what, monkeypatch):
    import npq_widgets.store.bundle as bundle_mod

    bundle = _bundle(tmp_path)
    if what == "file":
        monkeypatch.setattr(bundle_mod, "MAX_BUNDLE_BYTES", 2000)
        bundle["documents"][0]["data"]["pad"] = "x" * 3000
    elif what == "document":
        monkeypatch.setattr(bundle_mod, "MAX_DOCUMENT_BYTES", 1000)
        bundle["documents"][0]["data"]["pad"] = "x" * 1500
    else:
        monkeypatch.setattr(bundle_mod, "MAX_DOCUMENTS", 2)
    with pytest.raises(StoreError, match="too large|far larger|more than"):
        read_bundle(json.dumps(bundle).encode())


TIMES = st.datetimes(min_value=dt.datetime(2021, 1, 1), max_value=dt.datetime(2030, 1, 1),
                     timezones=st.sampled_from([dt.timezone(dt.timedelta(hours=h)) for h in (-11, -5, 0, 1, 2, 9, 13)]))


ZONES = st.sampled_from([dt.timezone(dt.timedelta(hours=h)) for h in (-11, -5, 0, 1, 2, 9, 13)])


@SLOW
@given(local_time=TIMES, gap=st.timedeltas(min_value=dt.timedelta(hours=-15), max_value=dt.timedelta(hours=15)),
       zone=ZONES)
@example(local_time=dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.timezone.utc), gap=dt.timedelta(minutes=-30),
         zone=dt.timezone(dt.timedelta(hours=2)))  # "…T16:30+02:00" sorts after "…T15:00+00:00" but is earlier
def test_property_newer_means_a_later_moment_not_a_larger_string(tmp_path, local_time, gap, zone):
    file_time = (local_time + gap).astimezone(zone)
    assume(local_time != file_time)
    iso = lambda t: t.isoformat(timespec="milliseconds")  # noqa: E731
    here = fresh(tmp_path)
    here.save("doc", {"v": "mine"}, saved_at=iso(local_time))
    incoming = dict(here.envelope("doc"), data={"v": "file"}, saved_at=iso(file_time))
    raw = json.dumps({"format": "npq-workbook/bundle", "bundle_version": 1, "documents": [incoming]}).encode()
    plan = plan_import(here, read_bundle(raw, now=dt.datetime(2030, 1, 2, tzinfo=dt.timezone.utc)))
    if file_time > local_time:
        assert [d["doc_id"] for d in plan.incoming_newer] == ["doc"]
    else:
        assert plan.conflict_ids == ["doc"]  # the learner is asked; nothing replaced by default
        apply_import(here, plan)
        assert here.load("doc").data == {"v": "mine"}


def test_a_newer_format_local_document_is_never_overwritten_by_an_import(tmp_path):
    here = fresh(tmp_path)
    here.save("doc", {"task": "doc", "v": "mine"})
    env = json.loads(here.path("doc").read_text())
    env["schema_version"] = 3
    here.path("doc").write_text(json.dumps(env))
    mine = here.path("doc").read_bytes()
    incoming = dict(env, schema_version=1, data={"task": "doc", "v": "file"},
                    saved_at=dt.datetime.now(dt.timezone.utc).isoformat())
    raw = json.dumps({"format": "npq-workbook/bundle", "bundle_version": 1, "documents": [incoming]}).encode()
    plan = plan_import(here, read_bundle(raw))
    report = apply_import(here, plan, {"doc": REPLACE}, default=REPLACE)
    assert here.path("doc").read_bytes() == mine
    copies = [i for i in here.ids() if i.startswith("doc--imported-")]
    assert len(copies) == 1 and here.load(copies[0]).data == {"task": "doc", "v": "file"}
    assert "newer version" in report[0] and copies[0] in report[0]


def test_copies_kept_beside_never_collide(tmp_path):
    wb = fresh(tmp_path)
    ids = set()
    for n in range(4):
        copy = wb.copy_id("doc", "imported")
        wb.save(copy, {"n": n})
        ids.add(copy)
    assert len(ids) == 4 and all(wb.load(i).data is not None for i in ids)


def test_keep_both_saves_the_file_copy_and_reports_it_truthfully(tmp_path):
    here = fresh(tmp_path)
    here.save("doc", {"v": "old"})
    backup = read_bundle(export_bundle(here))
    here.save("doc", {"v": "new"})
    report = apply_import(here, plan_import(here, backup), default=KEEP_BOTH)
    copy = report[0].rsplit(" ", 1)[1].rstrip(".")
    assert here.load("doc").data == {"v": "new"} and here.load(copy).data == {"v": "old"}


def test_import_work_refuses_a_huge_file_before_reading_it(tmp_path, capsys):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:  # sparse: 3 GB on paper, nothing on disk
        fh.truncate(3 * 1024 ** 3)
    assert main(["import-work", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "too large" in err and "Nothing was changed" in err
    assert Workbook.for_key("local").ids() == []
