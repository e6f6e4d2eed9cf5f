"""Case-study packs: one YAML file each (plus any data files it names), read from a folder. Pure: no widgets.

The format is documented in ``exercises/case-study/packs/README.md``. A provider adds a case study by dropping one
more YAML file into the packs folder (or a folder named by the ``NPQ_CASE_STUDY_PACKS`` environment variable); a
file that cannot be read is reported in one plain sentence and the other packs still load.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from ...paths import exercises_dir

PROGRAMMES = ("NPQSL", "NPQH", "NPQEL", "NPQLT", "NPQLTD", "NPQLBC")
LEADERSHIP = ("NPQSL", "NPQH", "NPQEL")
ENV = "NPQ_CASE_STUDY_PACKS"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")
REQUIRED = ("id", "title", "programme", "synthetic", "role", "context", "task", "data", "voices", "budget",
            "facilitator_note")
KNOWN = set(REQUIRED) | {"groups", "content_areas", "sources"}


class PackProblem(ValueError):
    """A pack that cannot be used; the message is one plain sentence naming the file."""


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: Mapping[str, Any] | None = None
    note: str = ""


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    programme: str
    synthetic: bool
    role: str
    context: str
    task: str
    data: tuple[Mapping[str, Any], ...]
    voices: tuple[tuple[str, str], ...]
    budget: Table
    facilitator_note: tuple[tuple[str, tuple[int, ...]], ...]
    groups: tuple[str, ...] = ()
    content_areas: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    folder: Path = field(default=Path("."), compare=False)

    @property
    def leadership(self) -> bool:
        return self.programme in LEADERSHIP

    def tables(self) -> tuple[Table, ...]:
        """The data appendix as tables (pupil-data entries summarised with the workbook's pupil-data machinery)."""
        return _tables(self)

    def numbers(self) -> set[str]:
        """Every figure the pack quotes (context, tables, voices, budget), normalised: '1,200' -> '1200'."""
        text = " ".join([self.context, self.task] + [s for _, s in self.voices])
        for t in self.tables() + (self.budget,):
            text += " " + " ".join(str(c) for r in t.rows for c in r)
        return {normal_number(n) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}

    def group_names(self) -> tuple[str, ...]:
        """The groups named in the pack's data: its ``groups`` list and the first column of every table."""
        names = list(self.groups)
        for t in self.tables():
            names += [str(r[0]) for r in t.rows if r and not re.fullmatch(r"[\d.,%£ -]*", str(r[0]))]
        return tuple(dict.fromkeys(n for n in names if n.strip()))


def normal_number(text: str) -> str:
    s = text.replace(",", "").rstrip(".")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def default_folders() -> tuple[Path, ...]:
    folders = [exercises_dir() / "case-study" / "packs"]
    extra = os.environ.get(ENV, "").strip()
    if extra:
        folders += [Path(p) for p in extra.split(os.pathsep) if p.strip()]
    return tuple(folders)


@dataclass(frozen=True)
class PackList:
    packs: tuple[Pack, ...]
    problems: tuple[str, ...]

    def get(self, pack_id: str) -> Pack:
        for p in self.packs:
            if p.id == pack_id:
                return p
        raise PackProblem(f"There is no case study '{pack_id}'.")


def load_packs(folders: tuple[Path, ...] | None = None) -> PackList:
    """Every ``*.yaml`` pack in ``folders`` (default: the shipped packs, then ``$NPQ_CASE_STUDY_PACKS``)."""
    packs: list[Pack] = []
    problems: list[str] = []
    for folder in folders if folders is not None else default_folders():
        folder = Path(folder)
        if not folder.is_dir():
            problems.append(f"The case-study folder {folder} does not exist.")
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                pack = read_pack(path)
            except PackProblem as exc:
                problems.append(str(exc))
                continue
            if any(p.id == pack.id for p in packs):
                problems.append(f"{path.name}: another case study already has the id '{pack.id}'; this one is "
                                "left out.")
                continue
            packs.append(pack)
    return PackList(tuple(packs), tuple(problems))


def read_pack(path: Path) -> Pack:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PackProblem(f"{name} could not be read ({exc.__class__.__name__}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise PackProblem(f"{name} is not valid YAML{where}: check its indentation and quotes.") from None
    if not isinstance(raw, Mapping):
        raise PackProblem(f"{name} does not describe a case study (expected keys such as id, title, context).")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise PackProblem(f"{name} is missing {', '.join(missing)}.")
    unknown = sorted(set(map(str, raw)) - KNOWN)
    if unknown:
        raise PackProblem(f"{name} has keys this workbook does not read: {', '.join(unknown)}.")
    pid = str(raw["id"])
    if not _ID.match(pid):
        raise PackProblem(f"{name}: the id '{pid[:40]}' must be lower-case letters, digits and hyphens.")
    programme = str(raw["programme"]).upper()
    if programme not in PROGRAMMES:
        raise PackProblem(f"{name}: the programme must be one of {', '.join(PROGRAMMES)}.")
    if not isinstance(raw["synthetic"], bool):
        raise PackProblem(f"{name}: 'synthetic' must be true or false.")
    for key in ("title", "role", "context", "task"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise PackProblem(f"{name}: '{key}' must be some text.")
    data = raw["data"]
    if not isinstance(data, list) or not data or not all(isinstance(d, Mapping) for d in data):
        raise PackProblem(f"{name}: 'data' must be a list of tables or pupil-data summaries.")
    for i, d in enumerate(data, start=1):
        _check_data(name, i, d, path.parent)
    voices = raw["voices"]
    if not isinstance(voices, list) or not all(isinstance(v, Mapping) and v.get("who") and v.get("says")
                                               for v in voices):
        raise PackProblem(f"{name}: each entry of 'voices' needs 'who' and 'says'.")
    budget = _table(name, "budget", raw["budget"])
    note = raw["facilitator_note"]
    if not isinstance(note, list) or not note:
        raise PackProblem(f"{name}: 'facilitator_note' must be a list of points, each with 'point' and 'areas'.")
    points = []
    for n in note:
        areas = n.get("areas") if isinstance(n, Mapping) else None
        if not isinstance(n, Mapping) or not n.get("point") or not _areas_ok(areas):
            raise PackProblem(f"{name}: each facilitator point needs 'point' and 'areas' (content areas 1 to 10).")
        points.append((str(n["point"]).strip(), tuple(areas)))
    areas = raw.get("content_areas", list(range(1, 11)) if programme in LEADERSHIP else None)
    if not _areas_ok(areas):
        raise PackProblem(f"{name}: 'content_areas' must list the content areas (1 to 10) the case study draws on.")
    return Pack(
        id=pid, title=str(raw["title"]).strip(), programme=programme, synthetic=raw["synthetic"],
        role=str(raw["role"]).strip(), context=str(raw["context"]).strip(), task=str(raw["task"]).strip(),
        data=tuple(dict(d) for d in data), voices=tuple((str(v["who"]), str(v["says"]).strip()) for v in voices),
        budget=budget, facilitator_note=tuple(points), groups=tuple(str(g) for g in raw.get("groups") or ()),
        content_areas=tuple(areas), sources=tuple(str(s) for s in raw.get("sources") or ()), folder=path.parent,
    )


def _areas_ok(areas: Any) -> bool:
    return (isinstance(areas, list) and bool(areas)
            and all(isinstance(a, int) and not isinstance(a, bool) and 1 <= a <= 10 for a in areas))


def _check_data(name: str, i: int, d: Mapping[str, Any], folder: Path) -> None:
    kind = d.get("kind", "table")
    if kind == "table":
        _table(name, f"data item {i}", d)
    elif kind == "pupil-data":
        for key in ("title", "file", "measure", "by"):
            if not d.get(key):
                raise PackProblem(f"{name}: data item {i} (pupil data) needs '{key}'.")
        if not (folder / str(d["file"])).is_file():
            raise PackProblem(f"{name}: data item {i} names the file {d['file']}, which is not there.")
    else:
        raise PackProblem(f"{name}: data item {i} has kind '{kind}'; use 'table' or 'pupil-data'.")


def _table(name: str, where: str, d: Any) -> Table:
    if not isinstance(d, Mapping) or not d.get("title") or not isinstance(d.get("columns"), list) \
            or not isinstance(d.get("rows"), list):
        raise PackProblem(f"{name}: {where} needs 'title', 'columns' and 'rows'.")
    cols = tuple(str(c) for c in d["columns"])
    rows = d["rows"]
    if not all(isinstance(r, list) and len(r) == len(cols) for r in rows):
        raise PackProblem(f"{name}: every row of {where} must have {len(cols)} cells, one per column.")
    chart = d.get("chart")
    if chart is not None:
        ys = chart.get("y") if isinstance(chart, Mapping) else None
        if not isinstance(ys, list) or not all(y in cols for y in ys):
            raise PackProblem(f"{name}: the chart of {where} must name columns of its table under 'y'.")
    return Table(str(d["title"]), cols, tuple(tuple(r) for r in rows), chart, str(d.get("note") or ""))


_CACHE: dict[tuple[str, str], tuple[Table, ...]] = {}


def _tables_cached(pack: Pack) -> tuple[Table, ...]:
    key = (str(pack.folder), pack.id)
    if key not in _CACHE:
        _CACHE[key] = _build_tables(pack)
    return _CACHE[key]


def _build_tables(pack: Pack) -> tuple[Table, ...]:
    out = []
    for i, d in enumerate(pack.data, start=1):
        if d.get("kind", "table") == "table":
            out.append(_table(pack.id, f"data item {i}", d))
        else:
            out.append(_pupil_table(pack, d))
    return tuple(out)


def _tables(pack: Pack) -> tuple[Table, ...]:
    return _tables_cached(pack)


def _pupil_table(pack: Pack, d: Mapping[str, Any]) -> Table:
    """A pupil-data file summarised by group and data drop (means; groups under the suppression threshold hidden)."""
    from ...domain.pupil_data import load_pupil_table
    from ...domain.pupil_stats import summarise

    path = pack.folder / str(d["file"])
    table = load_pupil_table(path.read_bytes(), path.name)
    measure, by = str(d["measure"]), str(d["by"])
    df = table.df
    if d.get("filter"):
        col, _, val = str(d["filter"]).partition("=")
        df = df[df[col].astype(str) == val]
    stats = summarise(df, measure, by, "drop", list(table.drops), method="t")
    drops = list(table.drops)
    groups = list(dict.fromkeys(s.group for s in stats))
    decimals = int(d.get("decimals", 1))
    labels = {str(k): str(v) for k, v in (d.get("group_labels") or {}).items()}
    rows = []
    for g in groups:
        cells: list[Any] = [labels.get(str(g), str(g))]
        for dr in drops:
            s = next((s for s in stats if s.group == g and s.drop == dr), None)
            cells.append("hidden (small group)" if s is None or s.suppressed or s.mean is None
                         else round(float(s.mean), decimals))
        n = max((s.n for s in stats if s.group == g and not s.suppressed), default=None)
        cells.append(n if n is not None else "fewer than 10")
        rows.append(tuple(cells))
    label = str(d.get("label") or measure)
    columns = (str(d.get("by_label") or by),) + tuple(drops) + ("Pupils",)
    chart = {"kind": "line", "y": list(drops), "ylabel": label, "by_row": True}
    return Table(str(d["title"]), columns, tuple(rows), chart, str(d.get("note") or ""))


__all__ = ["Pack", "PackList", "PackProblem", "Table", "load_packs", "read_pack", "default_folders", "PROGRAMMES",
           "LEADERSHIP"]
