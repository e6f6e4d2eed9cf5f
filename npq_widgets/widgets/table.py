"""A table of many rows that stays fast: one HTML ``<table>`` showing a page of rows, Previous/Next buttons, and a menu
that chooses the row to edit in a form of a few widgets.

A register of 500 rows built as 500 sets of widgets takes minutes to appear in a browser; this is one ``HTML`` widget,
three buttons and a ``Dropdown`` however many rows there are. The table is real HTML (a ``<caption>``, ``<th
scope="col">`` headers, a ``<th scope="row">`` per row), so a screen reader reads it as a table, and every control is
a labelled button or menu that works from the keyboard.

The owner (a task view) keeps the rows' data; it gives the table the cells to show with :meth:`PagedTable.set_rows`
and hears which row was chosen through ``on_choose``.
"""

from __future__ import annotations

from typing import Callable, Sequence

import ipywidgets as w

from .common import button, esc, field

PAGE_SIZE = 25

CSS = """
.npq-app table.npq-paged-table { width: 100%; font-size: 15px; }
.npq-app .npq-card select, .npq-app .npq-table-choose select { font-size: 15px; }
.npq-app table.npq-paged-table caption { text-align: left; font-weight: 600; font-size: 16px; padding: 4px 0;
    caption-side: top; }
.npq-app table.npq-paged-table th[scope=col] { background: #e9eef3; }
.npq-app table.npq-paged-table tr.npq-row-chosen th, .npq-app table.npq-paged-table tr.npq-row-chosen td {
    background: #fff6d6; font-weight: 600; }
.npq-app .npq-table-pages { align-items: center; gap: 8px; }
.npq-app .npq-table-status { font-size: 16px; margin: 0 8px; }
"""


def dash_range(first: int, last: int) -> str:
    return f"{first}–{last}"


class PagedTable(w.VBox):
    """``columns`` are the header texts; the first cell of each row is its header (``<th scope="row">``).

    ``set_rows(cells, labels)`` gives every row's cells (plain text, escaped here; or ``(html, )`` tuples for
    trusted markup) and the short label used in the row menu. ``chosen`` is the index of the row being edited.
    """

    def __init__(self, caption: str, columns: Sequence[str], *, noun: str = "row", page_size: int = PAGE_SIZE,
                 css: str = "", on_choose: Callable[[int | None], None] | None = None):
        self.caption = caption
        self.columns = list(columns)
        self.noun = noun
        self.page_size = page_size
        self.page = 0
        self.chosen: int | None = None
        self._cells: list[Sequence] = []
        self._labels: list[str] = []
        self._on_choose = on_choose
        self._setting = False
        self.table = w.HTML()
        self.table.add_class("npq-table-html")
        self.status = w.HTML()
        self.status.add_class("npq-table-status")
        self.previous = button(f"Previous {page_size} {noun}s", css="npq-table-previous")
        self.next = button(f"Next {page_size} {noun}s", css="npq-table-next")
        self.previous.tooltip = f"Show the previous page of {noun}s"
        self.next.tooltip = f"Show the next page of {noun}s"
        self.previous.on_click(lambda _b: self.go(self.page - 1))
        self.next.on_click(lambda _b: self.go(self.page + 1))
        self.menu = w.Dropdown(options=[], value=None, layout=w.Layout(width="460px"))
        self.menu.add_class("npq-table-choose")
        menu_box, _ = field(f"{noun.capitalize()} to edit (from the rows shown)", self.menu)
        self.menu.observe(self._menu_changed, "value")
        pages = w.HBox([self.previous, self.status, self.next], layout=w.Layout(flex_flow="row wrap"))
        pages.add_class("npq-table-pages")
        super().__init__([w.HTML(f"<style>{CSS}</style>", layout=w.Layout(height="0px", margin="0")),
                          self.table, pages, menu_box])
        self.add_class("npq-paged-table-box")
        if css:
            self.add_class(css)
        self._render()

    # -- what the owner calls ----------------------------------------------------------------------------------
    @property
    def pages(self) -> int:
        return max(1, -(-len(self._cells) // self.page_size))

    def set_rows(self, cells: Sequence[Sequence], labels: Sequence[str], chosen: int | None = None) -> None:
        """All rows' cells and menu labels; ``chosen`` (if given) becomes the row being edited, and its page shown."""
        self._cells = list(cells)
        self._labels = list(labels)
        if chosen is not None:
            self.chosen = chosen
        if self.chosen is not None and not 0 <= self.chosen < len(self._cells):
            self.chosen = len(self._cells) - 1 if self._cells else None
        if chosen is not None and self.chosen is not None:
            self.page = self.chosen // self.page_size
        self.page = min(self.page, self.pages - 1)
        self._render()

    def update_row(self, index: int, cells: Sequence, label: str) -> None:
        """One row changed (typing in the form): redraw only when it is on the page shown."""
        self._cells[index] = cells
        old = self._labels[index]
        self._labels[index] = label
        if self.page * self.page_size <= index < (self.page + 1) * self.page_size:
            self.table.value = self._table_html()
            if label != old:
                self._fill_menu()

    def go(self, page: int) -> None:
        """Show ``page`` (0-based; clipped), and choose its first row unless the chosen row is on it."""
        page = max(0, min(page, self.pages - 1))
        self.page = page
        first, last = self._bounds()
        if self.chosen is None or not first <= self.chosen < last:
            self.chosen = first if last > first else None
            self._render()
            if self._on_choose:
                self._on_choose(self.chosen)
        else:
            self._render()

    def choose(self, index: int | None) -> None:
        """Make row ``index`` the one being edited (its page is shown) and tell the owner."""
        self.chosen = index
        if index is not None:
            self.page = index // self.page_size
        self._render()
        if self._on_choose:
            self._on_choose(index)

    # -- drawing -----------------------------------------------------------------------------------------------
    def _bounds(self) -> tuple[int, int]:
        first = self.page * self.page_size
        return first, min(first + self.page_size, len(self._cells))

    def range_text(self) -> str:
        first, last = self._bounds()
        n = len(self._cells)
        if not n:
            return f"No {self.noun}s yet"
        return f"{self.noun.capitalize()}s {dash_range(first + 1, last)} of {n}"

    def _render(self) -> None:
        self.table.value = self._table_html()
        self.status.value = (f'<span class="npq-table-status-text" role="status">{esc(self.range_text())} '
                             f'(page {self.page + 1} of {self.pages})</span>')
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1
        self._fill_menu()

    def _fill_menu(self) -> None:
        first, last = self._bounds()
        options = [(self._labels[i], i) for i in range(first, last)]
        value = self.chosen if self.chosen is not None and first <= self.chosen < last else None
        self._setting = True
        try:
            if list(self.menu.options) != options:
                self.menu.options = options
            self.menu.value = value
        finally:
            self._setting = False

    def _menu_changed(self, change) -> None:
        if self._setting or change["new"] is None or change["new"] == self.chosen:
            return
        self.choose(change["new"])

    def _table_html(self) -> str:
        first, last = self._bounds()
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in self.columns)
        body = []
        for i in range(first, last):
            cells = [_cell(c) for c in self._cells[i]]
            mark = ""
            cls = ""
            if i == self.chosen:
                cls = ' class="npq-row-chosen"'
                mark = ' <span class="npq-help">(editing)</span>'
            row_head = f'<th scope="row">{cells[0]}{mark}</th>' if cells else ""
            body.append(f"<tr{cls}>{row_head}" + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>")
        if not body:
            body.append(f'<tr><td colspan="{len(self.columns)}">No {esc(self.noun)}s yet: add one below.</td></tr>')
        caption = f"{esc(self.caption)} — {esc(self.range_text())}"
        return (f'<table class="npq-table npq-paged-table"><caption>{caption}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _cell(value) -> str:
    """Plain text is escaped; a 1-tuple ``(html,)`` is trusted markup built by the view."""
    if isinstance(value, tuple) and len(value) == 1:
        return str(value[0])
    return esc("" if value is None else value)


__all__ = ["PAGE_SIZE", "PagedTable"]


class RowEditor:
    """A list of row dicts shown in a :class:`PagedTable` and edited one row at a time in a form: what the risk
    register and the project plan share. The view sets ``ROWS`` (the name of its list attribute), ``ID_PREFIX``,
    ``EMPTY`` (the note shown when there are no rows), and provides ``table``, ``form`` (``.value`` a row dict),
    ``empty_note``, ``_cells(row)``, ``_label(row)``, ``_new_row(data, row_id)`` and ``rows_changed()``;
    ``_form_shown(index)`` may add to what the form shows. ``quietly()``/``quiet`` come from TaskView."""

    ROWS = "rows"
    ID_PREFIX = "R"
    EMPTY = ""

    @property
    def chosen(self) -> int | None:
        """The index of the row shown in the form."""
        return self.table.chosen

    def _rows(self) -> list:
        return getattr(self, self.ROWS)

    def _redraw_table(self, chosen: int | None = None) -> None:
        rows = self._rows()
        self.table.set_rows([self._cells(r) for r in rows], [self._label(r) for r in rows], chosen)
        if chosen is not None or self.chosen is None:
            self._show_chosen(self.table.chosen)

    def _show_chosen(self, index: int | None) -> None:
        """Put the chosen row in the form (or hide the form, with the empty note, when there are no rows)."""
        rows = self._rows()
        if index is None or not rows:
            self.form.layout.display = "none"
            self.empty_note.value = f'<p class="npq-help">{self.EMPTY}</p>'
            return
        self.form.layout.display = None
        self.empty_note.value = ""
        with self.quietly():
            self.form.value = rows[index]
        self._form_shown(index)

    def _form_shown(self, index: int) -> None:
        """Anything else the form shows for the row at ``index`` (e.g. the plan's dependencies and float)."""

    def form_edited(self) -> None:
        """The form changed: keep the list and its row in the table up to date."""
        rows, i = self._rows(), self.chosen
        if i is None or not 0 <= i < len(rows):
            return
        rows[i] = self.form.value
        self.table.update_row(i, self._cells(rows[i]), self._label(rows[i]))

    def _add_row(self, data=None) -> dict:
        """Add a row at the end (blank, or from ``data``) and show it in the form."""
        from .rows import row_id

        rows = self._rows()
        rows.append(self._new_row(data or {}, row_id(data, [r["id"] for r in rows], self.ID_PREFIX)))
        if not self.quiet:
            self._redraw_table(len(rows) - 1)
            self.rows_changed()
        return rows[-1]

    def _remove_row(self, index: int | None = None) -> None:
        """Remove the chosen row (or the one at ``index``); the next one is shown."""
        rows = self._rows()
        i = self.chosen if index is None else index
        if i is None or not 0 <= i < len(rows):
            return
        del rows[i]
        self._redraw_table(min(i, len(rows) - 1) if rows else None)
        self.rows_changed()

    def move(self, step: int) -> None:
        """Move the chosen row ``step`` places (−1 up, +1 down); nothing happens at either end."""
        rows, i = self._rows(), self.chosen
        j = None if i is None else i + step
        if i is None or not 0 <= j < len(rows):
            return
        rows[i], rows[j] = rows[j], rows[i]
        self._redraw_table(j)
        self.rows_changed()
