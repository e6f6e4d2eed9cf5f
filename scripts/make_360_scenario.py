"""Make the facilitators' 360° scenario (Event 1, "Outcomes of the 360° diagnostic"): a fictional middle leader with
eight responses at the start and eight at the end of the programme, and a model development plan.

Everything it writes is SYNTHETIC: invented by this seeded script, not real feedback about anyone. Run it again and
the output is byte for byte the same:

    python scripts/make_360_scenario.py          # writes exercises/three-sixty/middle-leader.model.json
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from npq_widgets.catalogue import load_catalogue  # noqa: E402
from npq_widgets.tasks.three_sixty.model import (  # noqa: E402
    default_statements, lowest_rated, report, summarise)

SEED = 360
OUT = ROOT / "exercises" / "three-sixty" / "middle-leader.model.json"
SYNTHETIC = "Synthetic: invented by scripts/make_360_scenario.py (seed 360); not real feedback about anyone."

# others' typical rating of the fictional Alex at the start (1 high ... 4 low), and Alex's own rating
START = {"b1": 1, "b2": 2, "b3": 1, "b4": 2, "b5": 3, "b6": 1, "b7": 1,
         "c1.1": 2, "c2.1": 2, "c3.1": 3, "c4.1": 2, "c5.1": 2, "c6.1": 3}
SELF_START = {"b1": 1, "b2": 1, "b3": 1, "b4": 2, "b5": 1, "b6": 1, "b7": 2,
              "c1.1": 2, "c2.1": 2, "c3.1": 2, "c4.1": 2, "c5.1": 2, "c6.1": 3}
IMPROVED = {"b5": 2, "c3.1": 2, "c6.1": 2}  # where the plan worked, by the end
SELF_END = {**SELF_START, "b5": 2, "c3.1": 2, "c6.1": 2}
GROUPS = ["line_manager"] + ["peers"] * 4 + ["team"] * 3  # eight raters
NOT_OBSERVED = {("team", "c1.1"), ("team", "c5.1")}  # team members rarely see these

STRENGTHS = ["Calm and well organised in department meetings.", "Always puts the pupils first in decisions.",
             "Models excellent lessons and shares resources generously.", "Honest about what is and is not working.",
             "Follows through on every agreed action.", "Brings energy to new initiatives."]
DEVELOP = ["Could ask the team for views before deciding.", "Sometimes misses how a change lands with staff.",
           "Difficult conversations about performance tend to be put off.", "Could delegate more of the data work.",
           "Line management meetings could focus more on agreed targets.", "Could check how colleagues feel about "
           "workload before adding tasks."]


def rate(rng: random.Random, level: int) -> int:
    return max(1, min(4, level + rng.choice((-1, 0, 0, 0, 1))))


def make_round(rng: random.Random, round_id: str, stage: str, statements, levels, own) -> dict:
    responses = []
    for group in GROUPS:
        ratings = {s.id: (None if (group, s.id) in NOT_OBSERVED else rate(rng, levels[s.id])) for s in statements}
        responses.append({"group": group, "ratings": ratings,
                          "comments": {"strengths": rng.choice(STRENGTHS), "develop": rng.choice(DEVELOP)},
                          "synthetic": True})
    return {"id": round_id, "stage": stage, "opened": "05/10/2026" if stage == "start" else "06/09/2027",
            "statements": [s.to_dict() for s in statements], "collector": "self",
            "planned": {"line_manager": 1, "peers": 4, "team": 3, "others": 0},
            "self": dict(own), "responses": responses, "summary": {}, "synthetic": SYNTHETIC}


PLAN = [
    {"focus": "b5", "reason": "A blind spot: I rated my awareness 1, but others' median was 3.",
     "objective": "I will ask for each team member's view before every department decision that changes their "
                  "workload, and record it in the meeting notes.",
     "measure": "% of workload decisions with the team's views recorded beforehand", "baseline": "20%",
     "target": "80%",
     "opportunity": "Monthly coaching with the deputy head on reading the room, and a visit to a partner school's "
                    "English department to observe their consultation.",
     "review_date": "31/03/2027"},
    {"focus": "c6.1", "reason": "Among my lowest-rated statements (others' median 3).",
     "objective": "I will hold a fortnightly line management meeting with each of my four teachers, reviewing "
                  "progress on their agreed appraisal targets.",
     "measure": "line management meetings held against targets per half term", "baseline": "4",
     "target": "12",
     "opportunity": "The trust's middle leaders' course on difficult conversations (two twilight sessions) and "
                    "shadowing the head of science's line management meetings.",
     "review_date": "30/06/2027"},
    {"focus": "c3.1", "reason": "Among my lowest-rated statements, and one point below how I see myself.",
     "objective": "I will plan how each colleague is likely to react before introducing any change and adjust "
                  "how I present it, using a stakeholder map.",
     "measure": "number of changes introduced with a stakeholder map prepared", "baseline": "0",
     "target": "3",
     "opportunity": "Reading and discussing the programme's personal reflection and self-awareness tools with my "
                    "NPQ coach, and a peer observation of a senior leader leading consultation.",
     "review_date": "31/05/2027"},
]

REFLECTIONS = [
    ("05/10/2026", {"b1": 1, "b2": 1, "b3": 1, "b4": 2, "b5": 1, "b6": 1, "b7": 2}),
    ("15/03/2027", {"b1": 1, "b2": 2, "b3": 1, "b4": 2, "b5": 2, "b6": 1, "b7": 1}),
    ("06/09/2027", {"b1": 1, "b2": 2, "b3": 1, "b4": 2, "b5": 2, "b6": 1, "b7": 1}),
]
EXAMPLES = {
    "Commitment": "I set up a Year 9 reading club for disadvantaged pupils after school every Tuesday.",
    "Collaboration": "I asked the two strongest readers' teachers to lead the department's shared planning.",
    "Personal Drive": "When the exam board changed I rewrote the scheme of work over the half term myself.",
    "Resilience": "After a difficult parent complaint I kept the team focused on the mock examination plan.",
    "Awareness": "Feedback showed I missed how the new marking policy landed, so I now ask before deciding.",
    "Integrity": "I reported our coursework moderation problem to the head of school straight away.",
    "Respect": "I moved the department meeting so a colleague could attend Friday prayers.",
}


def main() -> None:
    rng = random.Random(SEED)
    cat = load_catalogue()
    statements = default_statements(cat, "NPQML-legacy")
    names = {f"b{i}": b.name for i, b in enumerate(cat.behaviours, start=1)}
    start = make_round(rng, "r-start-360a", "start", statements, START, SELF_START)
    end = make_round(rng, "r-end-360b", "end", statements, {**START, **IMPROVED}, SELF_END)

    rows = report(start)
    low = set(lowest_rated(rows, 3))
    spots = {r.statement.id for r in rows if r.flag == "blind spot"}
    for p in PLAN:  # the model plan must follow from the data it is a model for
        assert p["focus"] in low | spots, (p["focus"], low, spots)
    assert summarise(statements, start["responses"], line_manager_named=True)["item_by_item"]

    def sheet(date, ratings):
        return {"date": date, "ratings": {names[k]: {"rating": v, "comment": EXAMPLES[names[k]]}
                                          for k, v in ratings.items()}}

    artefact = {
        "task": "three-sixty", "schema_version": 1, "scenario": "middle-leader",
        "candidate": {"name": "Alex Morgan (fictional)", "qualification": "NPQML-legacy"},
        "programme": {"start": "01/10/2026", "end": "31/10/2027"},
        "reflection": sheet(*REFLECTIONS[-1]),
        "reflections": [sheet(d, r) for d, r in REFLECTIONS],
        "rounds": [start, end],
        "raters_note": "",
        "plan": PLAN,
    }
    OUT.write_text(json.dumps(artefact, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({SYNTHETIC})")


if __name__ == "__main__":
    main()
