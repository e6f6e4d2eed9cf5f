"""Written work with a version history: what the case study and the project account share.

A view that mixes :class:`VersionedWork` in (before its VBox) gets a version recorded each time autosave writes
(``store/history.py`` decides which versions to keep), the "Earlier versions" list kept up to date, and
:meth:`restore_selected`. The view provides ``versions`` (a Dropdown), ``version_msg`` (an HTML widget), ``artefact``,
``load()``, and :meth:`version_words` (the words the version holds); :meth:`workbook_known` runs once, when autosave
has bound the view to the learner's workbook.
"""

from __future__ import annotations

from typing import Any

from ..store.history import History
from .common import error_html


class VersionedWork:
    history: History | None = None
    _autosave: Any = None
    _seen_save: str | None = None

    # autosave sets ``view.autosave``: listen to it, so every save it writes also records a version
    @property
    def autosave(self):
        return self._autosave

    @autosave.setter
    def autosave(self, binding) -> None:
        self._autosave = binding
        binding.when_saved(self._after_save)

    def version_words(self) -> int:  # pragma: no cover - each view says how it counts
        raise NotImplementedError

    def workbook_known(self) -> None:
        """Called once the learner's workbook is known (before the first version is recorded)."""

    def _after_save(self) -> None:
        b = self._autosave
        if b is None or b.workbook is None:
            return
        if self.history is None:
            self.history = History(b.workbook, b.doc_id)
            self.workbook_known()
        if b.saved_at and b.saved_at != self._seen_save:
            self._seen_save = b.saved_at
            try:
                self.history.record(self.artefact, words=self.version_words())
            except Exception as exc:  # noqa: BLE001 - history never stops the work being saved
                self.version_msg.value = error_html(f"The version history could not be updated: {exc}")
        self.versions.options = [(v.label(), v.number) for v in self.history.versions()]

    def restore_selected(self) -> None:
        if self.history is None or self.versions.value is None:
            self.version_msg.value = error_html("There are no earlier versions yet.")
            return
        try:
            data = self.history.data(int(self.versions.value))
        except Exception as exc:  # noqa: BLE001 - a damaged history is a message, never a traceback
            self.version_msg.value = error_html(str(exc))
            return
        self.load(data)
        self.version_msg.value = ('<span class="npq-help" role="status">Version restored. Your work before the '
                                  "restore is kept in the list too.</span>")
