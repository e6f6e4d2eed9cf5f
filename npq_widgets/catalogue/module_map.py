"""The workbook's editorial map of course modules to criteria, content areas and supporting documents.

The seeds list the module titles but do not say which criteria each module serves: ``data/module_map.yaml`` is the
workbook's own judgement, marked ``editorial: true``, and is checked here against the catalogue (every criterion id,
content area and supporting document it names must exist there).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

COURSE_KEYS = ("strategy", "teaching", "resources")
STANDARD_SET = "NPQSL-legacy"  # the module set shown to qualifications without modules of their own


@dataclass(frozen=True)
class ModuleMapping:
    id: str
    course: str
    number: int
    applies_to: tuple[str, ...]
    criteria: tuple[str, ...]
    content_areas: tuple[str, ...]
    reformed_content_areas: tuple[str, ...]
    supporting_documents: tuple[str, ...]
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class ModuleMap:
    note: str
    modules: tuple[ModuleMapping, ...]

    def get(self, module_id: str) -> ModuleMapping:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(f"No module {module_id!r}; modules: {', '.join(m.id for m in self.modules)}.")

    def for_qualification(self, qualification_id: str) -> tuple[ModuleMapping, ...]:
        """The modules a qualification takes. Qualifications whose seeds give no modules (the reformed NPQs, legacy
        NPQH) use the workbook's standard set, which is NPQSL's."""
        named = {q for m in self.modules for q in m.applies_to}
        wanted = qualification_id if qualification_id in named else STANDARD_SET
        return tuple(m for m in self.modules if wanted in m.applies_to)


@functools.cache
def load_module_map() -> ModuleMap:
    import yaml

    from . import load_catalogue

    path = Path(__file__).parent / "data" / "module_map.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("editorial") is not True:
        raise ValueError(f"{path.name}: the module map must be marked 'editorial: true'")
    cat = load_catalogue()
    criteria = {c.id for c in cat.criteria}
    areas = {a.name for a in cat.legacy_content_areas}
    reformed = {a.name for a in cat.reformed_content_areas}
    documents = set(cat.supporting_documents)
    modules = []
    for entry in data.get("modules") or []:
        m = ModuleMapping(
            id=str(entry["id"]), course=str(entry["course"]), number=int(entry["number"]),
            applies_to=tuple(entry.get("applies_to") or ()), criteria=tuple(str(c) for c in entry.get("criteria") or ()),
            content_areas=tuple(entry.get("content_areas") or ()),
            reformed_content_areas=tuple(entry.get("reformed_content_areas") or ()),
            supporting_documents=tuple(entry.get("supporting_documents") or ()), tasks=tuple(entry.get("tasks") or ()))
        problems = ([f"criterion {c}" for c in m.criteria if c not in criteria]
                    + [f"content area {a!r}" for a in m.content_areas if a not in areas]
                    + [f"reformed content area {a!r}" for a in m.reformed_content_areas if a not in reformed]
                    + [f"supporting document {d!r}" for d in m.supporting_documents if d not in documents]
                    + [f"qualification {q}" for q in m.applies_to if q not in cat.ids]
                    + ([f"course {m.course!r}"] if m.course not in COURSE_KEYS else []))
        if problems:
            raise ValueError(f"{path.name}: module {m.id} names what the catalogue does not have: "
                             + ", ".join(problems))
        modules.append(m)
    return ModuleMap(str(data.get("note", "")), tuple(modules))
