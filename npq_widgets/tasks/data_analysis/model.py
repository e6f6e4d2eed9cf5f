"""The saved form of a pupil data analysis. The statistics themselves are shared domain code
(:mod:`npq_widgets.domain.pupil_data`, ``pupil_analysis``, ``pupil_stats``), used by every task that reads pupil data.

Saved work never holds pupil rows: the file's description and fingerprint (``data``), the choices made
(``selection``), the aggregates the analysis produced (``aggregates``) and the candidate's answers (``answers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...contract import Artefact

SCHEMA_VERSION = 1


@dataclass
class DataAnalysisArtefact(Artefact):
    TASK = "data-analysis"
    SCHEMA_VERSION = SCHEMA_VERSION

    data: dict = field(default_factory=dict)
    selection: dict = field(default_factory=dict)
    aggregates: dict | None = None
    answers: dict = field(default_factory=dict)
