"""The app gallery: the page `npq-workbook run` opens (``notebooks/gallery.ipynb``), and the landing page of the
Binder and hub links.

One card per app and per course module, built from the registry (each task's ``apps`` in its task.yaml) and the
course's module map — nothing is listed by hand but the few pages that are not tasks. Each card has a thumbnail
(``notebooks/thumbnails/<notebook>.png``, made by ``scripts/make_thumbnails.py`` from the browser test's
screenshots and embedded in the page, so nothing is fetched from anywhere), what it evidences (criteria, content
areas), "Open as an app" and "Open in JupyterLab" links, and the candidate's progress where it is known. Cards are
grouped as the course is: start here; the courses and their modules; tasks by criterion; assessment tools. A search
box hides the cards that do not match (each card is its own widget, so typing sends no images again).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..catalogue import load_catalogue
from ..catalogue.module_map import load_module_map
from ..course import (COURSE_NAMES, chosen_qualification, load_module, module_ids, module_title, read_progress,
                      task_statuses)
from ..paths import notebooks_dir
from ..registry import all_tasks, task_spec
from ..store.workbook import Workbook
from ..widgets.autosave import connect_workbook
from ..widgets.common import esc, style

THUMBNAILS = "thumbnails"
LAB_URL_STANDALONE = "http://127.0.0.1:8888/lab/tree/"  # `npq-workbook lab` (its default port), root notebooks/
GALLERY_CSS = """
.npq-gallery .npq-gallery-cards { display: flex; flex-wrap: wrap; gap: 12px; }
.npq-gallery .npq-gallery-card { width: 340px; }
.npq-gallery .npq-gallery-card .npq-card { height: 100%; margin: 0; }
.npq-gallery .npq-gallery-card img { width: 320px; height: 180px; border: 1px solid #c6ced6; display: block; }
.npq-gallery .npq-gallery-noimg { width: 320px; height: 180px; border: 1px solid #c6ced6; background: #eef2f6;
                                  display: flex; align-items: center; justify-content: center; font-size: 20px; }
.npq-gallery .npq-gallery-links a { margin-right: 14px; font-weight: 600; }
.npq-gallery .npq-gallery-progress { font-weight: 600; }
"""


@dataclass(frozen=True)
class Card:
    notebook: str             # path under notebooks/, e.g. "apps/budget.ipynb"
    title: str
    text: str
    evidences: str = ""       # criteria / content areas, as shown
    task: str | None = None   # a task's progress is shown on its card
    module: str | None = None
    keywords: str = ""

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem

    def matches(self, query: str) -> bool:
        hay = f"{self.title} {self.text} {self.evidences} {self.keywords}".lower()
        return all(word in hay for word in query.lower().split())


@dataclass
class Section:
    title: str
    intro: str = ""
    cards: list[Card] = field(default_factory=list)


def _is_assessment_tool(task: Any, entry: dict) -> bool:
    return not task.criteria or bool(entry.get("model_answer")) or bool((entry.get("options") or {}).get("role"))


def sections() -> list[Section]:
    """The gallery's groups and cards, from the registry and the course (the browser test opens every card)."""
    cat = load_catalogue()
    start = Section("Start here", cards=[
        Card("00_start_here.ipynb", "Contents and your progress",
             "Choose your qualification and see per module what is done and per criterion what evidence exists."),
        Card("apps/which-npq.ipynb", "Which NPQ is for me?",
             "Your role or responsibility → the qualification, its hours and its assessment."),
        Card("apps/my-work.ipynb", "My work", "See what is saved; download all your work as one file, or load it."),
        Card("apps/feedback.ipynb", "Feedback", "Load the feedback file your facilitator sent you."),
    ])
    courses = []
    mm = load_module_map()
    for course_key, course_name in COURSE_NAMES.items():
        sec = Section(f"Course: {course_name}")
        for mid in module_ids():
            m = mm.get(mid)
            if m.course != course_key:
                continue
            only = "" if "NPQSL-legacy" in m.applies_to else " (NPQEL)"
            qual = "NPQSL-legacy" if not only else "NPQEL-legacy"
            sec.cards.append(Card(f"modules/{mid}.ipynb", f"Module {m.number}: {module_title(mid, qual)}{only}",
                                  "Outcomes, key ideas, a worked example, reflections and a knowledge check.",
                                  f"Criteria {', '.join(m.criteria)} · {'; '.join(m.content_areas)}",
                                  module=mid, keywords=f"{course_name} {' '.join(m.tasks)}"))
        courses.append(sec)
    by_criterion: dict[str, Section] = {}
    tools = Section("Assessment tools and facilitators", "For the case study, 360° rounds and running events.")
    for task in all_tasks():
        for entry in task_spec(task.id).get("apps", ()):
            card = Card(f"apps/{entry['notebook']}.ipynb", str(entry["title"]), str(entry.get("card", "")),
                        f"Criteria {', '.join(task.criteria)}" if task.criteria else "Reformed NPQ assessment",
                        task=task.id, keywords=task.id)
            if _is_assessment_tool(task, entry):
                tools.cards.append(card)
                continue
            cid = task.criteria[0]
            if cid not in by_criterion:
                by_criterion[cid] = Section(f"{cid} {cat.criterion(cid).text}")
            by_criterion[cid].cards.append(card)
    tools.cards.append(Card("apps/portfolio.ipynb", "Download portfolio",
                            "Your project account and supporting documents in one spreadsheet (formulas kept) and "
                            "one document, with a contents sheet.", "Criteria 1.1.1–6.1.3",
                            keywords="portfolio assessment legacy account supporting documents"))
    tools.cards.append(Card("apps/cohort.ipynb", "The room (for facilitators)",
                            "Load candidates' workbook files: the room's knowledge checks, tasks and progress, "
                            "exports, and feedback files.", keywords="cohort facilitator event feedback"))
    tasks = [by_criterion[c] for c in sorted(by_criterion, key=lambda c: tuple(int(p) for p in c.split(".")))]
    for sec in tasks:
        sec.intro = "Tasks by criterion"
    return [start, *courses, *tasks, tools]


def thumbnail_html(stem: str, title: str) -> str:
    path = notebooks_dir() / THUMBNAILS / f"{stem}.png"
    if path.is_file():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="A screenshot of {esc(title)}" width="320" height="180">'
    return f'<div class="npq-gallery-noimg" aria-hidden="true">{esc(title[:1])}</div>'


def _served_folder(request_path: str | None) -> tuple[str, str] | None:
    """(server prefix, folder of the gallery under the served root) from the page's own path, which Voila gives the
    kernel as SCRIPT_NAME; None outside Voila."""
    path = request_path if request_path is not None else os.environ.get("SCRIPT_NAME", "")
    base, marker, rendered = path.partition("/voila/render/")
    if not marker:
        return None
    return base, (rendered.rsplit("/", 1)[0] + "/" if "/" in rendered else "")


def tree_link(request_path: str | None = None) -> str:
    """Voila's plain file list of the gallery's folder (it stays reachable)."""
    where = _served_folder(request_path)
    return f"{where[0]}/voila/tree/{where[1]}" if where else "voila/tree"


def lab_link(notebook: str, request_path: str | None = None) -> str:
    """Where "Open in JupyterLab" goes. Voila as a Jupyter server extension (Binder, a hub) serves the repository
    from the server root, so JupyterLab is beside it on the same server; `npq-workbook run` serves notebooks/ alone,
    so the link is to `npq-workbook lab`'s usual address."""
    where = _served_folder(request_path)
    if where and where[1].startswith("notebooks/"):
        return f"{where[0]}/lab/tree/{where[1]}{notebook}"
    return LAB_URL_STANDALONE + notebook


class Gallery(w.VBox):
    def __init__(self, *, workbook: Workbook | None = None, voila: bool | None = None,
                 request_path: str | None = None):
        self.search = w.Text(placeholder="Search: a title, a criterion such as 5.1.3, a course…",
                             continuous_update=True, layout=w.Layout(width="460px"))
        self.search.add_class("npq-gallery-search")
        self.search.observe(lambda _c: self.filter(), "value")
        self.found = w.HTML()
        self.found.add_class("npq-gallery-found")
        self.cards: list[tuple[Card, w.HTML, w.HTML]] = []
        self.section_boxes: list[tuple[w.HTML, w.Box, list[Card]]] = []
        parts: list[w.Widget] = []
        for sec in sections():
            widgets = []
            for card in sec.cards:
                body = w.HTML(self._card_html(card, request_path))
                progress = w.HTML()
                progress.add_class("npq-gallery-progress")
                box = w.VBox([body, progress])
                box.add_class("npq-gallery-card")
                box.add_class(f"npq-card-{card.stem}")
                self.cards.append((card, box, progress))
                widgets.append(box)
            head = w.HTML(f"<h2>{esc(sec.title)}</h2>" + (f'<p class="npq-help">{esc(sec.intro)}</p>'
                                                            if sec.intro else ""))
            grid = w.Box(widgets)
            grid.add_class("npq-gallery-cards")
            self.section_boxes.append((head, grid, sec.cards))
            parts += [head, grid]
        super().__init__([
            style(), w.HTML(f"<style>{GALLERY_CSS}</style>", layout=w.Layout(height="0px", margin="0")),
            w.HTML("<h1>NPQ Workbook</h1><p>Apps and course modules for the National Professional Qualifications "
                   "in school leadership. Open a card as an app, or in JupyterLab. Everything here works offline. "
                   f'<a class="npq-gallery-tree" href="{esc(tree_link(request_path))}">All files</a></p>'),
            w.HTML('<div class="npq-field-label">Search the gallery</div>'), self.search, self.found, *parts,
        ])
        self.add_class("npq-app")
        self.add_class("npq-gallery")
        connect_workbook(self, self.show_progress, workbook=workbook, voila=voila)

    @staticmethod
    def _card_html(card: Card, request_path: str | None) -> str:
        evid = f'<p class="npq-help">{esc(card.evidences)}</p>' if card.evidences else ""
        return (f'<div class="npq-card">{thumbnail_html(card.stem, card.title)}<h3>{esc(card.title)}</h3>'
                f"<p>{esc(card.text)}</p>{evid}<p class='npq-gallery-links'>"
                f'<a class="npq-open-app" href="{esc(card.notebook)}">Open as an app</a>'
                f'<a class="npq-open-lab" href="{esc(lab_link(card.notebook, request_path))}" target="_blank" '
                'rel="noopener">Open in JupyterLab</a></p></div>')

    def filter(self) -> None:
        query = self.search.value.strip()
        shown = 0
        for card, box, _ in self.cards:
            visible = card.matches(query) if query else True
            box.layout.display = "" if visible else "none"
            shown += visible
        for head, grid, cards in self.section_boxes:
            any_shown = any(c.matches(query) for c in cards) if query else True
            head.layout.display = grid.layout.display = "" if any_shown else "none"
        self.found.value = ("" if not query else
                            f'<p role="status">{shown} of {len(self.cards)} cards match “{esc(query)}”.</p>')

    def show_progress(self, workbook: Workbook) -> None:
        """The candidate's progress on each card, where the workbook holds any (never an error on the page)."""
        try:
            statuses = task_statuses(workbook)
            modules = {p.module: p for p in read_progress(workbook, chosen_qualification(workbook))}
        except Exception:  # noqa: BLE001 - progress informs; it never stops the gallery
            return
        for card, _, progress in self.cards:
            if card.task and card.task in statuses:
                progress.value = ("✔ Passed" if statuses[card.task] == "pass" else "◐ Checked — not yet passing")
            elif card.module and card.module in modules:
                done, total = modules[card.module].activities
                if done:
                    progress.value = f"{done} of {total} activities done"
