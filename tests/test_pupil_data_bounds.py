"""Bad files are bounded in time and memory: generated nasty inputs each end in a plain message or a result.

Every class of bad input is generated here (nothing large is committed). Each file must be accepted (a table) or
refused (a :class:`DataProblem` of plain sentences) — never another exception, never a traceback — and a per-file
alarm guards against a hang (a guard, not a benchmark: timings are in bench/). The classes are listed in
``CLASSES`` so the count is reported by the test itself.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import signal
import zipfile
import zlib

import pytest

from npq_widgets.cli import main
from npq_widgets.domain import pupil_data
from npq_widgets.domain.pupil_data import DataProblem, PupilTable, load_pupil_table

GUARD_SECONDS = 30  # far above the ~10 s a file may take on a busy machine: only a hang trips it
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def guard():
    def hang(signum, frame):
        raise TimeoutError("a file took longer than the guard allows")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(GUARD_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


# -- generators ----------------------------------------------------------------------------------------------------
def good_rows(n: int = 30) -> list[list[object]]:
    return [["UPN", "Disadvantaged", "Score"]] + [[f"X{100000000000 + i}", "Yes" if i % 2 else "No", i % 7 - 3]
                                                 for i in range(n)]


def csv_of(rows) -> bytes:
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode()


def small_xlsx(rows=None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows or good_rows():
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_with(parts: dict[str, bytes | None], base: bytes | None = None) -> bytes:
    """A real .xlsx with some of its parts replaced (None removes a part)."""
    src = zipfile.ZipFile(io.BytesIO(base or small_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in parts:
                continue
            z.writestr(info.filename, src.read(info.filename))
        for name, body in parts.items():
            if body is not None:
                z.writestr(name, body)
    return out.getvalue()


def sheet_xml(rows_xml: str, dimension: str = "A1") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>').encode()


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")


def bomb_gzip(expanded: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"0" * MB
    return b"".join([comp.compress(chunk) for _ in range(expanded // MB)] + [comp.flush()])


def bomb_xlsx(expanded: int) -> bytes:
    """A real workbook plus a part that unpacks to ``expanded`` bytes (written in chunks: little memory)."""
    out = io.BytesIO(small_xlsx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/media/padding.bin", "w", force_zip64=True) as f:
            chunk = b"\0" * MB
            for _ in range(expanded // MB):
                f.write(chunk)
    return out.getvalue()


def deep_xlsx(rows: int) -> bytes:
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>' for r in range(2, rows))
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>Pupil ID</t></is></c><c r="B1" t="inlineStr"><is><t>Score</t></is></c></row>'
    return xlsx_with({"xl/worksheets/sheet1.xml": sheet_xml(head + body, f"A1:B{rows}")})


def cell(ref: str, xml_value: str, t: str | None = None) -> str:
    return f'<c r="{ref}"' + (f' t="{t}"' if t else "") + f"><v>{xml_value}</v></c>"


# -- the classes of bad input: name -> (bytes maker, expected: "table" | a fragment of the message) ---------------
CLASSES = {
    # empty and near-empty
    "empty": (lambda: b"", "The file is empty."),
    "only-blank-lines": (lambda: b"\n\n  \n", "The file is empty."),
    "headings-only": (lambda: b"UPN,Disadvantaged,Score\n", "heading row but no pupils"),
    "too-big": (lambda: b"x" * (pupil_data.SIZE_LIMIT_BYTES + 1), "can be analysed"),
    # junk
    "binary-junk": (lambda: os.urandom(4096).replace(b"\x1f\x8b", b"..").replace(b"PK", b".."), "not a CSV"),
    "gzip-header-junk": (lambda: b"\x1f\x8b" + os.urandom(2000), "could not be unpacked"),
    "gzip-truncated": (lambda: gzip.compress(csv_of(good_rows(2000)))[:600], "cut short"),
    "zip-header-junk": (lambda: b"PK\x03\x04" + os.urandom(3000), "could not be opened"),
    "old-xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old-style Excel"),
    "utf16-junk": (lambda: b"\xff\xfe" + os.urandom(3001), None),
    # bombs
    "gzip-bomb": (lambda: bomb_gzip(pupil_data.EXPANDED_LIMIT_BYTES + 8 * MB), "unpacks to more than 200.0 MB"),
    "gzip-in-gzip": (lambda: gzip.compress(gzip.compress(csv_of(good_rows()))), "not a CSV"),
    "xlsx-zip-bomb": (lambda: bomb_xlsx(pupil_data.EXPANDED_LIMIT_BYTES + 8 * MB), "unpacks to more than"),
    "xlsx-billion-laughs-sheet": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": (
        LAUGHS + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>').encode()}),
        "could not be opened"),
    "xlsx-billion-laughs-strings": (lambda: xlsx_with({"xl/sharedStrings.xml": (
        LAUGHS + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>").encode()}), None),
    "xlsx-billion-laughs-workbook": (lambda: xlsx_with({"xl/workbook.xml": (
        LAUGHS + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
        '<sheet name="&lol9;" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"/></sheets></workbook>').encode()}), "could not be opened"),
    "xlsx-external-entity": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>').encode()}),
        "could not be opened"),
    "xlsx-missing-sheet": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": None}), "could not be opened"),
    # wide
    "wide-csv": (lambda: csv_of([[f"c{i}" for i in range(20000)], ["1"] * 20000]), "more than 500 columns"),
    "wide-one-line": (lambda: b"," * (5 * MB), "more than 500 columns"),
    "wide-xlsx": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": sheet_xml(
        '<row r="1">' + cell("A1", "1") + cell("ZZZ1", "1") + "</row>")}), "more than 500 columns"),
    "xlsx-far-cell": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Pupil ID</t></is></c><c r="B1" t="inlineStr"><is><t>Score</t>'
        '</is></c></row><row r="999999999">' + cell("B999999999", "2") + "</row>")}),
        "Row 999999999 has no pupil id"),  # rows are not filled in between: bounded by the cells, not the numbers
    # deep
    "deep-csv-1m-rows": (lambda: b"Pupil ID,Score\n" + b"".join(b"%d,%d\n" % (i, i % 9) for i in range(1_000_000)),
                         "table"),
    "deep-xlsx-cells": (lambda: deep_xlsx(pupil_data.MAX_XLSX_CELLS // 2 + 10), "too many to read as .xlsx"),
    # long
    "long-cell-category": (lambda: csv_of(good_rows() + [["X999999999999", "Y" * 3 * MB, 1]]), "table"),
    "long-cell-score": (lambda: csv_of(good_rows() + [["X999999999999", "Yes", "9" * 3 * MB]]), "Column 'Score'"),
    "long-heading": (lambda: csv_of([["UPN", "H" * 100_000, "Score"], ["X100000000001", "a", "1"]]),
                     "longer than 120 characters"),
    "one-long-line": (lambda: b"a" * (19 * MB), "longer than 120 characters"),
    "unclosed-quote": (lambda: b'UPN,Score\nX100000000001,"1\n' + b"x,2\n" * 100_000, None),
    # numbers
    "ten-to-the-400-csv": (lambda: csv_of(good_rows() + [["X999999999999", "Yes", "1" + "0" * 400]]), "too large"),
    "ten-to-the-400-exp": (lambda: csv_of(good_rows() + [["X999999999999", "Yes", "1e400"]]), "too large"),
    "infinity": (lambda: csv_of(good_rows() + [["X999999999999", "Yes", "inf"]]), "too large"),
    "ten-to-the-400-xlsx": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Pupil ID</t></is></c><c r="B1" t="inlineStr"><is><t>Score</t>'
        "</is></c></row>" + "".join(f'<row r="{r}">' + cell(f"A{r}", str(r)) + cell(f"B{r}", "1" + "0" * 400 if r == 5
                                                                                    else "3") + "</row>"
                                    for r in range(2, 20)))}), "too large"),
    "ten-to-the-400-exp-xlsx": (lambda: xlsx_with({"xl/worksheets/sheet1.xml": sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Pupil ID</t></is></c><c r="B1" t="inlineStr"><is><t>Score</t>'
        "</is></c></row>" + "".join(f'<row r="{r}">' + cell(f"A{r}", str(r)) + cell(f"B{r}", "1E+400" if r == 5
                                                                                    else "3") + "</row>"
                                    for r in range(2, 20)))}), "too large"),
    "date-in-xlsx-score": (lambda: small_xlsx(good_rows() + [["X999999999999", "Yes", dt.datetime(2026, 1, 2)]]),
                           "holds dates instead of scores"),
    "first-row-is-data": (lambda: csv_of([["X100000000001", "Yes", "1"], ["X100000000002", "No", "2"]]),
                          "looks like pupils' data rather than headings"),
}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_each_nasty_file_ends_in_a_plain_message_or_a_result(name):
    make, expected = CLASSES[name]
    data = make()
    try:
        result = load_pupil_table(data, name)
    except DataProblem as exc:
        text = " ".join(exc.problems)
        assert exc.problems and all(isinstance(p, str) and p.strip() for p in exc.problems)
        assert "Traceback" not in text and "Error" not in text and "unexpected" not in text
        assert expected != "table", f"{name} was refused: {text}"
        if expected:
            assert expected in text, text
        assert len(text) < 2000
        return
    assert isinstance(result, PupilTable)
    assert expected in ("table", None), f"{name} was accepted; expected a message with {expected!r}"


def test_there_are_at_least_thirty_classes_of_bad_input():
    assert len(CLASSES) >= 30


def test_the_xml_of_an_xlsx_is_parsed_safely():
    """Every part of an uploaded .xlsx is read with expat and any document type declaration is refused, so no
    entity is ever defined (no billion laughs, no external entities) — and the package never hands an upload to
    openpyxl or any other parser."""
    import inspect

    from npq_widgets.domain.pupil_data import _expat

    for doc in (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', b'<!DOCTYPE a SYSTEM "x.dtd"><a/>'):
        with pytest.raises(DataProblem):
            _expat().Parse(doc, True)
    assert "openpyxl" not in inspect.getsource(pupil_data)


def test_the_limits_are_the_documented_ones():
    assert pupil_data.EXPANDED_LIMIT_BYTES == 200 * MB and pupil_data.MAX_COLUMNS == 500
    assert pupil_data.MAX_HEADING_CHARS == 120


# -- the command line's own numeric fields and choices --------------------------------------------------------------
@pytest.mark.parametrize("extra,fragment", [
    (["--measure", "Score", "--by", "Score"], "--by and --measure are the same column"),
    (["--measure", "Score", "--by", "Disadvantaged", "--threshold", "1" + "0" * 400], "from 1 to 1000"),
    (["--measure", "Score", "--by", "Disadvantaged", "--threshold", "0"], "from 1 to 1000"),
    (["--measure", "Score", "--by", "Disadvantaged", "--national-sd-year", "1" + "0" * 400],
     "no national Progress 8 SD for that year"),
    (["--measure", "Score", "--by", "Disadvantaged", "--national-sd-year", "1999"], "years available: 2022"),
])
def test_cli_numeric_fields_and_same_column_are_plain_messages(tmp_path, capsys, extra, fragment):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_of(good_rows()))
    code = main(["analyse", str(path), *extra])
    out, err = capsys.readouterr()
    assert code == 2 and fragment in err and "Traceback" not in err and "unexpected" not in err


def test_cli_gzip_junk_is_a_plain_message(tmp_path, capsys):
    path = tmp_path / "junk.csv.gz"
    path.write_bytes(b"\x1f\x8b" + os.urandom(500))
    assert main(["analyse", str(path), "--measure", "a", "--by", "b"]) == 2
    err = capsys.readouterr().err
    assert "could not be unpacked" in err and "unexpected" not in err


def test_cli_national_sd_year_is_used(tmp_path, capsys):
    from npq_widgets.paths import exercises_dir

    src = exercises_dir() / "data-analysis" / "secondary-riverside.csv"
    main(["analyse", str(src), "--measure", "p8_score", "--by", "disadvantaged", "--json", "--national-sd-year",
          "2022"])
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["national_sd"]["year"] == 2022 and data["national_sd"]["sd"] == 1.408359


def test_gap_typed_as_ten_to_the_400_is_a_plain_message():
    from npq_widgets.apps import task_app

    app = task_app("data-analysis")
    app.gap.value = "1e400"
    assert "must be a number such as 54" in app.gap_msg.value
    app.gap.value = "1" + "0" * 400
    assert "must be an ordinary number" in app.gap_msg.value
    from npq_widgets.domain.values import ValueProblem, parse_number

    with pytest.raises(ValueProblem, match="ordinary number"):
        parse_number(10 ** 400)  # an int too large for a float: a plain message, not an OverflowError
