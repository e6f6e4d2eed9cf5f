"""What every task builder does the same way: check with graduated hints, offer the Excel download, and show the
scenario's model answer to a facilitator."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..contract import FREE, TaskContext
from .common import XLSX_MIME, download_link, error_html


class TaskView:
    """Mixin for a task's VBox. The view provides ``task``, ``scenario``, ``attempts``, ``artefact``, ``load()``,
    and the ``feedback`` and ``download`` HTML widgets; ``export_name`` names the downloaded file."""

    export_name = "work"
    context: TaskContext = TaskContext()
    _quiet_depth = 0  # > 0 inside quietly() (an instance attribute once a view has been quiet)  # replaced by the apps with one that knows the learner's workbook

    def _artefact(self, **fields) -> dict:
        """The view's work as its task's typed artefact, in the JSON form the store, checker and exporters read."""
        scenario = self.scenario.id if self.scenario is not None else FREE
        return self.task.artefact_type(scenario=scenario, **fields).to_dict()

    def show_model_answer(self) -> None:
        """For facilitators: load the scenario's model answer into the app."""
        if self.scenario is not None and self.scenario.model_answer:
            self.load(self.scenario.model_answer)

    def check(self):
        self.attempts += 1
        result = self.task.check(self.artefact, attempt=self.attempts, scenario=self.scenario)
        self.feedback.value = result._repr_html_()
        for listener in list(getattr(self, "_check_listeners", ())):
            listener(result)
        return result

    def show_last_check(self, record: dict, same_work: bool) -> None:
        """After a reload, show the last check again (``record`` is autosave's ``check--<doc>``). If the work is
        what was checked, the checker runs again at the same attempt — identical input gives identical feedback,
        the same hint — without counting a new attempt; otherwise one line says what the last check found."""
        from .common import esc

        status = record.get("status")
        if status not in ("pass", "fail") or getattr(self, "feedback", None) is None:
            return
        if same_work:
            try:
                result = self.task.check(self.artefact, attempt=max(self.attempts, 1), scenario=self.scenario)
            except Exception:  # noqa: BLE001 - the note below is shown instead
                result = None
            if result is not None and result.status == status:
                self.feedback.value = result._repr_html_()
                return
        score, most = record.get("score"), record.get("max_score")
        found = "everything was met" if status == "pass" else "not everything was met yet"
        if isinstance(score, (int, float)) and isinstance(most, (int, float)) and most:
            found += f" ({score:g} of {most:g})"
        self.feedback.value = (f'<p class="npq-help npq-last-check">Your last check: {esc(found)}. The work has '
                               "changed since, so check it again to see feedback on this version.</p>")

    def when_checked(self, listener) -> None:
        """Call ``listener(result)`` after every check (autosave keeps the result and the attempt count)."""
        if getattr(self, "_check_listeners", None) is None:
            self._check_listeners = []
        self._check_listeners.append(listener)

    def export_artefact(self) -> dict:
        """The artefact as exported: with the qualification the candidate chose on the contents page, so every
        export names it."""
        art = dict(self.artefact)
        candidate = dict(art.get("candidate") or {})
        if not candidate.get("qualification"):
            qualification = self.context.profile().get("qualification")
            if qualification:
                candidate["qualification"] = qualification
                art["candidate"] = candidate
        return art

    def load_header(self, artefact) -> dict:
        """Restore the candidate's name (and the project's title, where the view has one) from saved work, keeping
        what else the candidate section holds (e.g. the qualification) in ``_candidate_extra``; returns the saved
        ``project`` mapping (empty if there is none or it is not a mapping) for the view's own fields."""
        from collections.abc import Mapping

        cand = artefact.get("candidate") if isinstance(artefact.get("candidate"), Mapping) else {}
        self.candidate.value = str(cand.get("name") or "")
        self._candidate_extra = {k: v for k, v in cand.items() if k != "name"}
        project = dict(artefact["project"]) if isinstance(artefact.get("project"), Mapping) else {}
        if hasattr(self, "project_title"):
            self.project_title.value = str(project.get("title") or "")
        return project

    def document_bytes(self, fmt: str, name: str | None = None) -> bytes:
        """The work exported through the task's declaration in ``fmt`` (``xlsx``, ``docx``…), as bytes."""
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{name or self.export_name}.{fmt}"
            self.task.export(self.export_artefact(), fmt, out)
            return out.read_bytes()

    def spreadsheet_bytes(self) -> bytes:
        return self.document_bytes("xlsx")

    @staticmethod
    def offer_files(target, what: str, files: Callable[[], Sequence[tuple[bytes, str, str, str]]]) -> None:
        """Fill the HTML widget ``target`` with a download link per file ``(data, file name, link text, type)``
        that ``files()`` makes — or, if making them fails, one plain sentence saying ``what`` could not be made."""
        try:
            made = list(files())
        except Exception as exc:  # noqa: BLE001 - shown in the widget, never as a traceback
            target.value = error_html(f"{what} could not be made: {exc}")
            return
        target.value = " &nbsp; ".join(download_link(data, name, text, mime) for data, name, text, mime in made)

    def prepare_download(self) -> None:
        name = f"{self.export_name}.xlsx"
        self.offer_files(self.download, "The spreadsheet",
                         lambda: [(self.spreadsheet_bytes(), name, f"Download {name}", XLSX_MIME)])

    # -- the controls every task builder has ----------------------------------------------------------------
    def _name_field(self):
        """The candidate's name, shown on every export."""
        import ipywidgets as w

        from .common import field

        self.candidate = w.Text(placeholder="Your name, for the export", layout=w.Layout(width="320px"))
        self.candidate.add_class("npq-candidate-name")
        box, _ = field("Your name (shown on exports)", self.candidate)
        return box

    def _check_controls(self, label: str) -> None:
        """The check button and the feedback it fills."""
        import ipywidgets as w

        from .common import button

        self.check_button = button(label, css="npq-check", primary=True)
        self.check_button.on_click(lambda _b: self.check())
        self.feedback = w.HTML()
        self.feedback.add_class("npq-feedback")

    def _download_controls(self) -> None:
        """The button that prepares the Excel file, and the link it leaves."""
        import ipywidgets as w

        from .common import button

        self.download_button = button("Prepare Excel download", css="npq-prepare-download")
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.download = w.HTML()
        self.download.add_class("npq-download-area")

    def _start(self, task, scenario) -> None:
        """The state every task builder starts from."""
        self.task = task
        self.scenario = scenario
        self.attempts = 0
        self._quiet_depth = 0

    # -- filling many fields at once --------------------------------------------------------------------------
    @contextlib.contextmanager
    def quietly(self) -> Iterator[None]:
        """While the view fills itself in (loading saved work, adding a row), handlers that recompute charts and
        totals on every change check :attr:`quiet` and do nothing; the caller recomputes once afterwards. Blocks
        nest, and an exception inside one still ends it."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    @property
    def quiet(self) -> bool:
        """True inside :meth:`quietly`: skip recomputing on each field."""
        return self._quiet_depth > 0

    def _intro(self, own_work: str, scenario_extra: str = "") -> str:
        """The task's title and summary, then the scenario's brief — or, in free build, ``own_work`` (HTML)."""
        from .common import esc, text_to_html

        s = self.scenario
        brief = f"<h2>{esc(s.title)}</h2>{text_to_html(s.brief)}{scenario_extra}" if s is not None else own_work
        return f"<h1>{esc(self.task.title)}</h1><p>{esc(self.task.summary)}</p>{brief}"
