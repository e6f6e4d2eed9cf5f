"""Reading a school's pupil data (CSV or XLSX bytes) into a checked, pseudonymised table.

What :func:`load_pupil_table` does, in order, and what it says when something is wrong (plain sentences; the
row numbers are those a spreadsheet shows, the heading row being row 1):

- refuses files over :data:`SIZE_LIMIT_BYTES` (20 MB, a parameter), empty files, old .xls files and anything that is
  neither CSV nor XLSX;
- reads CSV in UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1252, separated by commas, semicolons or
  tabs (a semicolon file may use decimal commas); XLSX through pandas (first sheet);
- leaves out blank rows (and says which), refuses duplicated or blank headings;
- maps columns to the standard names (``disadvantaged``, ``send``, ``drop``…) by their headings, including close
  misspellings (each is reported), or by a mapping the user gives; a mapped heading that does not exist gets a
  close-match suggestion (difflib);
- refuses non-numeric scores (listing the rows), Excel dates in a score column, and a pupil who appears twice in
  the same data drop;
- **keeps no personal data**: names, UPNs, pupil ids, dates of birth and contact details are dropped on load and each
  pupil becomes ``P00001``… in order of first appearance. Every value of every other column is scanned (vectorised,
  over its distinct values): a column holding UPNs (permanent or temporary, any case, with or without a prefix), email
  addresses, phone numbers, dates (other than the data-drop column), long text or — outside the known category
  columns — any value of two or more capitalised words (a name) is set aside, and the learner is told which columns
  and why, by heading only. Group labels come only from category columns; each label is checked again and one that
  looks like a name, a UPN, a date, an email or a phone number becomes "Group 1", "Group 2"… (and the learner is
  told). Messages name headings and row numbers, never a cell's value.
- **is bounded**: gzip and .xlsx are unpacked to at most :data:`EXPANDED_LIMIT_BYTES`; .xlsx is read cell by cell
  (at most :data:`MAX_XLSX_CELLS` cells; XML entities are refused by the parser); at most :data:`MAX_COLUMNS` columns
  and headings of at most :data:`MAX_HEADING_CHARS` characters; numbers beyond ±:data:`MAX_ABS_VALUE` (10^400,
  "inf") are a plain message, never an overflow.

Pure: bytes in, a :class:`PupilTable` out (pandas reads the bytes; no file IO here).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
import zlib
from dataclasses import replace as _replace
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .values import ValueProblem, format_uk_date, parse_number

SIZE_LIMIT_BYTES = 20 * 1024 * 1024  # documented limit for uploaded files (README, task brief)
EXPANDED_LIMIT_BYTES = 200 * 1024 * 1024  # what a gzip or .xlsx may unpack to (a bomb is refused, not unpacked)
MAX_COLUMNS = 500
MAX_HEADING_CHARS = 120
MAX_XLSX_CELLS = 500_000  # an .xlsx is read cell by cell in Python (~10 s at most on a busy machine); CSV has no limit
MAX_ZIP_MEMBERS = 5_000
MAX_ABS_VALUE = 1e9  # a score, attendance or scaled score is never near this; 10^400 or "inf" is a typing slip
MAX_GROUPS = 60  # a column with more distinct values is not offered as a grouping
MAX_LABEL_CHARS = 60  # a longer value is free text, not a group's name
MISSING = {"", "NA", "N/A", "#N/A", "-", "NULL", "NAN"}

# standard column -> headings that mean it (compared after normalising case, spaces and punctuation)
IDENTIFIERS = {
    "upn": ("upn", "unique pupil number", "upn number", "pupil upn", "former upn"),
    "pupil_id": ("pupil id", "student id", "id", "adno", "admission number", "mis id", "candidate number",
                 "pupil number", "learner id", "uln", "unique learner number"),
    "first_name": ("first name", "forename", "given name", "legal forename", "preferred forename", "firstname"),
    "surname": ("surname", "last name", "family name", "legal surname", "preferred surname", "lastname"),
    "name": ("name", "pupil name", "student name", "full name", "pupil", "student", "child", "learner", "legal name",
             "pupil full name", "student full name", "child name", "learner name", "preferred name", "known as"),
    "dob": ("dob", "date of birth", "birth date", "birthday", "d o b"),
}
# headings that are personal data whatever their values (set aside, never analysed)
PERSONAL_WORDS = frozenset(("name", "names", "forename", "forenames", "surname", "surnames", "firstname", "lastname",
                            "upn", "uln", "dob", "birth", "email", "mail", "phone", "telephone", "mobile", "tel",
                            "address", "postcode", "contact", "parent", "carer", "guardian", "nhs"))
FREE_TEXT_HEADINGS = ("notes", "note", "comments", "comment", "free text", "remarks", "concerns", "details")
GROUPINGS = {
    "school": ("school", "academy", "school name", "establishment"),
    "year_group": ("year group", "year", "yr", "ncy", "nc year", "yeargroup"),
    "class": ("class", "form", "tutor group", "teaching group", "set", "reg group", "class group"),
    "teacher": ("teacher", "class teacher", "tutor", "teacher name"),
    "gender": ("gender", "sex"),
    "disadvantaged": ("disadvantaged", "pupil premium", "pp", "disadvantage", "fsm6", "ever 6 fsm", "pp status"),
    "send": ("send", "sen", "sen status", "send status", "sen need", "sen provision"),
    "eal": ("eal", "english as an additional language", "eal status"),
    "prior_band": ("prior band", "prior attainment band", "prior attainment", "ks2 band", "pa band", "prior_band"),
    "drop": ("drop", "data drop", "term", "assessment point", "data collection", "assessment window"),
}
STANDARD = {**IDENTIFIERS, **GROUPINGS}
LABELS = {
    "upn": "UPN", "pupil_id": "pupil id", "first_name": "first name", "surname": "surname", "name": "name",
    "dob": "date of birth", "school": "school", "year_group": "year group", "class": "class", "teacher": "teacher",
    "gender": "gender", "disadvantaged": "disadvantaged (pupil premium)", "send": "SEND", "eal": "EAL",
    "prior_band": "prior-attainment band", "drop": "data drop",
}
_KEY_ORDER = ("upn", "pupil_id", "name", "first_name")

# -- what personal data looks like (searched anywhere in a value; vectorised over a column's distinct values) -----
# A UPN is a letter and 12 characters: 12 digits (permanent) or 11 digits and a letter (temporary); any case, with
# or without a prefix such as "UPN:".
UPN_RE = re.compile(r"(?<![a-z0-9])(?:upn)?[a-z]\d{11}[a-z0-9](?![a-z0-9])", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\d.,])(?:\+44[\s-]?(?:\(0\))?[\s-]?|0)[1-9](?:[\s-]?\d){8,9}(?![\d.,])")
DATE_RE = re.compile(r"(?<![\d/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|(?:19|20)\d{2}-\d{1,2}-\d{1,2})"
                     r"(?![\d/.-])")
_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_CAP = rf"[{_UP}][{_UP}{_LOW}'’\-]*[{_LOW}][{_UP}{_LOW}'’\-]*"
NAME_RE = re.compile(rf"(?<![\w'’-]){_CAP}(?:,?[ \t]+(?:[{_UP}]\.?[ \t]+)?){_CAP}(?![\w'’-])"
                     rf"|(?<![\w'’-])[{_UP}]{{2,}},[ \t]*{_CAP}")
# words that make a label of two capitalised words a category rather than a person ("Ms Adeyemi" is a teacher,
# "Beacon Hill Academy" a school, "Summer 2026" a drop)
CATEGORY_WORDS = frozenset("""
mr mrs ms miss mx dr prof sir academy school college primary secondary high trust free grammar church catholic ce
cofe rc of st saint infant infants junior juniors community federation studio technical upper lower middle sixth form
year yr set group class house autumn spring summer term half mock mocks exam exams assessment data drop window point
support plan need needs premium pupil pupils english maths mathematics science boys girls girl boy male female yes no
none sen send ehcp eal fsm pp low other unknown not known stated and the at in for learning centre center campus site
north south east west national average expected standard band key stage ks1 ks2 ks3 ks4 ks5 mainstream unit resource
base alternative provision hospital team department faculty hub leaders leader head teacher teachers tutor reading
writing spelling grammar punctuation phonics english language literature history geography art music drama languages
french spanish german computing pe rs re
""".split())
KIND_WORDS = {"upn": "pupil numbers (UPNs)", "email": "email addresses", "phone": "phone numbers",
              "date": "dates (such as dates of birth)", "name": "free text such as names",
              "long": "long free text", "many": f"more than {MAX_GROUPS} different values"}


class DataProblem(ValueProblem):
    """The file cannot be analysed; ``problems`` lists every reason as a plain sentence."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


@dataclass
class PupilTable:
    """A checked, pseudonymised table: one row per pupil per data drop; no names or identifiers.

    ``groupings`` are the category columns confirmed for comparing groups (those whose heading the workbook
    recognises, such as Gender or SEND, unless the caller says otherwise); ``categories`` every column that could be
    confirmed; ``set_aside`` the headings left out on load with the reason (never a value)."""

    df: pd.DataFrame
    measures: tuple[str, ...]
    groupings: tuple[str, ...]
    drops: tuple[str, ...]
    mapping: dict[str, str]          # standard name -> the heading in the file
    fingerprint: str
    source_name: str = ""
    notes: tuple[str, ...] = ()
    headings: dict[str, str] = field(default_factory=dict)  # column in df -> heading in the file
    categories: tuple[str, ...] = ()
    set_aside: dict[str, str] = field(default_factory=dict)  # heading -> why it was left out

    @property
    def pupils(self) -> int:
        return int(self.df["pupil"].nunique())

    @property
    def rows(self) -> int:
        return len(self.df)

    def label(self, column: str) -> str:
        """How to name a column to a reader: the file's own heading."""
        return self.headings.get(column, LABELS.get(column, column))

    def confirm(self, columns: Sequence[str]) -> "PupilTable":
        """The same table with exactly ``columns`` (df columns or headings) confirmed as groupings."""
        chosen = []
        for c in columns:
            col = c if c in self.df.columns else next((k for k, h in self.headings.items() if h == c), None)
            if col is None or col not in (self.categories or self.groupings):
                raise DataProblem([f"'{c}' is not a column of categories in this file, so it cannot be used to "
                                   "compare groups."])
            chosen.append(col)
        return _replace(self, groupings=tuple(dict.fromkeys(chosen)))

    def describe(self) -> dict[str, Any]:
        """What may be saved about the file: never pupil rows."""
        return {"filename": self.source_name, "fingerprint": self.fingerprint, "rows": self.rows,
                "pupils": self.pupils, "mapping": dict(self.mapping), "measures": list(self.measures),
                "groupings": list(self.groupings), "drops": list(self.drops),
                "categories": list(self.categories or self.groupings), "set_aside": dict(self.set_aside)}


def normalise(heading: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^0-9a-z]+", " ", str(heading).lower())).strip()


def slug(heading: Any) -> str:
    return normalise(heading).replace(" ", "_") or "column"


def fingerprint(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _rows_text(rows: Sequence[int], limit: int = 8) -> str:
    rows = list(rows)
    shown = [str(r) for r in rows[:limit]]
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    if len(shown) == 1:
        return f"row {shown[0]}"
    return "rows " + (", ".join(shown) + more if more else ", ".join(shown[:-1]) + " and " + shown[-1])


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


# -- reading bytes -------------------------------------------------------------------------------------------------
def read_raw(data: bytes, filename: str = "", *, size_limit: int = SIZE_LIMIT_BYTES,
             expanded_limit: int = EXPANDED_LIMIT_BYTES) -> tuple[pd.DataFrame, str, list[str]]:
    """Bytes -> (a frame of strings/objects with no header applied, indexed by spreadsheet row number, the
    separator, notes). Bounded: see :data:`EXPANDED_LIMIT_BYTES`, :data:`MAX_COLUMNS`, :data:`MAX_XLSX_CELLS`."""
    if data is None or len(data) == 0:
        raise DataProblem(["The file is empty."])
    if len(data) > size_limit:
        raise DataProblem([f"The file is {_mb(len(data))}; files up to {_mb(size_limit)} can be analysed. Remove "
                           "columns or rows you do not need (for example other year groups) and upload it again."])
    notes: list[str] = []
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, expanded_limit)
        if not data:
            raise DataProblem(["The file is empty."])
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataProblem(["This is an old-style Excel file (.xls). Save it as .xlsx or CSV (File → Save As) and "
                           "upload that."])
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, expanded_limit), "xlsx", notes
    text = _decode(data, notes)
    if "\x00" in text:
        raise DataProblem(["This is not a CSV or Excel (.xlsx) file: it holds binary data."])
    lines = [ln for ln in text[:65536].splitlines() if ln.strip()]
    sep = _separator(lines)
    if lines and lines[0].count(sep) + 1 > MAX_COLUMNS:
        raise DataProblem([f"The file has more than {MAX_COLUMNS} columns; up to {MAX_COLUMNS} can be analysed. "
                           "Keep the columns you need and upload it again."])
    if sep == ";":
        notes.append("Read as a semicolon-separated file.")
    elif sep == "\t":
        notes.append("Read as a tab-separated file.")
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=False, skipinitialspace=True, engine="c")
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            raise DataProblem([f"Row {m.group(2)} has {m.group(3)} cells but the heading row has {m.group(1)}. "
                               "Check for a stray separator in that row."]) from None
        raise DataProblem(["The file could not be read as a table (CSV): check that it was saved as CSV."]) from None
    except pd.errors.EmptyDataError:
        raise DataProblem(["The file is empty."]) from None
    raw.index = np.arange(1, len(raw) + 1)  # spreadsheet row numbers
    return raw, sep, notes


def _separator(lines: Sequence[str]) -> str:
    """Comma, semicolon or tab: csv.Sniffer on the first lines (it weighs consistency across rows, so a semicolon
    file with decimal commas is read right); when it cannot tell, the most frequent in the heading row."""
    sample = "\n".join(lines[:20])
    if len(lines) >= 2 and len(sample) <= 65536:
        try:
            return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            pass
    first = lines[0] if lines else ""
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=lambda s: (counts[s], s == ","))
    return sep if counts[sep] else ","


def _gunzip(data: bytes, limit: int) -> bytes:
    """Unpack gzip (every member) without ever holding more than ``limit`` bytes of output."""
    out: list[bytes] = []
    total = 0
    rest = data
    try:
        while rest[:2] == b"\x1f\x8b":
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            tail = rest
            while not d.eof:
                piece = d.decompress(tail, 1 << 20)
                total += len(piece)
                if total > limit:
                    raise DataProblem([f"The compressed file unpacks to more than {_mb(limit)}; files that unpack to "
                                       f"up to {_mb(limit)} can be analysed."])
                out.append(piece)
                tail = d.unconsumed_tail
                if not piece and not tail:
                    raise DataProblem(["The file looks compressed (gzip) but is cut short: it could not be "
                                       "unpacked. Save it again and upload it."])
            rest = d.unused_data
    except zlib.error:
        raise DataProblem(["The file looks compressed (gzip) but could not be unpacked: it may be damaged or not "
                           "a data file. Save it as CSV or .xlsx and upload that."]) from None
    return b"".join(out)


def _column_number(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif ch.isdigit():
            break
        else:
            raise ValueError("bad cell reference")
    return n


def _expat(start=None, end=None, chars=None):
    """An expat parser that refuses any document type declaration: entities can never be defined or expanded."""
    import pyexpat

    def refuse(*_args):
        raise DataProblem([_XLSX_UNREADABLE])

    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    return parser


def _parse_stream(parser, src) -> None:
    while True:
        chunk = src.read(1 << 20)
        parser.Parse(chunk, not chunk)
        if not chunk:
            break


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


# built-in number formats that are dates or times (ECMA-376 18.8.30)
_DATE_FORMAT_IDS = frozenset(list(range(14, 23)) + list(range(27, 37)) + [45, 46, 47] + list(range(50, 59)))


class _Book:
    """The parts of an .xlsx needed to read its first sheet: where it is, its shared strings, which cell styles
    are dates, and the date system."""

    MAIN = "xl/workbook.xml"

    def __init__(self, zf):
        self.zf = zf
        self.names = set(zf.namelist())
        self.sheet_rid: str | None = None
        self.date1904 = False

        def start(name, attrs):
            tag = _local(name)
            if tag == "sheet" and self.sheet_rid is None:
                self.sheet_rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            elif tag == "workbookPr":
                self.date1904 = str(attrs.get("date1904", "")).lower() in ("1", "true")

        with zf.open(self._main()) as src:
            _parse_stream(_expat(start=start), src)

    def _main(self) -> str:
        if self.MAIN in self.names:
            return self.MAIN
        return next(n for n in self.names if n.endswith("workbook.xml"))

    def _rels(self) -> dict[str, str]:
        main = self._main()
        folder = main.rsplit("/", 1)[0]
        rels_name = f"{folder}/_rels/{main.rsplit('/', 1)[-1]}.rels"
        rels: dict[str, str] = {}

        def start(name, attrs):
            if _local(name) == "Relationship":
                target = attrs.get("Target", "")
                rels[attrs.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"

        if rels_name in self.names:
            with self.zf.open(rels_name) as src:
                _parse_stream(_expat(start=start), src)
        return rels

    def first_sheet(self) -> str:
        target = self._rels().get(self.sheet_rid or "")
        if target in self.names:
            return target
        return sorted(n for n in self.names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))[0]

    def shared_strings(self) -> list[str]:
        name = next((n for n in self.names if n.lower().endswith("sharedstrings.xml")), None)
        out: list[str] = []
        if name is None:
            return out
        state: dict[str, Any] = {"item": None, "text": None, "skip": 0}

        def start(name, attrs):
            tag = _local(name)
            if tag == "si":
                state["item"] = []
            elif tag == "rPh":  # phonetic hints are not part of the text
                state["skip"] += 1
            elif tag == "t" and state["item"] is not None and not state["skip"]:
                state["text"] = []

        def chars(text):
            if state["text"] is not None:
                state["text"].append(text)

        def end(name):
            tag = _local(name)
            if tag == "t" and state["text"] is not None:
                state["item"].append("".join(state["text"]))
                state["text"] = None
            elif tag == "rPh":
                state["skip"] -= 1
            elif tag == "si":
                out.append("".join(state["item"] or ()))
                state["item"] = None

        with self.zf.open(name) as src:
            _parse_stream(_expat(start, end, chars), src)
        return out

    def date_styles(self) -> set[int]:
        name = next((n for n in self.names if n.lower().endswith("styles.xml")), None)
        if name is None:
            return set()
        custom: dict[int, str] = {}
        xfs: list[int] = []
        state = {"in_xfs": False}

        def start(name, attrs):
            tag = _local(name)
            if tag == "numFmt":
                custom[int(attrs.get("numFmtId", -1))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                state["in_xfs"] = True
            elif tag == "xf" and state["in_xfs"]:
                xfs.append(int(attrs.get("numFmtId", 0)))

        def end(name):
            if _local(name) == "cellXfs":
                state["in_xfs"] = False

        with self.zf.open(name) as src:
            _parse_stream(_expat(start, end), src)

        def is_date(fmt_id: int) -> bool:
            if fmt_id in custom:
                code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom[fmt_id]).lower()
                return bool(re.search(r"[dmyhs]", code)) and "general" not in code
            return fmt_id in _DATE_FORMAT_IDS

        return {i for i, f in enumerate(xfs) if is_date(f)}


def _excel_date(serial: float, date1904: bool) -> dt.datetime:
    if date1904:
        return dt.datetime(1904, 1, 1) + dt.timedelta(days=serial)
    if serial < 60:  # Excel's 1900 system counts a 29 February 1900 that never was
        serial += 1
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)


def _sheet_rows(src, shared: Sequence[str], date_styles: set[int], date1904: bool) -> dict[int, dict[int, Any]]:
    """Cells of a worksheet part, read with expat: no document type (so no entities) is allowed, at most
    :data:`MAX_COLUMNS` columns and :data:`MAX_XLSX_CELLS` filled cells. Shared strings, booleans, numbers (int or
    float as written), and dates (a number in a date style) as Excel shows them."""
    rows: dict[int, dict[int, Any]] = {}
    state = {"row": 0, "col": 0, "t": None, "s": None, "text": None, "cells": 0, "v": None}

    tags: dict[str, str] = {}

    def local(name: str) -> str:  # "{namespace} c" -> "c", remembered per name
        tag = tags.get(name)
        if tag is None:
            tag = tags[name] = name.rsplit(" ", 1)[-1]
        return tag

    def start(name, attrs):
        tag = local(name)
        if tag == "row":
            state["row"] = int(attrs["r"]) if "r" in attrs else state["row"] + 1
            state["col"] = 0
        elif tag == "c":
            state["col"] = _column_number(attrs["r"]) if "r" in attrs else state["col"] + 1
            if state["col"] > MAX_COLUMNS:
                raise DataProblem([f"The sheet has more than {MAX_COLUMNS} columns; up to {MAX_COLUMNS} can be "
                                   "analysed. Keep the columns you need and upload it again."])
            state["t"], state["s"], state["v"] = attrs.get("t"), attrs.get("s"), None
        elif tag in ("v", "t") and state["t"] is not False:
            state["text"] = []

    def chars(text):
        if state["text"] is not None:
            state["text"].append(text)

    def end(name):
        tag = local(name)
        if tag in ("v", "t") and state["text"] is not None:
            state["v"] = (state["v"] or "") + "".join(state["text"]) if tag == "t" else "".join(state["text"])
            state["text"] = None
        elif tag == "c":
            raw, t = state["v"], state["t"]
            if raw is None or raw == "":
                return
            if t == "s":
                value: Any = shared[int(raw)]
            elif t in ("inlineStr", "str", "e", "d"):
                value = raw
            elif t == "b":
                value = raw.strip() in ("1", "true")
            else:
                value = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
                if state["s"] is not None and int(state["s"]) in date_styles and isinstance(value, (int, float)) \
                        and abs(value) < 3e6:
                    value = _excel_date(value, date1904)
            if value is None or value == "":
                return
            state["cells"] += 1
            if state["cells"] > MAX_XLSX_CELLS:
                raise DataProblem([f"The Excel file has more than {MAX_XLSX_CELLS:,} filled cells, too many to read "
                                   "as .xlsx. Save it as CSV (File → Save As → CSV), which has no such limit, and "
                                   "upload that."])
            rows.setdefault(state["row"], {})[state["col"]] = value

    _parse_stream(_expat(start, end, chars), src)
    return rows


_XLSX_UNREADABLE = ("This looks like an Excel file but it could not be opened. Open it in Excel, save it again as "
                    ".xlsx or CSV and upload that.")


def _read_xlsx(data: bytes, limit: int) -> pd.DataFrame:
    """The first sheet, cell by cell, refusing zip bombs (declared sizes are checked before anything is unpacked,
    and zipfile never reads past a member's declared size), any XML document type (so no entities: no billion
    laughs, no external entities), too many columns and too many cells. Standard library only (zipfile, expat)."""
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # noqa: BLE001 - any failure is one plain message
        raise DataProblem([_XLSX_UNREADABLE]) from None
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > limit:
        raise DataProblem([f"This Excel file unpacks to more than {_mb(limit)} (or holds too many parts); files "
                           f"that unpack to up to {_mb(limit)} can be analysed. Save it as CSV and upload that."])
    try:
        book = _Book(zf)
        with zf.open(book.first_sheet()) as src:
            rows = _sheet_rows(src, book.shared_strings(), book.date_styles(), book.date1904)
    except DataProblem:
        raise
    except Exception:  # noqa: BLE001 - damaged zip, bad XML, entities, anything: one plain message
        raise DataProblem([_XLSX_UNREADABLE]) from None
    if not rows:
        raise DataProblem(["The file has no headings and no pupils: every cell is empty."])
    width = max(max(r) for r in rows.values())
    index = sorted(rows)
    if len(index) * width > 4 * MAX_XLSX_CELLS:  # a few cells scattered over a huge empty area
        raise DataProblem(["The sheet's cells are spread over too large an area to read. Copy the table to a new "
                           "sheet (or save it as CSV) and upload that."])
    matrix = [[rows[i].get(c) for c in range(1, width + 1)] for i in index]
    return pd.DataFrame(matrix, index=index, columns=range(width), dtype=object)


def _decode(data: bytes, notes: list[str]) -> str:
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        notes.append("Read as a UTF-16 text file.")
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        notes.append("Read with the Windows character set (the file is not UTF-8).")
        return data.decode("cp1252", errors="replace")


# -- mapping -------------------------------------------------------------------------------------------------------
def auto_mapping(headings: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Standard name -> heading, from exact synonyms, then close misspellings (reported in the notes)."""
    mapping: dict[str, str] = {}
    notes: list[str] = []
    norm = {h: normalise(h) for h in headings}
    taken: set[str] = set()
    for std, names in STANDARD.items():
        for h in headings:
            if h not in taken and (norm[h] in names or norm[h] == std.replace("_", " ")):
                mapping[std] = h
                taken.add(h)
                break
    synonyms = {n: std for std, names in STANDARD.items() for n in names if len(n) >= 4}
    for h in headings:
        if h in taken or len(norm[h]) < 4:
            continue
        close = difflib.get_close_matches(norm[h], list(synonyms), n=1, cutoff=0.85)
        if close and synonyms[close[0]] not in mapping:
            std = synonyms[close[0]]
            mapping[std] = h
            taken.add(h)
            notes.append(f"Column '{h}' looks like a misspelling of '{close[0]}', so it is used as the "
                         f"{LABELS[std]} column. Rename it if that is wrong.")
    return mapping, notes


def suggest(name: str, headings: Sequence[str]) -> str:
    """'Did you mean …?' for a heading that is not in the file."""
    by_norm = {normalise(h): h for h in headings}
    close = difflib.get_close_matches(normalise(name), list(by_norm), n=2, cutoff=0.6)
    if not close:
        close_raw = difflib.get_close_matches(name, list(headings), n=2, cutoff=0.6)
        picks = close_raw
    else:
        picks = [by_norm[c] for c in close]
    if picks:
        return "Did you mean " + " or ".join(f"'{p}'" for p in picks) + "?"
    return "The columns are: " + ", ".join(f"'{h}'" for h in headings[:20]) + ("…" if len(headings) > 20 else ".")


def find_column(name: str, table: PupilTable) -> str:
    """The df column the user means by ``name`` (a heading in their file or a standard name)."""
    if name in table.df.columns and name != "pupil":
        return name
    for col, heading in table.headings.items():
        if heading == name or normalise(heading) == normalise(name):
            return col
    if slug(name) in table.df.columns and slug(name) != "pupil":
        return slug(name)
    headings = [table.headings.get(c, c) for c in table.df.columns if c != "pupil"]
    removed = [h for std, h in table.mapping.items() if std in IDENTIFIERS]
    if name in removed or normalise(name) in {normalise(h) for h in removed}:
        raise DataProblem([f"'{name}' identifies pupils, so it was removed on load and cannot be analysed."])
    for h, why in table.set_aside.items():
        if normalise(h) == normalise(name):
            raise DataProblem([f"'{h}' was set aside on load because it holds {why}, so it cannot be analysed."
                               if why != "identifies pupils" else
                               f"'{h}' identifies pupils, so it was removed on load and cannot be analysed."])
    raise DataProblem([f"There is no column '{name}'. {suggest(name, headings)}"])


# -- the whole load ------------------------------------------------------------------------------------------------
def load_pupil_table(data: bytes, filename: str = "", *, mapping: Mapping[str, str] | None = None,
                     categories: Sequence[str] | None = None, size_limit: int = SIZE_LIMIT_BYTES,
                     expanded_limit: int = EXPANDED_LIMIT_BYTES) -> PupilTable:
    """Validate and pseudonymise a pupil data file. Raises :class:`DataProblem` listing everything wrong.

    ``categories``: the columns (headings) confirmed for comparing groups; by default those whose heading the
    workbook recognises (Gender, SEND, Disadvantaged…). Any other column of categories is offered, unconfirmed."""
    try:
        return _load(data, filename, mapping, categories, size_limit, expanded_limit)
    except (OverflowError, MemoryError, RecursionError):
        raise DataProblem(["The file holds values too large to work with (for example a number with hundreds of "
                           "digits). Check the file and upload it again."]) from None


def _load(data, filename, mapping, categories, size_limit, expanded_limit) -> PupilTable:
    raw, sep, notes = read_raw(data, filename, size_limit=size_limit, expanded_limit=expanded_limit)
    problems: list[str] = []
    if raw.shape[0] == 0:
        raise DataProblem(["The file is empty."])
    blank = _blank_frame(raw)
    filled = (~blank).any(axis=1).to_numpy()
    if not filled.any():
        raise DataProblem(["The file has no headings and no pupils: every cell is empty."])
    top = int(np.argmax(filled))
    headings = [_heading(v) for v in raw.iloc[top].tolist()]
    body, body_blank = raw.iloc[top + 1:], blank.iloc[top + 1:]
    # drop trailing fully-empty columns (Excel leaves them)
    while headings and not headings[-1] and body_blank.iloc[:, len(headings) - 1].all():
        headings.pop()
    body, body_blank = body.iloc[:, :len(headings)], body_blank.iloc[:, :len(headings)]
    if not headings:
        raise DataProblem(["The file has no headings."])
    if len(headings) > MAX_COLUMNS:
        raise DataProblem([f"The file has {len(headings)} columns; up to {MAX_COLUMNS} can be analysed. Keep the "
                           "columns you need and upload it again."])
    long = [i + 1 for i, h in enumerate(headings) if len(h) > MAX_HEADING_CHARS]
    if long:
        raise DataProblem([f"The heading of column {', '.join(map(str, long[:10]))} is longer than "
                           f"{MAX_HEADING_CHARS} characters: give each column a short heading."])
    if _looks_like_data(headings):
        raise DataProblem(["The first row looks like pupils' data rather than headings (it holds numbers, dates or "
                           "pupil numbers). Add a heading row (for example UPN, Disadvantaged, Score) and upload "
                           "the file again."])
    blanks = [i + 1 for i, h in enumerate(headings) if not h]
    if blanks:
        problems.append(f"Column{'s' if len(blanks) > 1 else ''} {', '.join(map(str, blanks))} "
                        f"{'have' if len(blanks) > 1 else 'has'} no heading: give every column a heading.")
    seen: dict[str, int] = {}
    for i, h in enumerate(headings, start=1):
        if h and h in seen:
            problems.append(f"Two columns are both called '{h}' (columns {seen[h]} and {i}): rename one.")
        seen.setdefault(h, i)
    if problems:
        raise DataProblem(problems)
    body = body.copy()
    body.columns = headings
    body_blank = body_blank.copy()
    body_blank.columns = headings
    empty = body_blank.all(axis=1).to_numpy()
    if empty.any():
        rows = list(body.index[empty])
        trailing = rows[-1] == body.index[-1] and len(rows) == (body.index[-1] - rows[0] + 1)
        if not trailing or len(rows) < len(body):
            notes.append(f"{_rows_text(rows).capitalize()} {'is' if len(rows) == 1 else 'are'} blank and "
                         f"{'was' if len(rows) == 1 else 'were'} left out.")
        body, body_blank = body[~empty], body_blank[~empty]
    if body.empty:
        raise DataProblem(["The file has a heading row but no pupils."])

    # mapping
    auto, map_notes = auto_mapping(headings)
    if mapping:
        for std, h in mapping.items():
            if std not in STANDARD:
                problems.append(f"'{std}' is not a column the workbook knows; known: {', '.join(STANDARD)}.")
            elif h not in headings:
                problems.append(f"The column '{h}' chosen for {LABELS[std]} is not in the file. "
                                f"{suggest(h, headings)}")
            else:
                auto = {k: v for k, v in auto.items() if v != h}
                auto[std] = h
    notes += [n for n in map_notes if any(n.startswith(f"Column '{h}'") for h in auto.values())]
    mapping_final = {std: h for std, h in auto.items()}
    key_std = next((k for k in _KEY_ORDER if k in mapping_final), None)
    if key_std is None:
        hint = ""
        close = [h for h in headings if difflib.get_close_matches(normalise(h), [n for k in _KEY_ORDER
                                                                                   for n in IDENTIFIERS[k]],
                                                                  n=1, cutoff=0.8)]
        if close:
            hint = " " + "Did you mean " + " or ".join(f"'{c}'" for c in close[:2]) + \
                   "? Rename it to 'UPN', 'Pupil ID' or 'Name'."
        problems.append("No column identifies the pupils: add a column headed 'UPN', 'Pupil ID' or 'Name' "
                        "(it is replaced by a pseudonym on load and never shown)." + hint)
    if problems:
        raise DataProblem(problems)

    # identifying columns: by mapping, or by a heading that names personal data
    std_of = {h: std for std, h in mapping_final.items()}
    ident_cols = {h for h in headings if std_of.get(h) in IDENTIFIERS or
                  (std_of.get(h) not in GROUPINGS and _personal_heading(h))}
    set_aside: dict[str, str] = {}
    for h in headings:
        if h in ident_cols:
            set_aside[h] = "identifies pupils"
    name_tokens = _name_tokens([body[h] for h in ident_cols if std_of.get(h) not in ("upn", "pupil_id", "dob")])

    # pupil key -> pseudonym
    key_h = mapping_final[key_std]
    if key_std == "first_name":
        key = body[key_h].astype(str).str.strip().str.lower()
        if "surname" in mapping_final:
            key = key + "\x1f" + body[mapping_final["surname"]].astype(str).str.strip().str.lower()
    else:
        key = body[key_h].astype(str).str.strip()
        if key_std == "name":
            key = key.str.lower()
    key_blank = body_blank[key_h]
    if key_blank.any():
        problems.append(f"{_rows_text(list(body.index[key_blank.to_numpy()])).capitalize()} "
                        f"{'has' if key_blank.sum() == 1 else 'have'} no {LABELS[key_std]}: every pupil needs one.")
    drop_h = mapping_final.get("drop")
    drop_vals = None
    relabelled: dict[str, int] = {}
    if drop_h:
        drop_vals, k = _safe_labels(body[drop_h], allow_dates=True, name_tokens=name_tokens)
        if k:
            relabelled[drop_h] = k
    dup_key = key if drop_vals is None else key + "\x1e" + drop_vals
    dup = dup_key.duplicated(keep=False) & ~key_blank
    if dup.any():
        groups = pd.Series(body.index[dup.to_numpy()], index=dup_key[dup].to_numpy()).groupby(level=0).apply(list)
        msgs = [_rows_text(rows) for rows in sorted(groups.tolist(), key=lambda r: r[0])[:5]]
        more = f" ({len(groups)} pupils in all)" if len(groups) > 5 else ""
        where = " in the same data drop" if drop_vals is not None else ""
        problems.append(f"The same pupil (same {LABELS[key_std]}) appears more than once{where}: "
                        f"{'; '.join(msgs)}{more}. Remove the extra rows.")
    codes, _ = pd.factorize(key)
    pseudonyms = "P" + pd.Series(codes + 1, index=body.index).astype(str).str.zfill(5)

    # every other column: scanned in full for personal data, then a category, a measure or set aside
    clean = pd.DataFrame({"pupil": pseudonyms}, index=body.index)
    headings_map: dict[str, str] = {}
    measures: list[str] = []
    known: list[str] = []      # categories recognised by their heading
    offered: list[str] = []    # other columns of categories: offered, confirmed only by the learner
    decimal_comma = sep == ";"
    for h in headings:
        if h in ident_cols:
            continue
        std = std_of.get(h)
        col = std or slug(h)
        if col in clean.columns or col == "pupil":
            col = f"{col}_{len(clean.columns)}"
        series = body[h]
        if col == "drop":
            headings_map[col] = h
            clean[col] = drop_vals
            continue
        if std in GROUPINGS:
            headings_map[col] = h
            clean[col], k = _safe_labels(series, allow_dates=False, name_tokens=name_tokens)
            if k:
                relabelled[h] = k
            known.append(col)
            continue
        uniques = _distinct_text(series)
        kinds = _kinds(uniques)
        personal = [k for k in ("upn", "email", "phone") if kinds[k].any()]
        if personal:
            set_aside[h] = KIND_WORDS[personal[0]]
            continue
        if normalise(h) in FREE_TEXT_HEADINGS or kinds["name"].any() or kinds["long"].any():
            set_aside[h] = KIND_WORDS["name"] if (kinds["name"].any() or not kinds["long"].any()) \
                else KIND_WORDS["long"]
            continue
        numbers, bad, dates, huge = _numbers(series, decimal_comma)
        nonblank = max(1, int((~body_blank[h]).sum()))
        share = 1 - (int(bad.sum()) + int(dates.sum()) + int(huge.sum())) / nonblank
        if dates.any() and share >= 0.5:
            rows = list(body.index[dates.to_numpy()])
            problems.append(f"Column '{h}' holds dates instead of scores in {_rows_text(rows)}: Excel can turn a "
                            "typed value into a date. Format the column as Number, retype those values and upload "
                            "again.")
        elif (bad.any() or huge.any()) and share >= 0.6:
            if bad.any():
                rows = list(body.index[bad.to_numpy()])
                problems.append(f"Column '{h}' has values that are not numbers in {_rows_text(rows)}. "
                                "Leave a cell empty for a missing score.")
            if huge.any():
                rows = list(body.index[huge.to_numpy()])
                problems.append(f"Column '{h}' has numbers too large to be scores in {_rows_text(rows)} (more "
                                f"than {MAX_ABS_VALUE:,.0f} either way). Check those cells.")
        if share >= 0.6 and not bad.any() and not dates.any() and not huge.any() and numbers.notna().any():
            headings_map[col] = h
            clean[col] = numbers
            measures.append(col)
        elif share < 0.6:
            if kinds["date"].any() or dates.any():
                set_aside[h] = KIND_WORDS["date"]
                continue
            labels, k = _safe_labels(series, allow_dates=False, name_tokens=name_tokens)
            if labels.nunique() > MAX_GROUPS:
                set_aside[h] = KIND_WORDS["many"]
                continue
            if k:
                relabelled[h] = k
            headings_map[col] = h
            clean[col] = labels
            offered.append(col)
    if not measures and not problems:
        problems.append("No column holds scores (numbers) to analyse.")
    if problems:
        raise DataProblem(problems)
    drops = tuple(order_drops(clean["drop"].dropna().unique())) if "drop" in clean else ()
    shown = [h for h, why in set_aside.items() if why != "identifies pupils"]
    if shown:
        notes.append("Set aside on load (never shown, saved or analysed): " + "; ".join(
            f"'{h}' ({set_aside[h]})" for h in shown) + ".")
    for h, k in relabelled.items():
        notes.append(f"In column '{h}', {k} {'value looks' if k == 1 else 'values look'} like a name, a pupil "
                     f"number, a date or contact details, so {'it is' if k == 1 else 'they are'} shown as "
                     f"{'Group 1' if k == 1 else f'Group 1 to Group {k}'}.")
    all_categories = tuple(known + offered)
    if categories is None:
        confirmed = tuple(known)
    else:
        by_heading = {h: c for c, h in headings_map.items()}
        confirmed = tuple(dict.fromkeys(by_heading.get(c, c) for c in categories
                                        if by_heading.get(c, c) in all_categories))
    if offered and categories is None:
        notes.append("Not yet used to compare groups (confirm each one that holds categories, never names): "
                     + ", ".join(f"'{headings_map[c]}'" for c in offered) + ".")
    clean = clean.reset_index(drop=True)
    return PupilTable(df=clean, measures=tuple(measures), groupings=confirmed, drops=drops,
                      mapping=dict(mapping_final), fingerprint=fingerprint(data), source_name=filename,
                      notes=tuple(notes), headings=headings_map, categories=all_categories, set_aside=set_aside)


def _personal_heading(h: str) -> bool:
    n = normalise(h)
    if any(n in names for names in GROUPINGS.values()):
        return False
    if any(n in names for names in IDENTIFIERS.values()):
        return True
    return bool(PERSONAL_WORDS.intersection(n.split()))


def _looks_like_data(headings: Sequence[str]) -> bool:
    """A first row of values rather than headings: a UPN, email, phone or date, or mostly numbers."""
    text = [h for h in headings if h]
    if not text:
        return False
    if any(r.search(h) for h in text for r in (UPN_RE, EMAIL_RE, PHONE_RE, DATE_RE)):
        return True
    numeric = sum(bool(re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", h)) for h in text)
    return numeric * 2 > len(text)


def _distinct_text(series: pd.Series) -> pd.Series:
    """The column's distinct values as text (each once: the scan is linear in rows, then per distinct value)."""
    _, uniques = pd.factorize(series, use_na_sentinel=True)
    if series.dtype == object and any(not isinstance(u, str) for u in uniques[:1000]):
        return pd.Series([_group_label(u) for u in uniques], dtype=object)
    return pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip()


def _kinds(u: pd.Series) -> dict[str, np.ndarray]:
    """For each distinct value: does it hold a UPN, an email, a phone number, a date, a name, long text?"""
    if len(u) == 0:
        empty = np.zeros(0, dtype=bool)
        return {k: empty for k in ("upn", "email", "phone", "date", "name", "long")}
    # a value longer than a label is free text (flagged below) unless it is a number, which has no letters to hide
    # a name or UPN in: so the patterns need only its start, which keeps the scan linear whatever the cell length
    head = u.str.slice(0, 4 * MAX_LABEL_CHARS)
    out = {k: head.str.contains(r, regex=True).fillna(False).to_numpy(dtype=bool)
           for k, r in (("upn", UPN_RE), ("email", EMAIL_RE), ("phone", PHONE_RE), ("date", DATE_RE),
                        ("name", NAME_RE))}
    longer = (u.str.len() > MAX_LABEL_CHARS).fillna(False).to_numpy(dtype=bool).copy()
    if longer.any():
        numeric = u[longer].str.fullmatch(r"\s*[-+]?[\d.,\s]*\d(?:[eE][-+]?\d+)?%?\s*").fillna(False)
        longer[np.flatnonzero(longer)[numeric.to_numpy(dtype=bool)]] = False
    out["long"] = longer
    return out


def _name_tokens(columns: Sequence[pd.Series]) -> frozenset[str]:
    """Every word of every pupil name in the file's name columns (lower case), to check group labels against."""
    words: set[str] = set()
    for s in columns:
        u = _distinct_text(s)
        if len(u):
            words.update(u.str.casefold().str.findall(r"[^\W\d_]{2,}").explode().dropna().tolist())
    return frozenset(words - CATEGORY_WORDS)


def _safe_labels(series: pd.Series, *, allow_dates: bool, name_tokens: frozenset[str]) -> tuple[pd.Series, int]:
    """Group labels for a category column, each checked: one that looks like a name (two capitalised words that
    are not a title, a school or a term), holds a pupil's name from the file, a UPN, an email, a phone number, a date
    (except in the data-drop column) or long text becomes "Group 1", "Group 2"…. Returns (labels, how many)."""
    labels = _labels(series)
    codes, uniques = pd.factorize(labels)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    kinds = _kinds(u)
    flag = kinds["upn"] | kinds["email"] | kinds["phone"] | kinds["long"]
    if not allow_dates:
        flag |= kinds["date"]
    words = u.str.casefold().str.findall(r"[^\W\d_]+")
    for i in np.flatnonzero(kinds["name"] & ~flag):
        if not CATEGORY_WORDS.intersection(words.iloc[i]):
            flag[i] = True
    if name_tokens:
        flag |= words.map(lambda ws: any(w in name_tokens for w in ws)).to_numpy(dtype=bool)
    flag &= (u != "(blank)").to_numpy()
    if not flag.any():
        return labels, 0
    taken = set(u[~flag])
    new = u.copy()
    k = 0
    for i in np.flatnonzero(flag):
        k += 1
        name = f"Group {k}"
        while name in taken:
            name += "*"
        new.iloc[i] = name
    return pd.Series(new.to_numpy()[codes], index=series.index, dtype=object), k


def _heading(v: Any) -> str:
    if _blank_cell(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _blank_cell(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return isinstance(v, str) and not v.strip()


def _blank_series(s: pd.Series) -> pd.Series:
    if s.dtype == object:  # from Excel: mixed types
        return s.map(_blank_cell).astype(bool)
    return s.isna() | (s == "")  # CSV cells are read with leading spaces skipped


def _labels(s: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)  # label each distinct value once (fast on big files)
    labels = np.array([_group_label(u) for u in uniques] + ["(blank)"], dtype=object)
    return pd.Series(labels[codes], index=s.index, dtype=object)


def _blank_frame(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({i: _blank_series(df.iloc[:, i]) for i in range(df.shape[1])}, index=df.index)


def _group_label(v: Any) -> str:
    if _blank_cell(v):
        return "(blank)"
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return format_uk_date(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _date_text(v: Any) -> str:
    return format_uk_date(v) if isinstance(v, (dt.date, pd.Timestamp)) else str(v)


def _numbers(series: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(numbers with NaN for missing or unusable, mask of unreadable values, mask of Excel dates, mask of numbers
    beyond ±MAX_ABS_VALUE or infinite)."""
    if series.dtype == object and len(series):
        dates = series.map(lambda v: isinstance(v, (dt.date, dt.datetime, dt.time, pd.Timestamp)))
        big_int = series.map(lambda v: isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_ABS_VALUE)
    else:
        dates = pd.Series(False, index=series.index)
        big_int = dates
    s = series.where(~(dates | big_int), None).astype(str).str.strip()
    s = s.where(~series.isna(), "")
    missing = s.str.upper().isin(MISSING) | (s == "None") | dates | big_int
    t = s.str.replace(",", ".", regex=False) if decimal_comma else s
    nums = pd.to_numeric(t.where(~missing, None), errors="coerce")
    bad = ~missing & nums.isna()
    if bad.any():  # slower path for the few cells like '1,200' or '54%': reuse the typed-value reader
        for idx in series.index[bad.to_numpy()]:
            try:
                nums.loc[idx] = parse_number(t.loc[idx])
                bad.loc[idx] = False
            except (ValueProblem, OverflowError):
                pass
    nums = nums.astype(float)
    huge = (~np.isfinite(nums) & nums.notna()) | (nums.abs() > MAX_ABS_VALUE) | big_int
    huge &= ~bad
    return nums.where(~huge), bad, dates, huge


_TERMS = {"autumn": 0, "spring": 1, "summer": 2}


def order_drops(values: Sequence[Any]) -> list[str]:
    """Data drops in time order: UK dates, or 'Autumn 2025'-style terms (school year order), else as found."""
    vals = [str(v) for v in values]

    def key(v: str):
        low = v.lower()
        m = re.search(r"(autumn|spring|summer)(?:\s*([12])(?!\d))?\D*(\d{4}|\d{2})?", low)
        if m:
            term = _TERMS[m.group(1)]
            year = int(m.group(3)) if m.group(3) else 0
            year = year + 2000 if 0 < year < 100 else year
            academic = year - (1 if term > 0 and year else 0)
            return (academic, term, int(m.group(2) or 0))
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", v.strip())
        if m:
            return (int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return None

    keys = [key(v) for v in vals]
    if all(k is not None for k in keys):
        return [v for _, v in sorted(zip(keys, vals))]
    return vals
