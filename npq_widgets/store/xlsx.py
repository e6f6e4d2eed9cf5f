"""The one writer of every .xlsx export: an export is described as data (sheets of cells, tables, pictures, charts)
and :func:`write_xlsx` writes it atomically.

Learner text is data, never a formula. A cell becomes a formula only when the exporter says so with
:class:`Formula`; any plain string — a risk title, a budget line, a group label from an uploaded file — is written
as a text cell, and one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list for
spreadsheet injection) is also quote-prefixed, so that Excel and LibreOffice show it as typed and never evaluate
it, even when someone edits the cell later. A carriage return is written as a line feed (XML reads it as one).
:func:`put` is the only place a value reaches an openpyxl cell.

openpyxl is imported inside the functions that write (listing and loading tasks stays light; import time is
benchmarked).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .files import atomic_write_bytes

DATE = "DD/MM/YYYY"
MONEY = '"£"#,##0.00;-"£"#,##0.00'
PERCENT = "0.0%"
HEAD_FILL = "DDE7F0"  # column titles
TOTAL_FILL = "F1F4F7"  # total rows
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Formula:
    """A cell the exporter writes as a live formula. In a :meth:`Sheet.table` row, ``{row}`` stands for the sheet
    row the cell lands in."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError(f"a formula starts with '=': {self.text!r}")


@dataclass(frozen=True)
class Cell:
    """A value with its style. ``wrap`` None leaves the alignment as openpyxl has it."""

    value: Any = None
    fmt: str | None = None
    bold: bool = False
    size: int | None = None
    fill: str | None = None
    wrap: bool | None = None
    border_top: bool = False


@dataclass(frozen=True)
class Picture:
    """A PNG (a matplotlib chart) placed with its top-left corner at ``anchor``."""

    png: bytes
    anchor: str


@dataclass(frozen=True)
class StackedBars:
    """A native stacked column chart over this sheet: one series a row (``rows``), its title in ``first_col`` and
    its values in the columns after it up to ``last_col``; the category names in ``categories_row``."""

    title: str
    x_title: str
    y_title: str
    rows: tuple[int, int]
    first_col: int
    last_col: int
    categories_row: int
    anchor: str
    height: float = 10
    width: float = 18


@dataclass(frozen=True)
class FillWhen:
    """Conditional format: fill the cells of ``cells`` (a range) with ``colour`` where ``formula`` holds."""

    cells: str
    formula: str
    colour: str


def column_letter(n: int) -> str:
    """1 → A, 27 → AA (without importing openpyxl)."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass
class Sheet:
    """One worksheet as data: cells by (row, column), column widths, frozen panes, pictures, charts, conditional
    fills. ``row`` is the next free row: :meth:`line`, :meth:`pairs` and :meth:`table` write there and move it on."""

    title: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None
    pictures: list[Picture] = field(default_factory=list)
    charts: list[StackedBars] = field(default_factory=list)
    fills_when: list[FillWhen] = field(default_factory=list)
    row: int = 1

    def set(self, row: int, col: int, value: Any, **style: Any) -> str:
        """Put one value (or :class:`Cell`) at (row, col) with ``style``; returns its address, e.g. ``"B7"``."""
        cell = value if isinstance(value, Cell) else Cell(value)
        style = {k: v for k, v in style.items() if v is not None}
        if style:
            cell = Cell(**{**cell.__dict__, **style})
        self.cells[(row, col)] = cell
        return f"{column_letter(col)}{row}"

    def line(self, *values: Any, col: int = 1, **style: Any) -> int:
        """Write ``values`` across the next free row from column ``col``; returns that row."""
        r = self.row
        for c, value in enumerate(values, start=col):
            if value is not None:
                self.set(r, c, value, **style)
        self.row += 1
        return r

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def pairs(self, rows: Iterable[tuple[str, Any]], *, fmt: Mapping[str, str] | None = None,
              wrap: bool | None = None) -> dict[str, str]:
        """Label (bold, column A) and value (column B) rows — the export header, a list of figures; returns
        label → address of its value, so that formulas can name them."""
        where = {}
        for label, value in rows:
            r = self.line(Cell(label, bold=True))
            where[label] = self.set(r, 2, value, wrap=wrap, fmt=(fmt or {}).get(label))
        return where

    def table(self, columns: Sequence[Any], rows: Iterable[Sequence[Any]], *, col: int = 1,
              formats: Mapping[int, str] | None = None, wrap: bool | None = True,
              freeze_col: int | None = None) -> tuple[int, int]:
        """Column titles (bold, shaded, wrapped) and then one row each; ``formats`` maps a column (1-based, within
        the table) to the number format of its non-empty cells; ``{row}`` in a :class:`Formula` is the row's number.
        Freezes the panes below the titles left of ``freeze_col`` when given. Returns (first, last) data row; last is
        first − 1 when there are no rows."""
        head = self.line(*(Cell(c, bold=True, fill=HEAD_FILL, wrap=True) for c in columns), col=col)
        if freeze_col is not None:
            self.freeze = (head + 1, freeze_col)
        return self.rows(rows, col=col, formats=formats, wrap=wrap)

    def rows(self, rows: Iterable[Sequence[Any]], *, col: int = 1, formats: Mapping[int, str] | None = None,
             wrap: bool | None = None) -> tuple[int, int]:
        """One row each from the next free row (a table without titles): see :meth:`table`."""
        first = self.row
        for values in rows:
            r = self.row
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                if not isinstance(value, Cell):
                    value = Cell(value, fmt=(formats or {}).get(c), wrap=wrap)
                if isinstance(value.value, Formula):
                    value = Cell(**{**value.__dict__, "value": Formula(value.value.text.replace("{row}", str(r)))})
                self.set(r, col + c - 1, value)
            self.row += 1
        return first, self.row - 1

    def set_widths(self, widths: Sequence[float] | Mapping[int, float], start: int = 1) -> None:
        items = widths.items() if isinstance(widths, Mapping) else enumerate(widths, start=start)
        self.widths.update(dict(items))


# -- writing --------------------------------------------------------------------------------------------------------
def put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one value to an openpyxl worksheet: a :class:`Formula` as a formula; any string as text (quote-prefixed
    when it starts like a formula); dates as DD/MM/YYYY; anything else as openpyxl writes it. Returns the cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Formula):
        cell.value = value.text
        return cell
    if isinstance(value, str):
        # XML turns a carriage return into a line feed when the file is read: write what will be read.
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        cell.value = text
        cell.data_type = "s"  # openpyxl reads a leading '=' as a formula: this is text, whatever it starts with
        if value.startswith(FORMULA_LEADS):
            cell.quotePrefix = True
        return cell
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = DATE
    return cell


def _write_sheet(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    for (r, c), spec in sorted(sheet.cells.items()):
        cell = put(ws, r, c, spec.value)
        if spec.bold or spec.size:
            cell.font = Font(bold=spec.bold, size=spec.size)
        if spec.fill:
            cell.fill = PatternFill("solid", fgColor=spec.fill)
        if spec.wrap is not None:
            cell.alignment = Alignment(wrap_text=spec.wrap, vertical="top")
        if spec.fmt:
            cell.number_format = spec.fmt
        if spec.border_top:
            cell.border = Border(top=Side(style="thin"))
    for c, width in sorted(sheet.widths.items()):
        ws.column_dimensions[column_letter(c)].width = width
    if sheet.freeze:
        ws.freeze_panes = ws.cell(row=sheet.freeze[0], column=sheet.freeze[1])
    if sheet.fills_when:
        from openpyxl.formatting.rule import FormulaRule

        for rule in sheet.fills_when:
            ws.conditional_formatting.add(rule.cells, FormulaRule(
                formula=[rule.formula], fill=PatternFill("solid", bgColor=rule.colour)))
    if sheet.pictures:
        from openpyxl.drawing.image import Image

        for pic in sheet.pictures:
            ws.add_image(Image(io.BytesIO(pic.png)), pic.anchor)
    for spec in sheet.charts:
        _add_stacked_bars(ws, spec)


def _add_stacked_bars(ws: Any, spec: StackedBars) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title, chart.x_axis.title, chart.y_axis.title = spec.title, spec.x_title, spec.y_title
    data = Reference(ws, min_col=spec.first_col, max_col=spec.last_col, min_row=spec.rows[0], max_row=spec.rows[1])
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=spec.first_col + 1, max_col=spec.last_col,
                                   min_row=spec.categories_row, max_row=spec.categories_row))
    chart.height, chart.width = spec.height, spec.width
    ws.add_chart(chart, spec.anchor)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets``, in order, as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _write_sheet(wb.create_sheet(sheet.title[:31]), sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(path: str | Path, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` atomically (a crash never leaves a torn file)."""
    return atomic_write_bytes(path, xlsx_bytes(sheets))


def header_sheet(title: str, header: Sequence[tuple[str, Any]]) -> Sheet:
    """A sheet that starts with the export header (candidate, qualification, criteria, date) and a blank row."""
    sheet = Sheet(title)
    sheet.pairs(header)
    sheet.skip()
    return sheet
