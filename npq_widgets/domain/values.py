"""Reading what people type: numbers, percentages, money and UK dates. Pure; errors are plain sentences."""

from __future__ import annotations

import datetime as dt
import re

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


class ValueProblem(ValueError):
    """A value someone typed could not be read; the message says how to write it."""


def parse_number(text: object, *, what: str = "This value", allow_percent: bool = True) -> float:
    """'54', '54%', '1,200.5', ' 7 ' -> float. Rejects text, blanks, NaN and infinities with a plain message."""
    if isinstance(text, bool):
        raise ValueProblem(f"{what} must be a number.")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = str(text if text is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if allow_percent and s.endswith("%"):
            s = s[:-1]
        if not s:
            raise ValueProblem(f"{what} is empty: type a number, for example 54.")
        if not _NUMBER.match(s) or s in {"+", "-", "."}:
            raise ValueProblem(f"{what} must be a number such as 54 or 54.5 (you typed '{str(text).strip()[:40]}').")
        value = float(s.replace(",", ""))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueProblem(f"{what} must be an ordinary number.")
    return value


def parse_uk_date(text: object, *, what: str = "The date") -> dt.date:
    """'24/03/2027' (also 24-03-2027, 24.3.27 and ISO 2027-03-24) -> date."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    s = str(text if text is not None else "").strip()
    if not s:
        raise ValueProblem(f"{what} is empty: write it as DD/MM/YYYY, for example 24/03/2027.")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", s)
        if not m:
            raise ValueProblem(f"{what} '{s[:40]}' is not a date: write it as DD/MM/YYYY, for example 24/03/2027.")
        d, mo, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueProblem(f"{what} '{s[:40]}' does not exist in the calendar (DD/MM/YYYY).") from None


def format_uk_date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def word_count(text: object) -> int:
    """Words as a reader counts them: runs of letters or digits (hyphenated and apostrophe words count once)."""
    return len(re.findall(r"[\w][\w'’\-]*", str(text or "")))
