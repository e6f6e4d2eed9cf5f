"""exercises/case-study/packs/README.md, the pack format for a provider's content author, cannot drift from the
parser: its complete example loads and appears in the app, and every key it documents is one packs.py reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from npq_widgets.catalogue import load_catalogue
from npq_widgets.paths import exercises_dir
from npq_widgets.tasks.case_study import packs as packs_module
from npq_widgets.tasks.case_study.packs import KNOWN, REQUIRED, ENV, load_packs, read_pack

README = exercises_dir() / "case-study" / "packs" / "README.md"
TEXT = README.read_text(encoding="utf-8")


def _section(heading: str) -> str:
    """The text under a markdown heading (any level), up to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+) {re.escape(heading)}\n", TEXT, re.M)
    assert m, f"README has no heading '{heading}'"
    level = len(m.group(1))
    rest = TEXT[m.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def _example() -> str:
    blocks = re.findall(r"^```yaml\n(.*?)^```", _section("A complete example"), re.S | re.M)
    assert len(blocks) == 1, "the example section should hold exactly one yaml block"
    return blocks[0]


def _key_table(heading: str) -> dict[str, str]:
    """The first table under ``heading``: documented key -> its 'Required?' cell."""
    table = re.search(r"^\|.*?(?=^[^|])", _section(heading), re.M | re.S).group(0)
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", table, re.M)
    assert rows, f"no key table under '{heading}'"
    return {k: req.strip() for k, req in rows}


def _strings_in_packs_py() -> set[str]:
    """Every string literal in packs.py and charts.py (which draws a table's ``chart``)."""
    out: set[str] = set()
    for name in ("packs.py", "charts.py"):
        tree = ast.parse(Path(packs_module.__file__).with_name(name).read_text(encoding="utf-8"))
        out |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return out


def test_the_readme_example_loads_from_a_providers_folder_and_appears_in_the_app(tmp_path, monkeypatch):
    from npq_widgets.apps import task_app

    folder = tmp_path / "provider-packs"
    folder.mkdir()
    (folder / "example.yaml").write_text(_example(), encoding="utf-8")
    monkeypatch.setenv(ENV, str(folder))
    listed = load_packs()
    assert listed.problems == ()
    pack = listed.get("example-phonics-tas")
    assert pack.folder == folder and pack.programme == "NPQLTD" and len(listed.packs) == 7

    view = task_app("case-study")
    assert ("NPQLTD: " + pack.title, pack.id) in view.pack.options
    assert view.pack_problems.value == ""
    view.pack.value = pack.id
    page = view.pack_view.value
    assert pack.title in page and "could not be shown" not in page
    assert "Synthetic practice case study" in page and "<img" in page  # its table's chart is drawn
    assert "2. Teaching, 6. Professional Development, 8. Implementation" in page
    assert "Facilitator note" not in page and view.show_facilitator is None  # a candidate's page has no note

    from npq_widgets.hosting import FACILITATOR_ENV

    monkeypatch.setenv(FACILITATOR_ENV, "1")  # npq-workbook run --facilitator
    facilitators = task_app("case-study").view
    facilitators.pack.value = pack.id
    assert "catch-up results fell from 48% to 41%" not in facilitators.pack_view.value
    facilitators.show_facilitator.value = True
    assert "catch-up results fell from 48% to 41%" in facilitators.pack_view.value


def test_the_example_uses_every_main_key_and_a_misspelt_one_is_reported(tmp_path):
    raw = yaml.safe_load(_example())
    assert set(raw) == KNOWN
    broken = _example().replace("\nvoices:", "\nvoice:")
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    listed = load_packs((tmp_path,))
    assert listed.packs == () and listed.problems == ("broken.yaml is missing voices.",)


def test_every_documented_key_is_one_the_parser_reads():
    main = _key_table("The keys")
    assert set(main) == KNOWN, "README's key table and packs.KNOWN differ"
    assert {k for k, req in main.items() if req == "required"} == set(REQUIRED)
    # content_areas: optional for leadership packs, required for specialist ones (as read_pack does)
    assert "required" in main["content_areas"].lower() and main["content_areas"].startswith("optional")
    known_strings = _strings_in_packs_py()
    nested = set(_key_table("Tables")) | set(_key_table("Pupil data"))
    nested |= {"who", "says", "point", "areas", "kind", "y", "ylabel"}  # named in the text around the tables
    for key in nested:
        assert key in known_strings, f"README documents '{key}', which neither packs.py nor charts.py reads"
    # each key named in backticks in the key tables' prose is one of these (catches a misspelling in the prose)
    for key in re.findall(r"`([a-z_]+)`", _section("The keys")):
        if key not in {"true", "false", "x", "table", "drop", "term", "bar", "line"} | {"attendance_pct",
                                                                                        "disadvantaged",
                                                                                        "year_group"}:
            assert key in KNOWN | nested, f"README names '{key}', which the parser does not read"


def test_the_documented_bad_file_messages_are_the_parsers(tmp_path):
    good = yaml.safe_load(_example())
    cases = {
        "missing": ({k: v for k, v in good.items() if k not in ("voices", "budget")}, "is missing voices, budget."),
        "unknown": ({**good, "contxt": "x"}, "has keys this workbook does not read: contxt."),
        "programme": ({**good, "programme": "NPQML"}, "the programme must be one of NPQSL, NPQH, NPQEL, NPQLT, "
                                                       "NPQLTD, NPQLBC."),
    }
    for name, (raw, message) in cases.items():
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
        problems = load_packs((tmp_path,)).problems
        assert any(p.startswith(f"{name}.yaml") and p.endswith(message) for p in problems), (name, problems)
        assert message.split(".")[0].split(":")[-1].strip() in TEXT.replace("\n", " "), name
        (tmp_path / f"{name}.yaml").unlink()
    specialist = {k: v for k, v in good.items() if k != "content_areas"}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(specialist), encoding="utf-8")
    assert "'content_areas' must list" in load_packs((tmp_path,)).problems[0]
    leadership = {**specialist, "programme": "npqh"}  # lower case works; all ten areas by default
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(leadership), encoding="utf-8")
    pack = read_pack(tmp_path / "spec.yaml")
    assert pack.programme == "NPQH" and pack.content_areas == tuple(range(1, 11))
    assert "The case-study folder" in load_packs((tmp_path / "nowhere",)).problems[0]


def test_the_content_area_names_are_the_catalogues():
    listed = re.findall(r"^(\d+)\. (.+)$", _section("Content areas"), re.M)
    assert [(int(n), name) for n, name in listed] == [(a.number, a.name) for a in
                                                      load_catalogue().reformed_content_areas]
    assert "DfE Leadership Framework Content Area coverage" in TEXT


def test_the_shipped_packs_and_outlines_follow_the_documented_wiring():
    """The README's model-outline steps describe how task.yaml wires the six shipped outlines."""
    spec = yaml.safe_load((exercises_dir() / "case-study" / "task.yaml").read_text(encoding="utf-8"))
    for sc in spec["scenarios"]:
        assert sc["model_answer"] == f"{sc['data']['pack']}.model.json"
        assert (exercises_dir() / "case-study" / sc["model_answer"]).is_file()
    line = re.search(r"^\s+- \{id: .*\}$", _section("Adding a model response outline (optional)"), re.M).group(0)
    entry = yaml.safe_load(line.strip())[0]
    assert set(entry) == set(spec["scenarios"][0]) and entry["model_answer"] == entry["data"]["pack"] + ".model.json"


def test_a_pupil_data_item_with_every_documented_key(tmp_path):
    """The README's Pupil data keys each change the summary table (the shipped scenario file, read in place)."""
    csv = exercises_dir() / "data-analysis" / "secondary-riverside.csv"
    raw = yaml.safe_load(_example())
    assert set(_key_table("Pupil data")) == {"title", "file", "measure", "by", "label", "by_label", "group_labels",
                                              "decimals", "filter", "note"}
    raw["data"] = [{"kind": "pupil-data", "title": "Attendance by disadvantage, Year 10", "file": str(csv),
                    "measure": "attendance_pct", "by": "disadvantaged", "label": "Attendance (%)",
                    "by_label": "Group", "group_labels": {"Yes": "Disadvantaged pupils", "No": "Other pupils"},
                    "decimals": 2, "filter": "year_group=10", "note": "Means per group."}]
    (tmp_path / "pd.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    table = read_pack(tmp_path / "pd.yaml").tables()[0]
    assert table.columns[0] == "Group" and table.columns[-1] == "Pupils" and table.note == "Means per group."
    assert {r[0] for r in table.rows} == {"Disadvantaged pupils", "Other pupils"}
    assert table.chart["ylabel"] == "Attendance (%)"
    assert any(isinstance(c, float) and round(c, 2) == c and round(c, 1) != c for r in table.rows for c in r[1:-1])
    everyone = read_pack(tmp_path / "pd.yaml")
    raw["data"][0].pop("filter")
    (tmp_path / "all").mkdir()  # another folder: a pack's tables are kept per folder and id while the app runs
    (tmp_path / "all" / "pd.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    all_years = read_pack(tmp_path / "all" / "pd.yaml").tables()[0]
    assert sum(r[-1] for r in all_years.rows) > sum(r[-1] for r in table.rows)  # the filter kept Year 10 only
    raw["data"][0]["file"] = "missing.csv"
    (tmp_path / "pd.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert load_packs((tmp_path,)).problems == ("pd.yaml: data item 1 names the file missing.csv, which is not "
                                                "there.",)
    assert everyone.folder == tmp_path
