"""No pupil's name or UPN ever reaches an output of the pupil data analysis.

Files are generated with canary names, UPNs, emails, phone numbers and dates of birth in every place a school's
export might put them; each file goes through the upload widget (every HTML, label, option and checkbox of the view
is read, with every category column ticked and every grouping chosen), autosave (the JSON documents under this
test's NPQ_WORKBOOK_HOME), the .xlsx export (unzipped and its XML searched) and ``npq-workbook analyse`` (stdout and
stderr, text and JSON) — and no canary may appear in any of them, error messages included.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from npq_widgets.apps import task_app
from npq_widgets.cli import main
from npq_widgets.domain.pupil_data import load_pupil_table

# -- the canaries ------------------------------------------------------------------------------------------------
FIRST = ["Zebulon", "Xanthippe", "Quillon", "Ysolde", "Wystan", "Ottoline", "Peregrine", "Clementine"]
LAST = ["Quartermaine", "Brightwater", "Featherstonehaugh", "Vanderbilt", "Ravensworth", "Thistlewood",
        "Applethwaite", "Gravesend"]
UPNS = ["Q123456789012", "r234567890123", "S345678901234", "T45678901234Z", "u56789012345y"]  # last two temporary
EMAIL = "zebulon.quartermaine@example.org"
PHONE = "07700 900461"
DOB = "14/02/2011"
SMALL_GROUP = "Marigoldhouse"  # a category label of a group too small to show: never named
CANARIES = FIRST + LAST + [u[1:] for u in UPNS] + [EMAIL, PHONE.replace(" ", ""), "900461", DOB, SMALL_GROUP]


def full(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"


def upn(i: int) -> str:
    return f"X{100000000000 + i:012d}"


def csv_bytes(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pupils(n: int = 120):
    for i in range(n):
        yield i, ("Yes" if i % 3 == 0 else "No"), round(((i * 37) % 41) / 10 - 2, 2), ["Autumn 2025", "Summer 2026"]


def file_free_text_grouping() -> bytes:
    """A column of full names (≤ 60 distinct) under a harmless heading: was offered as a grouping."""
    rows = [["UPN", "Mentor", "Disadvantaged", "Term", "Score"]]
    for i, dis, score, drops in pupils():
        for d in drops:
            rows.append([upn(i), full(i % 12), dis, d, score])
    return csv_bytes(rows)


def file_name_in_drop() -> bytes:
    """A pupil's name typed into the data-drop column."""
    rows = [["UPN", "Disadvantaged", "Data drop", "Score"]]
    for i, dis, score, _ in pupils():
        rows.append([upn(i), dis, "Autumn 2025" if i != 7 else full(3), score])
        rows.append([upn(i), dis, "Summer 2026", score])
    return csv_bytes(rows)


def file_hidden_upns() -> bytes:
    """Lower-case UPNs, UPNs with a prefix, temporary UPNs, and UPNs that appear only after row 50."""
    rows = [["Pupil ID", "Ref", "Other ref", "Late ref", "Disadvantaged", "Score"]]
    for i, dis, score, _ in pupils():
        rows.append([f"ID{i}", UPNS[i % 5].lower(), f"UPN: {UPNS[(i + 1) % 5]}", UPNS[i % 5] if i > 60 else "n/a",
                     dis, score])
    return csv_bytes(rows)


def file_name_headings() -> bytes:
    """Full names under headings the old code did not know: Child, Learner, Legal Name, Pupil Full Name."""
    rows = [["UPN", "Child", "Learner", "Legal Name", "Pupil Full Name", "Disadvantaged", "Score"]]
    for i, dis, score, _ in pupils():
        rows.append([upn(i), full(i), full(i + 1), full(i + 2), full(i + 3), dis, score])
    return csv_bytes(rows)


def file_name_in_scores() -> bytes:
    """A name typed into a score column: the message must not quote it."""
    rows = [["UPN", "Disadvantaged", "Score"]]
    for i, dis, score, _ in pupils():
        rows.append([upn(i), dis, LAST[i % 8] if i in (5, 9) else score])
    return csv_bytes(rows)


def file_names_in_categories() -> bytes:
    """Names, UPNs, emails and dates in known category columns (teacher, class), a first name alone in an unknown
    column, and a category with a group too small to show."""
    rows = [["UPN", "Forename", "Surname", "Teacher", "Class", "Buddy", "House", "Disadvantaged", "Score"]]
    for i, dis, score, _ in pupils():
        teacher = full(i % 3) if i % 2 else "Ms Adeyemi"
        klass = [UPNS[0], EMAIL, DOB, "10A"][i % 4]
        house = SMALL_GROUP if i < 3 else ["Red", "Blue"][i % 2]
        rows.append([upn(i), FIRST[i % 8], LAST[i % 8], teacher, klass, FIRST[i % 8], house, dis, score])
    return csv_bytes(rows)


def file_contact_columns() -> bytes:
    """Emails, phone numbers and dates of birth under harmless headings."""
    rows = [["UPN", "Info", "Reach", "Born", "Disadvantaged", "Score"]]
    for i, dis, score, _ in pupils():
        rows.append([upn(i), EMAIL if i % 2 else f"p{i}@example.org", PHONE, DOB, dis, score])
    return csv_bytes(rows)


def file_no_headings() -> bytes:
    """A file saved without its heading row: the first pupil's data would become the headings."""
    rows = []
    for i, dis, score, _ in pupils():
        rows.append([full(i), dis, score])
    return csv_bytes(rows)


def file_xlsx_mixture() -> bytes:
    """The same traps in an .xlsx: a name column as free text, a date of birth as a real date, a name in the drop."""
    rows = [["UPN", "Keyworker", "Date", "Term", "Disadvantaged", "Score"]]
    for i, dis, score, _ in pupils():
        rows.append([UPNS[i % 5] + str(i), full(i % 10), dt.datetime(2011, 2, 14), full(2) if i == 4 else "Spring",
                     dis, score])
    return xlsx_bytes(rows)


def file_gzip_free_text() -> bytes:
    return gzip.compress(file_free_text_grouping())


FILES = {
    "free-text-grouping.csv": file_free_text_grouping,
    "name-in-drop.csv": file_name_in_drop,
    "hidden-upns.csv": file_hidden_upns,
    "name-headings.csv": file_name_headings,
    "name-in-scores.csv": file_name_in_scores,
    "names-in-categories.csv": file_names_in_categories,
    "contact-columns.csv": file_contact_columns,
    "no-headings.csv": file_no_headings,
    "mixture.xlsx": file_xlsx_mixture,
    "free-text.csv.gz": file_gzip_free_text,
}


def leaks(text: str) -> list[str]:
    low = text.casefold()
    return [c for c in CANARIES if c.casefold() in low]


# -- reading every output ----------------------------------------------------------------------------------------
def widget_text(widget) -> list[str]:
    """Every string a reader can see in a widget tree: values, options (labels and values), descriptions."""
    out: list[str] = []
    seen: set[int] = set()

    def walk(wd):
        if id(wd) in seen:
            return
        seen.add(id(wd))
        for attr in ("value", "description", "placeholder", "tooltip"):
            v = getattr(wd, attr, None)
            if isinstance(v, str):
                out.append(v)
        for opt in getattr(wd, "options", ()) or ():
            out.extend(str(x) for x in (opt if isinstance(opt, tuple) else (opt,)))
        for child in getattr(wd, "children", ()) or ():
            walk(child)

    walk(widget)
    return out


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))


def saved_json(home: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in home.rglob("*.json"))


def run_cli(capsys, *argv) -> str:
    main(list(argv))
    out, err = capsys.readouterr()
    return out + err


@pytest.mark.parametrize("name", sorted(FILES))
def test_no_canary_reaches_any_output(name, tmp_path, capsys, _isolated_home):
    data = FILES[name]()
    path = tmp_path / name
    path.write_bytes(data)
    seen: list[str] = []

    # the upload widget, with every category column confirmed and every grouping chosen
    app = task_app("data-analysis", own_data=True)
    app.upload.value = ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
                         "last_modified": dt.datetime(2026, 1, 1)},)
    loaded = "Loaded" in app.upload_msg.value
    seen += widget_text(app)
    if loaded:
        for cb in app.category_boxes.children:
            cb.value = True
        for _, by in list(app.by.options):
            if by:
                app.by.value = by
                seen += widget_text(app)
                for _, group in list(app.gap_group.options):
                    app.gap_group.value = group
        app.priorities.text.value = "Our priorities " * 10
        seen.append(xlsx_text(app.spreadsheet_bytes()))
        app.check_button.click()
        seen += widget_text(app)
    app.autosave.flush()
    seen.append(saved_json(_isolated_home))

    # the command line: every column as the grouping, text and JSON
    headings = [h for h in app.table.headings.values()] if loaded else ["Disadvantaged", "Mentor", "Legal Name"]
    measure = next((app.table.label(m) for m in app.table.measures), "Score") if loaded else "Score"
    for by in headings + ["Mentor", "Child", "Ref", "Info", "Teacher"]:
        seen.append(run_cli(capsys, "analyse", str(path), "--measure", measure, "--by", by))
        seen.append(run_cli(capsys, "analyse", str(path), "--measure", measure, "--by", by, "--json"))

    text = "\n".join(seen)
    assert not leaks(text), f"{name}: {leaks(text)} reached an output"
    assert "Traceback" not in text


def test_the_canaries_are_really_in_the_files():
    """The test above proves something only if every canary is in some file and the scan would see it."""
    everything = "\n".join(FILES[n]().decode("utf-8", "replace") for n in FILES if not n.endswith((".xlsx", ".gz")))
    everything += xlsx_text(FILES["mixture.xlsx"]())
    missing = [c for c in CANARIES if c.casefold() not in everything.casefold() and c != PHONE.replace(" ", "")]
    assert not missing
    assert leaks(f"xx {FIRST[0]} yy") == [FIRST[0]]


def test_what_the_learner_is_told_about_set_aside_columns():
    t = load_pupil_table(file_free_text_grouping(), "x.csv")
    assert "mentor" not in t.df.columns and t.set_aside["Mentor"] == "free text such as names"
    assert any("'Mentor' (free text such as names)" in n for n in t.notes)
    t = load_pupil_table(file_hidden_upns(), "x.csv")
    assert {h: t.set_aside[h] for h in ("Ref", "Other ref", "Late ref")} == dict.fromkeys(
        ("Ref", "Other ref", "Late ref"), "pupil numbers (UPNs)")
    t = load_pupil_table(file_name_headings(), "x.csv")
    assert set(t.df.columns) == {"pupil", "disadvantaged", "score"}
    t = load_pupil_table(file_contact_columns(), "x.csv")
    assert t.set_aside == {"UPN": "identifies pupils", "Info": "email addresses", "Reach": "phone numbers",
                           "Born": "dates (such as dates of birth)"}


def test_labels_that_look_like_names_become_numbered_groups():
    t = load_pupil_table(file_names_in_categories(), "x.csv")
    teachers = set(t.df["teacher"])
    assert "Ms Adeyemi" in teachers and {"Group 1", "Group 2", "Group 3"} <= teachers  # 3 names replaced
    assert set(t.df["class"]) == {"10A", "Group 1", "Group 2", "Group 3"}  # a UPN, an email and a date replaced
    assert "Buddy" in t.set_aside or set(t.df.get("buddy", [])) <= {f"Group {k}" for k in range(1, 9)}
    assert any("In column 'Teacher', 3 values look like a name" in n for n in t.notes)
    assert "house" in t.categories and "house" not in t.groupings  # offered, not confirmed until the learner ticks
    t2 = load_pupil_table(file_name_in_drop(), "x.csv")
    assert set(t2.drops) == {"Autumn 2025", "Summer 2026", "Group 1"}


def test_detection_is_of_every_value_not_a_sample():
    rows = [["UPN", "Note ref", "Score"]] + [[upn(i), "none", i % 7] for i in range(5000)]
    rows[4999][1] = "upn:" + UPNS[2].lower()  # one prefixed lower-case UPN in the last row
    t = load_pupil_table(csv_bytes(rows), "x.csv")
    assert t.set_aside["Note ref"] == "pupil numbers (UPNs)"


@pytest.mark.parametrize("value", [UPNS[0], UPNS[3], UPNS[4].upper(), "upn " + UPNS[1], f"UPN:{UPNS[0]}"])
def test_upn_patterns_permanent_and_temporary_any_case_with_prefix(value):
    from npq_widgets.domain.pupil_data import UPN_RE

    assert UPN_RE.search(value) and UPN_RE.search(value.lower())
    assert not UPN_RE.search("A12345678901")  # 12 characters: not a UPN
    assert not re.search(UPN_RE, "0.512345678901")
