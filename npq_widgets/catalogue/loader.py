"""Read the catalogue's YAML data files into :class:`~npq_widgets.catalogue.model.Catalogue`, checking them as it goes.

A malformed or inconsistent data file raises :class:`CatalogueError` naming the file, the field and the problem.
Besides types, the loader checks the facts that tie files together: ids are unique, every seed id is a known source,
criteria point at real content areas and parts, component hours never exceed the seed's total (and add up to it when
all are known), each stage-hours column adds up to its total, every role placement names a real qualification at the
right scope, and every corrected text has exactly one matching entry in ``errata.yaml`` (and vice versa).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from .model import (
    SCOPES,
    Assessment,
    AssessmentPart,
    AssessmentTask,
    Behaviour,
    BehaviourScale,
    CaseStudyRules,
    Catalogue,
    Component,
    ContentArea,
    Course,
    Criterion,
    Duration,
    Erratum,
    Event,
    LearnHowTo,
    Module,
    Passage,
    Qualification,
    Quote,
    ReformedContentArea,
    Role,
    RolePlacement,
    Scope,
    Source,
    StageHours,
    VerbatimText,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

_TEXT_KEYS = {"text", "seed_text", "erratum", "source"}


class CatalogueError(ValueError):
    """A catalogue data file is missing, is not valid YAML, or does not match what the catalogue expects."""


class _Ctx:
    """Shared state while loading: the data folder, known seeds, and what every text field claims."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.source_ids: set[str] = set()
        self.corrections: list[tuple[str, str, str, str, str, str]] = []  # erratum, seed, file, path, seed_text, text
        self.verbatim: list[VerbatimText] = []

    def read(self, name: str) -> "_Node":
        path = self.data_dir / name
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CatalogueError(f"Catalogue data file {name} is missing from {self.data_dir}.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(f"Cannot read catalogue data file {path}: {exc}") from None
        import yaml  # imported here so that importing the package stays cheap

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            value = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{name} is not valid YAML: {exc}") from None
        node = _Node(value, name, "", self)
        if not isinstance(value, dict):
            raise node.error(f"expected a mapping at the top level, found {_kind(value)}")
        return node


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a whole number",
            float: "a decimal number"}.get(type(value), type(value).__name__)


class _Node:
    """A value in a data file plus where it is, so that every error can say exactly which field is wrong."""

    __slots__ = ("value", "file", "path", "ctx")

    def __init__(self, value: Any, file: str, path: str, ctx: _Ctx):
        self.value, self.file, self.path, self.ctx = value, file, path, ctx

    def error(self, message: str) -> CatalogueError:
        return CatalogueError(f"{self.file}: {self.path or '(top level)'}: {message}")

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    # -- mappings
    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def __getitem__(self, key: str) -> "_Node":
        if not isinstance(self.value, dict):
            raise self.error(f"expected a mapping with '{key}', found {_kind(self.value)}")
        if key not in self.value:
            raise self.error(f"missing required field '{key}'")
        return _Node(self.value[key], self.file, self._at(key), self.ctx)

    def opt(self, key: str) -> "_Node | None":
        if not isinstance(self.value, dict):
            raise self.error(f"expected a mapping, found {_kind(self.value)}")
        if self.value.get(key) is None:
            return None
        return self[key]

    # -- scalars
    def str(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.error(f"expected some text, found {_kind(self.value)}")
        if self.value != self.value.strip():
            raise self.error("text has leading or trailing whitespace")
        return self.value

    def int(self, *, minimum: int = 0) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error(f"expected a whole number, found {_kind(self.value)} {self.value!r}")
        if self.value < minimum:
            raise self.error(f"expected a whole number of at least {minimum}, found {self.value}")
        return self.value

    def bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected true or false, found {_kind(self.value)}")
        return self.value

    def opt_str(self, key: str) -> str | None:
        node = self.opt(key)
        return None if node is None else node.str()

    def opt_int(self, key: str, *, minimum: int = 0) -> int | None:
        node = self.opt(key)
        return None if node is None else node.int(minimum=minimum)

    def choice(self, options: tuple[str, ...] | set[str]) -> str:
        value = self.str()
        if value not in options:
            raise self.error(f"{value!r} is not one of {', '.join(sorted(repr(o) for o in options))}")
        return value

    def seed_id(self) -> str:
        value = self.value
        if not isinstance(value, str):
            raise self.error(f"expected a source id in quotes (e.g. \"001\"), found {_kind(value)} {value!r}")
        if self.ctx.source_ids and value not in self.ctx.source_ids:
            raise self.error(f"unknown source {value!r}; sources.yaml lists {', '.join(sorted(self.ctx.source_ids))}")
        return value

    # -- lists
    def items(self, key_field: str | None = None, *, allow_empty: bool = False) -> Iterator["_Node"]:
        """The entries of a list; paths name them by ``key_field`` ([name]) or by position ([1], [2], ...)."""
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, found {_kind(self.value)}")
        if not self.value and not allow_empty:
            raise self.error("expected a non-empty list")
        for i, item in enumerate(self.value, start=1):
            label = str(i)
            if key_field and isinstance(item, dict) and isinstance(item.get(key_field), str):
                label = item[key_field]
            yield _Node(item, self.file, f"{self.path}[{label}]", self.ctx)

    def str_list(self, *, allow_empty: bool = False) -> tuple[str, ...]:
        return tuple(n.str() for n in self.items(allow_empty=allow_empty))

    # -- quoted text
    def text(self, seed: str) -> tuple[str, str | None, str]:
        """A quoted text: ``(display text, seed wording if corrected else None, seed id)``.

        A plain string is verbatim from ``seed``. A mapping ``{text, seed_text, erratum, source}`` corrects the seed
        (``seed_text`` + ``erratum``) and/or quotes another seed (``source``).
        """
        value = self.value
        if isinstance(value, str):
            text, seed_text = self.str(), None
        elif isinstance(value, dict):
            unknown = set(value) - _TEXT_KEYS
            if unknown:
                raise self.error(f"unexpected field(s) {', '.join(sorted(unknown))}; a quoted text may have "
                                 f"{', '.join(sorted(_TEXT_KEYS))}")
            text = self["text"].str()
            seed_text = self.opt_str("seed_text")
            if "source" in value:
                seed = self["source"].seed_id()
            erratum = self.opt_str("erratum")
            if seed_text is not None:
                if erratum is None:
                    raise self.error("a corrected text (with seed_text) must name its entry in errata.yaml (erratum)")
                if seed_text == text:
                    raise self.error("seed_text is the same as text: drop seed_text and erratum")
                self.ctx.corrections.append((erratum, seed, self.file, self.path, seed_text, text))
            elif erratum is not None:
                raise self.error("erratum given without seed_text")
        else:
            raise self.error(f"expected some text, found {_kind(value)}")
        self.ctx.verbatim.append(VerbatimText(seed=seed, data_file=self.file, path=self.path,
                                              text=seed_text if seed_text is not None else text))
        return text, seed_text, seed

    def quoted(self, seed: str) -> str:
        """A text that must be verbatim (no correction allowed)."""
        text, seed_text, _ = self.text(seed)
        if seed_text is not None:
            raise self.error("this field must be quoted exactly; it cannot carry a correction")
        return text

    def passage(self, seed: str) -> Passage:
        text, seed_text, src = self.text(seed)
        return Passage(text=text, source=src, seed_text=seed_text)

    def passages(self, seed: str) -> tuple[Passage, ...]:
        return tuple(n.passage(seed) for n in self.items())


def _opt_passages(node: _Node, key: str, seed: str) -> tuple[Passage, ...]:
    child = node.opt(key)
    return () if child is None else child.passages(seed)


def _opt_passage(node: _Node, key: str, seed: str) -> Passage | None:
    child = node.opt(key)
    return None if child is None else child.passage(seed)


def _unique(nodes_and_keys: list[tuple[_Node, str]], what: str) -> None:
    seen: set[str] = set()
    for node, key in nodes_and_keys:
        if key in seen:
            raise node.error(f"duplicate {what} {key!r}")
        seen.add(key)


# --- the files ------------------------------------------------------------------------------------------------------
def _load_sources(ctx: _Ctx) -> tuple[int, tuple[Source, ...]]:
    root = ctx.read("sources.yaml")
    version = root["schema_version"].int(minimum=1)
    sources = []
    for n in root["sources"].items("id"):
        sid = n["id"].str()
        kind = n["kind"].choice({"seed", "note"})
        year = n.opt_int("year", minimum=1900)
        sources.append((n, Source(id=sid, kind=kind, file=n["file"].str(), title=n["title"].str(), year=year)))
    _unique([(n, s.id) for n, s in sources], "source id")
    ctx.source_ids = {s.id for _, s in sources}
    return version, tuple(s for _, s in sources)


def _load_content_areas(ctx: _Ctx) -> tuple[ContentArea, ...]:
    root = ctx.read("content_areas.yaml")
    seed = root["source"].seed_id()
    areas = []
    for n in root["content_areas"].items("name"):
        rows = []
        for r in n["npqml"].items("learn_how_to"):
            rows.append(LearnHowTo(
                text=r["learn_how_to"].quoted(seed),
                learn_about=tuple(x.quoted(seed) for x in r["learn_about"].items()),
                criteria=r["criteria"].str_list(allow_empty=True),
            ))
        areas.append((n, ContentArea(number=n["number"].int(minimum=1), name=n["name"].quoted(seed),
                                     part=n["part"].choice({"A", "B"}), npqml=tuple(rows), source=seed)))
    _unique([(n, a.name) for n, a in areas], "content area")
    _unique([(n, str(a.number)) for n, a in areas], "content area number")
    return tuple(a for _, a in areas)


def _load_criteria(ctx: _Ctx, areas: tuple[ContentArea, ...]) -> tuple[str, tuple[str, ...], tuple[Criterion, ...]]:
    root = ctx.read("criteria.yaml")
    seed = root["source"].seed_id()
    qualification = root["qualification"].str()
    documents = tuple(n.quoted(seed) for n in root["supporting_documents"].items())
    by_name = {a.name: a for a in areas}
    criteria = []
    for n in root["criteria"].items("id"):
        cid = n["id"].str()
        area_name = n["content_area"].choice(set(by_name))
        area = by_name[area_name]
        part = n["part"].choice({"A", "B"})
        if part != area.part:
            raise n["part"].error(f"criterion {cid} is in {area_name}, which content_areas.yaml puts in part "
                                  f"{area.part}")
        if not cid.startswith(f"{area.number}."):
            raise n["id"].error(f"criterion {cid} does not start with its content area's number ({area.number}.)")
        doc_node = n.opt("supporting_document")
        doc = None if doc_node is None else doc_node.choice(set(documents))
        criteria.append((n, Criterion(id=cid, text=n["text"].quoted(seed), content_area=area_name, part=part,
                                      supporting_document=doc, source=seed)))
    _unique([(n, c.id) for n, c in criteria], "criterion id")
    known = {c.id for _, c in criteria}
    for a in areas:
        for row in a.npqml:
            for cid in row.criteria:
                if cid not in known:
                    raise CatalogueError(f"content_areas.yaml: {a.name}: criterion {cid!r} is not in criteria.yaml")
    return qualification, documents, tuple(c for _, c in criteria)


def _load_behaviours(ctx: _Ctx) -> tuple[tuple[Behaviour, ...], BehaviourScale]:
    root = ctx.read("behaviours.yaml")
    seed = root["source"].seed_id()
    behaviours = []
    for n in root["behaviours"].items("name"):
        description, seed_text, src = n["description"].text(seed)
        behaviours.append((n, Behaviour(name=n["name"].quoted(seed), description=description, source=src,
                                        seed_text=seed_text)))
    _unique([(n, b.name) for n, b in behaviours], "behaviour")
    s = root["rating_scale"]
    points = tuple(p.int(minimum=1) for p in s["points"].items())
    high, low = s["high"].int(minimum=1), s["low"].int(minimum=1)
    if list(points) != sorted(set(points)) or high not in points or low not in points:
        raise s.error("points must be distinct and ascending, and include the high and low points")
    scale = BehaviourScale(
        form=s["form"].quoted(seed), heading=s["heading"].quoted(seed), points=points, high=high, low=low,
        high_label=s["high_label"].quoted(seed), low_label=s["low_label"].quoted(seed),
        comment_label=s["comment_label"].quoted(seed),
        form_fields=tuple(f.quoted(seed) for f in s["form_fields"].items()), source=seed,
    )
    return tuple(b for _, b in behaviours), scale


def _components(node: _Node, seed: str) -> tuple[Component, ...]:
    out = []
    for n in node.items("name"):
        overview, seed_text, src = n["overview"].text(seed)
        hours_node = n["hours"]
        hours = None if hours_node.value is None else hours_node.int()
        out.append((n, Component(name=n["name"].quoted(seed), overview=overview, hours=hours, source=src,
                                 seed_text=seed_text, note=n.opt_str("note"))))
    _unique([(n, c.name) for n, c in out], "component")
    return tuple(c for _, c in out)


def _courses(node: _Node, seed: str) -> tuple[Course, ...]:
    courses = []
    for cn in node.items("title"):
        title = cn["title"].quoted(seed)
        modules = []
        for number, mn in enumerate(cn["modules"].items(), start=1):
            text, seed_text, src = mn.text(seed)
            modules.append(Module(number=number, title=text, seed_text=seed_text, course=title, source=src))
        courses.append((cn, Course(title=title, modules=tuple(modules), source=seed)))
    _unique([(n, c.title) for n, c in courses], "course")
    return tuple(c for _, c in courses)


def _events(node: _Node, seed: str) -> tuple[Event, ...]:
    events = []
    for en in node.items("title"):
        items, seed_items = [], []
        for item in en["items"].items():
            text, seed_text, _ = item.text(seed)
            items.append(text)
            seed_items.append(seed_text if seed_text is not None else text)
        split = en.opt("split_from_cell")
        events.append((en, Event(title=en["title"].quoted(seed), number=en["number"].int(minimum=1),
                                 items=tuple(items), seed_items=tuple(seed_items), source=seed,
                                 split_from_cell=False if split is None else split.bool())))
    _unique([(n, e.title) for n, e in events], "event")
    _unique([(n, str(e.number)) for n, e in events], "event number")
    return tuple(e for _, e in events)


def _assessment(node: _Node, seed: str, area_names: set[str]) -> Assessment:
    tasks = []
    tasks_node = node.opt("tasks")
    if tasks_node is not None:
        for tn in tasks_node.items("name"):
            text, seed_text, src = tn["text"].text(seed)
            tasks.append(AssessmentTask(name=tn["name"].quoted(seed), text=text, source=src, seed_text=seed_text))
    parts = []
    parts_node = node.opt("parts")
    if parts_node is not None:
        for pn in parts_node.items("part"):
            names = tuple(a.choice(area_names) for a in pn["content_areas"].items())
            parts.append(AssessmentPart(part=pn["part"].choice({"A", "B"}), aim=pn["aim"].passage(seed),
                                        content_areas=names))
    heading = node.opt("achievement_heading")
    return Assessment(
        kind="tasks" if tasks else "project",
        source=seed,
        title=None if node.opt("title") is None else node["title"].quoted(seed),
        word_limit=node.opt_int("word_limit", minimum=1),
        min_duration_terms=node.opt_int("min_duration_terms", minimum=1),
        completion_months=node.opt_int("completion_months", minimum=1),
        description=_opt_passages(node, "description", seed),
        tasks=tuple(tasks),
        parts=tuple(parts),
        moderation=_opt_passage(node, "moderation", seed),
        achievement_heading=None if heading is None else heading.quoted(seed),
        achievement_requirements=_opt_passages(node, "achievement_requirements", seed),
        task_description=_opt_passage(node, "task_description", seed),
        participant_requirements=_opt_passages(node, "participant_requirements", seed),
        provider_requirements=_opt_passages(node, "provider_requirements", seed),
        footnotes=_opt_passages(node, "footnotes", seed),
    )


def _legacy(ctx: _Ctx, sources: dict[str, Source], areas: tuple[ContentArea, ...], criteria_for: str,
            criteria: tuple[Criterion, ...], behaviours: tuple[Behaviour, ...]) -> list[tuple[_Node, Qualification]]:
    root = ctx.read("framework.yaml")
    seed = root["source"].seed_id()
    area_names = {a.name for a in areas}
    out = []
    for n in root["qualifications"].items("code"):
        code = n["code"].str()
        qid = f"{code}-legacy"
        fields: dict[str, Any] = dict(
            id=qid, code=code, route="legacy", name=n["name"].quoted(seed), level=n["level"].quoted(seed),
            scope=n["scope"].choice(SCOPES), target_audience=n["target_audience"].quoted(seed),
        )
        used = [seed]
        spec_name = n.opt_str("spec")
        if spec_name is not None:
            spec = ctx.read(spec_name)
            spec_seed = spec["source"].seed_id()
            used.append(spec_seed)
            if spec["code"].str() != code:
                raise spec["code"].error(f"framework.yaml says this file describes {code}")
            components = _components(spec["components"], spec_seed)
            total = spec["total_hours"].int(minimum=1)
            known = [c.hours for c in components if c.hours is not None]
            if sum(known) > total or (len(known) == len(components) and sum(known) != total):
                raise spec["total_hours"].error(
                    f"the components' hours ({' + '.join(map(str, known))} = {sum(known)}) do not fit the total "
                    f"{total}" + ("" if len(known) == len(components) else " (some hours are unknown)"))
            covers = set(spec["covers"].str_list())
            if not covers <= {"content_areas", "behaviours"}:
                raise spec["covers"].error("may list only content_areas and behaviours")
            assessment = _assessment(spec["assessment"], spec_seed, area_names)
            used += [p.source for p in (assessment.task_description, *assessment.participant_requirements)
                     if p is not None]
            fields.update(
                about=_opt_passages(spec, "about", spec_seed),
                entry_requirements=_opt_passages(spec, "entry_requirements", spec_seed),
                benefits_for_candidates=_opt_passages(spec, "benefits_for_candidates", spec_seed),
                benefits_for_schools=_opt_passages(spec, "benefits_for_schools", spec_seed),
                components=components, total_hours=total, total_hours_source=spec_seed,
                content_summary=_opt_passage(spec, "content_summary", spec_seed),
                content_areas=tuple(a.name for a in areas) if "content_areas" in covers else (),
                behaviours=behaviours if "behaviours" in covers else (),
                courses=_courses(spec["courses"], spec_seed),
                courses_note=_opt_passage(spec, "courses_note", spec_seed),
                events_note=_opt_passage(spec, "events_note", spec_seed),
                events=_events(spec["events"], spec_seed),
                assessment=assessment,
                whats_next=_opt_passages(spec, "whats_next", spec_seed),
                masters_accreditation=_opt_passages(spec, "masters_accreditation", spec_seed),
            )
        if qid == criteria_for:
            fields["criteria"] = criteria
            used.append(criteria[0].source if criteria else seed)
        fields["sources"] = tuple(sources[s] for s in sorted(set(used)))
        out.append((n, Qualification(**fields)))
    return out


def _reformed(ctx: _Ctx, sources: dict[str, Source]):
    root = ctx.read("reformed.yaml")
    seed = root["source"].seed_id()

    # groups and programmes
    group_of: dict[str, str] = {}
    for g in root["groups"].items("name"):
        name = g["name"].quoted(seed)
        for p in g["programmes"].items():
            group_of[p.str()] = name
    programmes = list(root["programmes"].items("code"))
    _unique([(p, p["code"].str()) for p in programmes], "programme")
    codes = [p["code"].str() for p in programmes]
    if set(codes) != set(group_of):
        raise root["groups"].error(f"groups list {sorted(group_of)} but programmes are {sorted(codes)}")

    # content areas
    ca = root["content_areas"]
    ca["heading"].quoted(seed)  # checked as a quotation; not needed in the model
    ca_for = {x.choice(set(codes)) for x in ca["applies_to"].items()}
    reformed_areas = tuple(ReformedContentArea(number=i, name=a.quoted(seed), source=seed)
                           for i, a in enumerate(ca["areas"].items(), start=1))
    _unique([(ca, a.name) for a in reformed_areas], "content area")

    # stage table: expand merged cells column by column
    table = root["stage_table"]
    columns: dict[str, tuple[str, ...]] = {}
    for c in table["columns"].items("header"):
        header = c["header"].quoted(seed)
        columns[header] = tuple(p.choice(set(codes)) for p in c["programmes"].items())
    covered = [p for ps in columns.values() for p in ps]
    if sorted(covered) != sorted(codes):
        raise table["columns"].error("every programme must be in exactly one column")

    def spans_of(cell: _Node) -> tuple[str, ...]:
        spans = tuple(s.choice(set(columns)) for s in cell["spans"].items())
        if len(set(spans)) != len(spans):
            raise cell["spans"].error("a column is named twice")
        return spans

    def merged_note(text: str, spans: tuple[str, ...]) -> str | None:
        if len(spans) < 2:
            return None
        return f"Read from one seed cell ({text!r}) merged across {', '.join(spans)}."

    def check_cover(row: _Node, cells: list[tuple[_Node, tuple[str, ...]]]) -> None:
        named = [c for _, spans in cells for c in spans]
        if sorted(named) != sorted(columns):
            raise row.error(f"the cells' spans must cover each column exactly once ({', '.join(columns)}); "
                            f"found {', '.join(named) or 'none'}")

    durations: dict[str, Duration] = {}
    dcells = [(d, spans_of(d)) for d in table["duration"].items()]
    check_cover(table["duration"], dcells)
    for d, spans in dcells:
        text = d["seed_text"].quoted(seed)
        dur = Duration(programme_months=d["programme_months"].int(minimum=1),
                       summative_months=d["summative_months"].int(minimum=0), seed_text=text, source=seed,
                       merged_cell=len(spans) > 1, spans=spans, note=merged_note(text, spans))
        for col in spans:
            durations[col] = dur

    rows: dict[str, list[StageHours]] = {col: [] for col in columns}
    for r in table["rows"].items("activity"):
        stage = r["stage"].quoted(seed)
        activity_node = r.opt("activity")
        activity = None if activity_node is None else activity_node.quoted(seed)
        cells = [(c, spans_of(c)) for c in r["cells"].items()]
        check_cover(r, cells)
        for c, spans in cells:
            text = c["seed_text"].quoted(seed)
            row = StageHours(stage=stage, activity=activity, hours=c["hours"].int(), seed_text=text, source=seed,
                             days=c.opt_int("days", minimum=1), merged_cell=len(spans) > 1, spans=spans,
                             note=merged_note(text, spans))
            for col in spans:
                rows[col].append(row)
    summ = table["summative"]
    summ["stage"].quoted(seed)  # checked as a quotation
    summ_text = summ["seed_text"].quoted(seed)
    summ_spans = spans_of(summ)
    if sorted(summ_spans) != sorted(columns):
        raise summ["spans"].error("the summative cell must span every column")
    totals_node = table["totals"]
    totals: dict[str, int] = {}
    for col in columns:
        total = totals_node[col].int(minimum=1)
        got = sum(r.hours for r in rows[col])
        if got != total:
            raise totals_node[col].error(f"the rows for {col} add up to "
                                         f"{' + '.join(str(r.hours) for r in rows[col])} = {got}, not {total}")
        totals[col] = total

    # case study
    cs = root["case_study"]
    wl = cs["word_limit"]
    alt = wl["alternative"]
    alt_limits = alt["limits"]
    if not isinstance(alt_limits.value, dict) or set(alt_limits.value) != set(codes):
        raise alt_limits.error(f"expected a word limit for each of {', '.join(codes)}")
    case_study = CaseStudyRules(
        heading=cs["heading"].quoted(seed),
        applies_to=tuple(x.choice(set(codes)) for x in cs["applies_to"].items()),
        summary=cs["summary"].passage(seed),
        requirement=cs["requirement"].passage(seed),
        parts=cs["parts"].passages(seed),
        window=cs["window"].passage(seed),
        window_days=cs["window_days"].int(minimum=1),
        engagement=cs["engagement"].passage(seed),
        engagement_percent=cs["engagement_percent"].int(minimum=1),
        default_word_limit=wl["default"].int(minimum=1),
        summative_cell=summ_text,
        alternative_word_limits=tuple((c, alt_limits[c].int(minimum=1)) for c in codes),
        alternative_note=alt["note"].str(),
        alternative_source=alt["source"].seed_id(),
        source=seed,
        reformed_codes=tuple(codes),
    )

    column_of = {p: col for col, ps in columns.items() for p in ps}
    area_names = tuple(a.name for a in reformed_areas)
    quals = []
    for p in programmes:
        code = p["code"].str()
        col = column_of[code]
        group = p["group"].quoted(seed)
        if group != group_of[code]:
            raise p["group"].error(f"groups puts {code} in {group_of[code]!r}")
        who = p.opt("who_can_apply")
        in_case_study = code in case_study.applies_to
        assessment = Assessment(
            kind="case study", source=seed, title=summ_text, word_limit=case_study.default_word_limit,
            description=(case_study.summary,) if in_case_study else (),
            achievement_requirements=(case_study.engagement,) if in_case_study else (),
            case_study=case_study if in_case_study else None,
        )
        quals.append((p, Qualification(
            id=f"{code}-reformed", code=code, route="reformed", name=p["name"].quoted(seed),
            short_name=p["short_name"].quoted(seed), group=group, scope=p["scope"].choice(SCOPES),
            target_audience=None if who is None else who.quoted(seed),
            content_areas=area_names if code in ca_for else (),
            stage_hours=tuple(rows[col]), total_hours=totals[col], total_hours_source=seed,
            duration=durations[col], assessment=assessment, sources=(sources[seed],),
        )))
    changes = root["what_has_changed"].passages(seed)
    return quals, reformed_areas, case_study, changes


def _load_roles(ctx: _Ctx, quals: dict[str, Qualification]) -> tuple[tuple[Scope, ...], tuple[Role, ...]]:
    root = ctx.read("roles.yaml")

    def quotes(node: _Node) -> tuple[Quote, ...]:
        out = []
        for q in node.items():
            seed = q["seed"].seed_id()
            out.append(Quote(seed=seed, text=q["text"].quoted(seed)))
        return tuple(out)

    def qual_ids(node: _Node, route: str) -> tuple[str, ...]:
        ids = []
        for n in node.items():
            qid = n.choice(set(quals))
            if quals[qid].route != route:
                raise n.error(f"{qid} is not a {route} qualification")
            ids.append(qid)
        return tuple(ids)

    scopes = []
    for s in root["scopes"].items("id"):
        sid = s["id"].choice(SCOPES)
        scope = Scope(id=sid, level=s["level"].str(), legacy=qual_ids(s["legacy"], "legacy"),
                      reformed=qual_ids(s["reformed"], "reformed"), quotes=quotes(s["quotes"]))
        for qid in (*scope.legacy, *scope.reformed):
            if quals[qid].scope != sid:
                raise s.error(f"{qid} has scope {quals[qid].scope!r}, not {sid!r}")
        legacy_levels = {quals[q].level for q in scope.legacy}
        if legacy_levels != {scope.level}:
            raise s["level"].error(f"the legacy qualifications' level is {', '.join(map(repr, legacy_levels))}")
        scopes.append((s, scope))
    _unique([(n, s.id) for n, s in scopes], "scope")
    if {s.id for _, s in scopes} != set(SCOPES):
        raise root["scopes"].error(f"expected exactly the scopes {', '.join(SCOPES)}")

    roles = []
    for r in root["roles"].items("id"):
        placements = []
        for p in r["placements"].items("qualification"):
            qid = p["qualification"].choice(set(quals))
            scope = p["scope"].choice(SCOPES)
            if quals[qid].scope != scope:
                raise p["scope"].error(f"{qid} is at scope {quals[qid].scope!r}")
            placements.append(RolePlacement(qualification=qid, scope=scope, quotes=quotes(p["quotes"])))
        seed_names = tuple(n.str() for n in r["seed_names"].items())
        for name_node, name in zip(r["seed_names"].items(), seed_names):
            if not any(name in q.text for pl in placements for q in pl.quotes):
                raise name_node.error(f"{name!r} does not occur in any of the role's quotes")
        roles.append((r, Role(id=r["id"].str(), name=r["name"].str(), seed_names=seed_names,
                              placements=tuple(placements))))
    _unique([(n, r.id) for n, r in roles], "role id")
    return tuple(s for _, s in scopes), tuple(r for _, r in roles)


def _load_errata(ctx: _Ctx) -> tuple[Erratum, ...]:
    root = ctx.read("errata.yaml")
    errata = []
    for n in root["errata"].items("id"):
        seed_text, text = n["seed_text"].str(), n["text"].str()
        changes = []
        for c in n["changes"].items():
            a, b = c["from"].str(), c["to"].str()
            if a not in seed_text:
                raise c["from"].error(f"{a!r} does not occur in seed_text")
            if b not in text:
                raise c["to"].error(f"{b!r} does not occur in text")
            changes.append((a, b))
        errata.append((n, Erratum(id=n["id"].str(), seed=n["seed"].seed_id(), data_file=n["data_file"].str(),
                                  path=n["path"].str(), seed_text=seed_text, text=text, changes=tuple(changes),
                                  reason=n["reason"].str())))
    _unique([(n, e.id) for n, e in errata], "erratum id")

    by_id = {e.id: (n, e) for n, e in errata}
    used: set[str] = set()
    for erratum_id, seed, file, path, seed_text, text in ctx.corrections:
        where = f"{file}: {path}"
        if erratum_id not in by_id:
            raise CatalogueError(f"{where}: corrected text names erratum {erratum_id!r}, which errata.yaml lacks")
        if erratum_id in used:
            raise CatalogueError(f"{where}: erratum {erratum_id} is used by more than one field")
        used.add(erratum_id)
        node, e = by_id[erratum_id]
        expected = (e.seed, e.data_file, e.path, e.seed_text, e.text)
        actual = (seed, file, path, seed_text, text)
        for label, want, got in zip(("seed", "data_file", "path", "seed_text", "text"), expected, actual):
            if want != got:
                raise node.error(f"{label} is {want!r} but {where} has {got!r}")
    unused = [e.id for _, e in errata if e.id not in used]
    if unused:
        raise root["errata"].error(f"entries {', '.join(unused)} match no corrected field in the data files")
    return tuple(e for _, e in errata)


def load(data_dir: Path | str | None = None) -> Catalogue:
    """Read and check every data file (uncached; ``load_catalogue`` caches)."""
    ctx = _Ctx(Path(data_dir) if data_dir is not None else DATA_DIR)
    if not ctx.data_dir.is_dir():
        raise CatalogueError(f"The catalogue data folder {ctx.data_dir} does not exist.")
    version, sources = _load_sources(ctx)
    source_map = {s.id: s for s in sources}
    areas = _load_content_areas(ctx)
    criteria_for, documents, criteria = _load_criteria(ctx, areas)
    behaviours, scale = _load_behaviours(ctx)
    legacy = _legacy(ctx, source_map, areas, criteria_for, criteria, behaviours)
    reformed, reformed_areas, case_study, changes = _reformed(ctx, source_map)
    pairs = legacy + reformed
    _unique([(n, q.id) for n, q in pairs], "qualification id")
    quals = {q.id: q for _, q in pairs}
    if criteria_for not in quals:
        raise CatalogueError(f"criteria.yaml: qualification: {criteria_for!r} is not a qualification id")
    scopes, roles = _load_roles(ctx, quals)
    errata = _load_errata(ctx)
    return Catalogue(
        schema_version=version, sources=sources, qualifications=tuple(q for _, q in pairs), scopes=scopes,
        roles=roles, legacy_content_areas=areas, reformed_content_areas=reformed_areas, supporting_documents=documents,
        behaviours=behaviours, behaviour_scale=scale, case_study=case_study, what_has_changed=changes,
        errata=errata, verbatim_texts=tuple(ctx.verbatim), data_dir=str(ctx.data_dir),
    )
