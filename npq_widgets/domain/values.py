"""Reading what people type: numbers, percentages, money and UK dates. Pure; errors are plain sentences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


class ValueProblem(ValueError):
    """A value someone typed could not be read; the message says how to write it."""


def parse_number(text: object, *, what: str = "This value", allow_percent: bool = True) -> float:
    """'54', '54%', '1,200.5', ' 7 ', '−0.2' -> float. Rejects text, blanks, NaN and infinities with a plain
    message."""
    if isinstance(text, bool):
        raise ValueProblem(f"{what} must be a number.")
    if isinstance(text, (int, float)):
        try:
            value = float(text)
        except OverflowError:  # an int such as 10**400
            raise ValueProblem(f"{what} must be an ordinary number.") from None
    else:
        s = str(text if text is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if s[:1] in ("\u2212", "\u2013"):  # a typographic minus or an en dash, as word processors write them
            s = "-" + s[1:]
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


_MONEY = re.compile(r"^(?P<sign>[+-]?)£?(?P<sign2>[+-]?)(?P<int>\d{1,3}(,\d{3})+|\d+)?(?:\.(?P<dec>\d+))?$")


def parse_money(text: object, *, what: str = "This amount", allow_negative: bool = False) -> float:
    """'£1,200', '1200.50', ' £ 75 ' -> 1200.0, 1200.5, 75.0 (pounds). Rejects text, blanks, more than two decimal
    places (pence) and — unless ``allow_negative`` — amounts below zero, each with a plain message."""
    if isinstance(text, bool):
        raise ValueProblem(f"{what} must be an amount of money, for example £1,200.")
    if isinstance(text, (int, float)):
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(f"{what} must be an ordinary amount of money.")
        if abs(value * 100 - round(value * 100)) > 1e-6:
            raise ValueProblem(f"{what} has more than two decimal places: give it in pounds and pence, e.g. £12.50.")
    else:
        typed = str(text if text is not None else "").strip()
        s = typed.replace("\u00a0", "").replace(" ", "")
        if not s:
            raise ValueProblem(f"{what} is empty: type an amount, for example £1,200.")
        m = _MONEY.match(s)
        if not m or (m["int"] is None and m["dec"] is None) or (m["sign"] and m["sign2"]):
            raise ValueProblem(f"{what} must be an amount such as £1,200 or 1200.50 (you typed '{typed[:40]}').")
        if m["dec"] is not None and len(m["dec"]) > 2:
            raise ValueProblem(f"{what} has more than two decimal places (you typed '{typed[:40]}'): give it in "
                               "pounds and pence, e.g. £12.50.")
        value = float((m["int"] or "0").replace(",", "") + "." + (m["dec"] or "0"))
        if "-" in (m["sign"] + m["sign2"]):
            value = -value
    if value < 0 and not allow_negative:
        raise ValueProblem(f"{what} cannot be negative (it is {format_money(value)}).")
    return value + 0.0  # no -0.0


def format_money(value: float) -> str:
    """1200 -> '£1,200.00'; -5 -> '-£5.00'. Pence rounded half-up."""
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    return f"{sign}£{abs(d):,.2f}"


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
    """Words as a word processor counts them — the one definition used by the whole workbook.

    A word is a run of characters between whitespace (spaces, tabs, line breaks, non-breaking spaces) that holds at
    least one letter or digit. So "well-being", "don't", "£1,200", "54%", "e.g." and "3.5" each count once; a
    bullet or dash standing alone ("-", "•", "–", "*") and other punctuation on its own are not words; text pasted
    from a word processor (curly quotes, non-breaking spaces, Windows line endings) counts the same as typed text.
    Anything that is not text counts as its string form (None counts 0).
    """
    if text is None:
        return 0
    return sum(1 for token in str(text).split() if any(ch.isalnum() for ch in token))


def next_id(existing: Iterable[str], prefix: str) -> str:
    """The next free id such as 'T7' (one more than the highest number used with this prefix)."""
    high = 0
    for s in existing:
        if s.startswith(prefix) and s[len(prefix):].isdigit():
            high = max(high, int(s[len(prefix):]))
    return f"{prefix}{high + 1}"


def spread_text(values: "list[float] | tuple[float, ...]", fmt=lambda v: f"{v:g}") -> str:
    """'3 to 12 (median 6)': the range and median of a few numbers (a cohort view's summary); '—' for none."""
    import statistics

    if not values:
        return "—"
    return f"{fmt(min(values))} to {fmt(max(values))} (median {fmt(statistics.median(values))})"


@dataclass(frozen=True)
class RowProblem:
    """One field of one row (a risk, an objective…) that could not be read: the row as the candidate numbers it
    (from 1), the field, and the plain sentence the checker and the view show next to that field."""

    row: int
    field: str
    message: str
