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
- **pseudonymises**: names, UPNs, pupil ids and dates of birth are dropped on load; each pupil becomes ``P00001``…
  in order of first appearance. Nothing identifying is kept, shown or exported.

Pure: bytes in, a :class:`PupilTable` out (pandas reads the bytes; no file IO here).
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .values import ValueProblem, format_uk_date, parse_number

SIZE_LIMIT_BYTES = 20 * 1024 * 1024  # documented limit for uploaded files (README, task brief)
MISSING = {"", "NA", "N/A", "#N/A", "-", "NULL", "NAN"}

# standard column -> headings that mean it (compared after normalising case, spaces and punctuation)
IDENTIFIERS = {
    "upn": ("upn", "unique pupil number", "upn number", "pupil upn"),
    "pupil_id": ("pupil id", "student id", "id", "adno", "admission number", "mis id", "candidate number",
                 "pupil number", "learner id"),
    "first_name": ("first name", "forename", "given name", "legal forename", "preferred forename", "firstname"),
    "surname": ("surname", "last name", "family name", "legal surname", "preferred surname", "lastname"),
    "name": ("name", "pupil name", "student name", "full name", "pupil", "student"),
    "dob": ("dob", "date of birth", "birth date", "birthday"),
}
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
_UPN_LIKE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
_KEY_ORDER = ("upn", "pupil_id", "name", "first_name")


class DataProblem(ValueProblem):
    """The file cannot be analysed; ``problems`` lists every reason as a plain sentence."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


@dataclass
class PupilTable:
    """A checked, pseudonymised table: one row per pupil per data drop; no names or identifiers."""

    df: pd.DataFrame
    measures: tuple[str, ...]
    groupings: tuple[str, ...]
    drops: tuple[str, ...]
    mapping: dict[str, str]          # standard name -> the heading in the file
    fingerprint: str
    source_name: str = ""
    notes: tuple[str, ...] = ()
    headings: dict[str, str] = field(default_factory=dict)  # column in df -> heading in the file

    @property
    def pupils(self) -> int:
        return int(self.df["pupil"].nunique())

    @property
    def rows(self) -> int:
        return len(self.df)

    def label(self, column: str) -> str:
        """How to name a column to a reader: the file's own heading."""
        return self.headings.get(column, LABELS.get(column, column))

    def describe(self) -> dict[str, Any]:
        """What may be saved about the file: never pupil rows."""
        return {"filename": self.source_name, "fingerprint": self.fingerprint, "rows": self.rows,
                "pupils": self.pupils, "mapping": dict(self.mapping), "measures": list(self.measures),
                "groupings": list(self.groupings), "drops": list(self.drops)}


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
def read_raw(data: bytes, filename: str = "", *, size_limit: int = SIZE_LIMIT_BYTES) -> tuple[pd.DataFrame, str,
                                                                                                list[str]]:
    """Bytes -> (a frame of strings/objects with no header applied, the separator, notes)."""
    if data is None or len(data) == 0:
        raise DataProblem(["The file is empty."])
    if len(data) > size_limit:
        raise DataProblem([f"The file is {_mb(len(data))}; files up to {_mb(size_limit)} can be analysed. Remove "
                           "columns or rows you do not need (for example other year groups) and upload it again."])
    notes: list[str] = []
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            raise DataProblem(["The file looks compressed (gzip) but could not be unpacked."]) from None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataProblem(["This is an old-style Excel file (.xls). Save it as .xlsx or CSV (File → Save As) and "
                           "upload that."])
    if data[:4] == b"PK\x03\x04":
        try:
            raw = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object)
        except Exception:  # noqa: BLE001 - any failure is one plain message
            raise DataProblem(["This looks like an Excel file but it could not be opened. Open it in Excel, save "
                               "it again as .xlsx or CSV and upload that."]) from None
        return raw, "xlsx", notes
    text = _decode(data, notes)
    if "\x00" in text:
        raise DataProblem(["This is not a CSV or Excel (.xlsx) file: it holds binary data."])
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=lambda s: (counts[s], s == ","))
    if counts[sep] == 0:
        sep = ","
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
    return raw, sep, notes


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
    raise DataProblem([f"There is no column '{name}'. {suggest(name, headings)}"])


# -- the whole load ------------------------------------------------------------------------------------------------
def load_pupil_table(data: bytes, filename: str = "", *, mapping: Mapping[str, str] | None = None,
                     size_limit: int = SIZE_LIMIT_BYTES) -> PupilTable:
    """Validate and pseudonymise a pupil data file. Raises :class:`DataProblem` listing everything wrong."""
    raw, sep, notes = read_raw(data, filename, size_limit=size_limit)
    problems: list[str] = []
    if raw.shape[0] == 0:
        raise DataProblem(["The file is empty."])
    # heading row: the first row with anything in it
    filled = (~_blank_frame(raw)).any(axis=1).to_numpy()
    if not filled.any():
        raise DataProblem(["The file has no headings and no pupils: every cell is empty."])
    top = int(np.argmax(filled))
    headings = [_heading(v) for v in raw.iloc[top].tolist()]
    body = raw.iloc[top + 1:]
    # drop trailing fully-empty columns (Excel leaves them)
    while headings and not headings[-1] and _blank_series(body.iloc[:, len(headings) - 1]).all():
        headings.pop()
        body = body.iloc[:, :len(headings)]
    if not headings:
        raise DataProblem(["The file has no headings."])
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
    body.index = np.arange(top + 2, top + 2 + len(body))  # spreadsheet row numbers
    empty = _blank_frame(body).all(axis=1)
    if empty.any():
        rows = list(body.index[empty.to_numpy()])
        trailing = rows and rows[-1] == body.index[-1] and len(rows) == (body.index[-1] - rows[0] + 1)
        if not trailing or len(rows) < len(body):
            notes.append(f"{_rows_text(rows).capitalize()} {'is' if len(rows) == 1 else 'are'} blank and "
                         f"{'was' if len(rows) == 1 else 'were'} left out.")
        body = body[~empty.to_numpy()]
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
                                                                  n=1, cutoff=0.6)]
        if close:
            hint = " " + "Did you mean " + " or ".join(f"'{c}'" for c in close[:2]) + \
                   "? Rename it to 'UPN', 'Pupil ID' or 'Name'."
        problems.append("No column identifies the pupils: add a column headed 'UPN', 'Pupil ID' or 'Name' "
                        "(it is replaced by a pseudonym on load and never shown)." + hint)
    if problems:
        raise DataProblem(problems)

    # Excel dates: convert in the drop column, refuse in score columns (checked with the numbers below)
    ident_cols = {mapping_final[k] for k in IDENTIFIERS if k in mapping_final}
    headings_ok = [h for h in headings if h not in ident_cols]
    # also remove anything that looks like UPNs whatever it is called
    for h in list(headings_ok):
        sample = body[h].head(50).map(lambda v: str(v).strip() if not _blank_cell(v) else None).dropna()
        if len(sample) and sample.map(lambda v: bool(_UPN_LIKE.match(v))).mean() > 0.8:
            headings_ok.remove(h)
            ident_cols.add(h)
            notes.append(f"Column '{h}' looks like pupil numbers (UPNs), so it was removed on load.")

    # pupil key -> pseudonym
    if key_std == "first_name":
        key = body[mapping_final["first_name"]].astype(str).str.strip().str.lower()
        if "surname" in mapping_final:
            key = key + "\x1f" + body[mapping_final["surname"]].astype(str).str.strip().str.lower()
    else:
        key = body[mapping_final[key_std]].astype(str).str.strip()
        if key_std == "name":
            key = key.str.lower()
    key_blank = _blank_series(body[mapping_final[key_std]])
    if key_blank.any():
        problems.append(f"{_rows_text(list(body.index[key_blank.to_numpy()])).capitalize()} "
                        f"{'has' if key_blank.sum() == 1 else 'have'} no {LABELS[key_std]}: every pupil needs one.")
    drop_h = mapping_final.get("drop")
    drop_vals = None
    if drop_h:
        drop_vals = _labels(body[drop_h])
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

    # build the clean frame
    clean = pd.DataFrame({"pupil": pseudonyms}, index=body.index)
    headings_map: dict[str, str] = {}
    std_of = {h: std for std, h in mapping_final.items()}
    measures: list[str] = []
    groupings: list[str] = []
    decimal_comma = sep == ";"
    for h in headings_ok:
        col = std_of.get(h) or slug(h)
        if col in clean.columns:
            col = f"{col}_{len(clean.columns)}"
        headings_map[col] = h
        series = body[h]
        if col == "drop":
            clean[col] = drop_vals
            continue
        if col in GROUPINGS:
            clean[col] = _labels(series)
            groupings.append(col)
            continue
        numbers, bad, dates = _numbers(series, decimal_comma)
        share = 1 - (bad.sum() + dates.sum()) / max(1, (~_blank_series(series)).sum())
        if dates.any() and share >= 0.5:
            rows = list(body.index[dates.to_numpy()])
            first = _date_text(series.loc[rows[0]])
            problems.append(f"Column '{h}' holds dates instead of scores in {_rows_text(rows)} (for example "
                            f"{first}): Excel can turn a typed value into a date. Format the column as Number, "
                            "retype those values and upload again.")
        elif bad.any() and share >= 0.6:
            rows = list(body.index[bad.to_numpy()])
            examples = ", ".join(f"'{str(v).strip()[:20]}'" for v in series[bad].drop_duplicates().head(3))
            problems.append(f"Column '{h}' has values that are not numbers in {_rows_text(rows)} ({examples}). "
                            "Leave a cell empty for a missing score.")
        if share >= 0.6 and not bad.any() and not dates.any() and numbers.notna().any():
            clean[col] = numbers
            measures.append(col)
        elif share < 0.6:
            clean[col] = _labels(series)
            if clean[col].nunique() <= 60:
                groupings.append(col)
    if not measures and not problems:
        problems.append("No column holds scores (numbers) to analyse.")
    if problems:
        raise DataProblem(problems)
    drops = tuple(order_drops(clean["drop"].dropna().unique())) if "drop" in clean else ()
    # year group is a grouping even though it is numeric
    for col in ("year_group",):
        if col in measures:
            measures.remove(col)
            clean[col] = clean[col].map(lambda v: "" if pd.isna(v) else f"{v:g}")
            groupings.insert(0, col)
    clean = clean.reset_index(drop=True)
    kept = {std: h for std, h in mapping_final.items()}
    return PupilTable(df=clean, measures=tuple(measures), groupings=tuple(dict.fromkeys(groupings)), drops=drops,
                      mapping=kept, fingerprint=fingerprint(data), source_name=filename, notes=tuple(notes),
                      headings=headings_map)


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


def _numbers(series: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers with NaN for missing, mask of unreadable values, mask of Excel dates)."""
    if series.dtype == object and len(series) and not isinstance(series.iloc[0], str):
        dates = series.map(lambda v: isinstance(v, (dt.date, dt.datetime, pd.Timestamp)))
    else:
        dates = pd.Series(False, index=series.index)
    s = series.where(~dates, None).astype(str).str.strip()
    s = s.where(~series.isna(), "")
    missing = s.str.upper().isin(MISSING) | (s == "None") | dates
    t = s.str.replace(",", ".", regex=False) if decimal_comma else s
    nums = pd.to_numeric(t.where(~missing, None), errors="coerce")
    bad = ~missing & nums.isna()
    if bad.any():  # slower path for the few cells like '1,200' or '54%': reuse the typed-value reader
        for idx in series.index[bad.to_numpy()]:
            try:
                nums.loc[idx] = parse_number(t.loc[idx])
                bad.loc[idx] = False
            except ValueProblem:
                pass
    return nums.astype(float), bad, dates


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
