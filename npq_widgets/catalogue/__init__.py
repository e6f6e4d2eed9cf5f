"""The NPQ catalogue: qualifications, courses, modules, content areas, criteria, behaviours and roles, quoted from the
provider documents (the seeds in ``shared/seeds/``) and held as YAML in ``npq_widgets/catalogue/data/``.

    >>> from npq_widgets.catalogue import load_catalogue, format_qualification
    >>> cat = load_catalogue()
    >>> cat.get("NPQML-legacy").total_hours
    92
    >>> [q.id for q in cat.by_code("npqsl")]
    ['NPQSL-legacy', 'NPQSL-reformed']
    >>> cat.recommend("team").codes
    ('NPQLT', 'NPQLTD', 'NPQLBC')

The layer just above ``paths``: it imports only the standard library, PyYAML and its own modules. Importing the
package is cheap: the record types (``model``), the loader (and PyYAML) and the formatter are imported on first use.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these come from __getattr__ below
    from pathlib import Path

    from .format import UNKNOWN, format_passages
    from .loader import DATA_DIR, CatalogueError
    from .model import (
        SCOPES, Assessment, AssessmentPart, AssessmentTask, Behaviour, BehaviourScale, CaseStudyRules, Catalogue,
        Component, ContentArea, Course, Criterion, Duration, Erratum, Event, LearnHowTo, Module, Passage,
        Qualification, Quote, Recommendation, ReformedContentArea, Role, RolePlacement, Scope, Source, StageHours,
        VerbatimText,
    )

_MODEL_NAMES = (
    "SCOPES", "Assessment", "AssessmentPart", "AssessmentTask", "Behaviour", "BehaviourScale", "CaseStudyRules",
    "Catalogue", "Component", "ContentArea", "Course", "Criterion", "Duration", "Erratum", "Event", "LearnHowTo",
    "Module", "Passage", "Qualification", "Quote", "Recommendation", "ReformedContentArea", "Role", "RolePlacement",
    "Scope", "Source", "StageHours", "VerbatimText",
)
_LAZY: dict[str, str] = {
    **{name: ".model" for name in _MODEL_NAMES},
    "DATA_DIR": ".loader",
    "CatalogueError": ".loader",
    "UNKNOWN": ".format",
    "format_passages": ".format",
}

__all__ = ["load_catalogue", "format_qualification", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


@functools.cache
def load_catalogue(data_dir: str | Path | None = None) -> Catalogue:
    """The catalogue, read from the package's data files (or ``data_dir``) and checked; cached per folder.

    Raises :class:`CatalogueError` (a ``ValueError``) naming the file and field if a data file is missing,
    malformed or inconsistent. ``load_catalogue.cache_clear()`` forgets the cached copies.
    """
    from .loader import load

    return load(data_dir)


def format_qualification(q: Qualification, *, width: int = 88) -> str:
    """A readable plain-text summary of one qualification for a terminal: name, id, route, level, audience,
    components with hours (``unknown`` where the seed gives none) and total, courses and modules, events,
    assessment, criteria and sources."""
    from .format import format_qualification as _format

    return _format(q, width=width)
