"""Write the synthetic pupil data for the data-analysis task (seeded, so every run gives the same files):

    .venv/bin/python scripts/make_pupil_data.py            # the three scenario files + model answers
    .venv/bin/python scripts/make_pupil_data.py --trust-only --out /tmp/x.csv --pupils 100000   # bigger, for bench/

Every pupil, name, UPN, school and teacher is invented. UPNs start with 'X' and carry no real local-authority or
school number, so they can never be mistaken for real ones. The figures are tuned to look like a real school's
tracking data (gaps for disadvantaged pupils and pupils with SEND, attendance linked to progress), not to match any
published figure.

Files (exercises/data-analysis/):
  secondary-riverside.csv   an 11-16 school, Years 10 and 11, 360 pupils x 3 data drops, Progress 8-style scores
  primary-oakfield.csv      a primary school, Years 5 and 6, 120 pupils x 3 drops, KS2-style scaled scores
  trust-northern-lights.csv.gz   a 12-school trust, Years 7-11, about 20,000 pupils x 3 drops (gzip: about 1.5 MB
                            instead of about 5 MB as plain CSV; pandas and the app read it directly)
  <scenario>.model.json     model answers, computed independently of the package by
                            scripts/independent_model_answers.py (pandas and scipy directly)
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "exercises" / "data-analysis"
SEED = 20260901

FIRST = ("Amara Ben Chloe Daniel Ella Freddie Grace Harvey Isla Jack Kai Layla Mason Nadia Oscar Poppy Quinn Ruby "
         "Sami Tilly Umar Vera Wes Yasmin Zac Aisha Bilal Cerys Dylan Eshal Finn Hana Ibrahim Jess Kacper Lena "
         "Maya Noah Olivia Priya Reece Sofia Theo Zara").split()
LAST = ("Adams Ahmed Baker Begum Clarke Davies Evans Fox Green Hughes Iqbal Jones Khan Lewis Morris Nowak Owen "
        "Patel Quayle Roberts Shah Taylor Usman Walker Wilson Wood Young Zielinski").split()
TEACHERS = ("Ms Adeyemi, Mr Byrne, Mrs Chowdhury, Mr Daly, Ms Ellis, Mr Fraser, Ms Gill, Mr Hart, Mrs Ince, "
            "Mr Jakes, Ms Kaur, Mr Lowe").split(", ")
DROPS = ("Autumn 2025", "Spring 2026", "Summer 2026")


def _upns(rng: np.random.Generator, n: int, school: int = 0) -> list[str]:
    serial = rng.permutation(np.arange(10**8, 10**8 + 10 * n, 10))[:n]
    return [f"X{school:03d}{s:09d}" for s in serial]


def _pupils(rng: np.random.Generator, n: int, years: tuple[int, ...], classes_per_year: int,
            school: int = 0, names: bool = True, school_effect: float = 0.0, ehcp: float = 0.025) -> pd.DataFrame:
    year = np.repeat(years, int(np.ceil(n / len(years))))[:n]
    rng.shuffle(year)
    disadvantaged = rng.random(n) < 0.27
    u = rng.random(n)
    send = np.where(u < ehcp + 0.02 * disadvantaged, "EHCP", np.where(u < 0.15 + 0.05 * disadvantaged,
                                                                       "SEN support", "None"))
    eal = rng.random(n) < 0.16
    gender = np.where(rng.random(n) < 0.5, "Female", "Male")
    prior_u = rng.random(n) - 0.12 * disadvantaged - 0.15 * (send != "None")
    prior = np.where(prior_u < 0.25, "Low", np.where(prior_u < 0.75, "Middle", "High"))
    cls_no = rng.integers(0, classes_per_year, n)
    letters = "ABCDEFGH"
    cls = [f"{y}{letters[c]}" for y, c in zip(year, cls_no)]
    teacher_pool = TEACHERS[(school * 3) % len(TEACHERS):] + TEACHERS[:(school * 3) % len(TEACHERS)]
    teacher = [teacher_pool[(list(years).index(y) * classes_per_year + c) % len(teacher_pool)]
               for y, c in zip(year, cls_no)]
    df = pd.DataFrame({
        "upn": _upns(rng, n, school),
        "year_group": year, "class": cls, "teacher": teacher, "gender": gender,
        "disadvantaged": np.where(disadvantaged, "Yes", "No"), "send": send, "eal": np.where(eal, "Yes", "No"),
        "prior_band": prior,
    })
    if names:
        df.insert(1, "first_name", rng.choice(FIRST, n))
        df.insert(2, "surname", rng.choice(LAST, n))
    # Attendance (%), linked to disadvantage and SEND; the pupil-level part persists over the year.
    att = 95.0 - 3.5 * disadvantaged - 2.0 * (send != "None") + rng.normal(0, 3.5, n)
    df["_att"] = np.clip(att, 62, 100)
    class_effect = {c: e for c, e in zip(sorted(set(cls)), rng.normal(0, 0.12, len(set(cls))))}
    df["_class"] = [class_effect[c] for c in cls]
    df["_latent"] = rng.normal(0, 1.0, n) + school_effect
    return df


def _long(df: pd.DataFrame, rng: np.random.Generator, measures) -> pd.DataFrame:
    frames = []
    for k, drop in enumerate(DROPS):
        d = df.copy()
        d.insert(list(d.columns).index("prior_band") + 1, "drop", drop)
        for name, fn in measures:
            d[name] = fn(d, k, rng)
        frames.append(d)
    out = pd.concat(frames, ignore_index=True)
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])


def _p8(d: pd.DataFrame, k: int, rng: np.random.Generator) -> np.ndarray:
    dis = (d["disadvantaged"] == "Yes").to_numpy()
    send = d["send"].to_numpy()
    score = (0.22 + d["_class"] + 0.95 * d["_latent"] - (0.50 - 0.05 * k) * dis - 0.35 * (send == "SEN support")
             - 0.70 * (send == "EHCP") + 0.12 * (d["eal"] == "Yes") + 0.10 * (d["gender"] == "Female")
             + 0.035 * (d["_att"] - 94) + rng.normal(0, 0.45, len(d)))
    return np.round(np.clip(score, -5, 4), 2)


def _a8(d: pd.DataFrame, k: int, rng: np.random.Generator) -> np.ndarray:
    base = d["prior_band"].map({"Low": 31.0, "Middle": 47.0, "High": 63.0}).to_numpy()
    return np.round(np.clip(base + 10 * _p8(d, k, np.random.default_rng(SEED + k)) + rng.normal(0, 2, len(d)),
                            0, 90), 1)


def _attendance(d: pd.DataFrame, k: int, rng: np.random.Generator) -> np.ndarray:
    return np.round(np.clip(d["_att"] - 0.6 * k + rng.normal(0, 1.5, len(d)), 50, 100), 1)


def _scaled(subject_shift: float):
    def fn(d: pd.DataFrame, k: int, rng: np.random.Generator) -> np.ndarray:
        dis = (d["disadvantaged"] == "Yes").to_numpy()
        send = d["send"].to_numpy()
        prior = d["prior_band"].map({"Low": -4.5, "Middle": 0.0, "High": 4.5}).to_numpy()
        s = (102.5 + subject_shift + 1.2 * k + prior + 4.2 * d["_latent"] - 3.0 * dis - 3.0 * (send == "SEN support")
             - 6.0 * (send == "EHCP") + 0.25 * (d["_att"] - 95) + 8 * d["_class"] + rng.normal(0, 2.0, len(d)))
        return np.clip(np.round(s), 80, 120).astype(int)
    return fn


def secondary() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    df = _pupils(rng, 360, (10, 11), 6)
    return _long(df, rng, [("p8_score", _p8), ("attainment8", _a8), ("attendance_pct", _attendance)])


def primary() -> pd.DataFrame:
    rng = np.random.default_rng(SEED + 1)
    df = _pupils(rng, 120, (5, 6), 2, ehcp=0.01)
    return _long(df, rng, [("reading_scaled", _scaled(0.0)), ("maths_scaled", _scaled(1.0)),
                           ("attendance_pct", _attendance)])


SCHOOLS = ("Beacon Hill Academy", "Calder Vale School", "Dunmoor Academy", "Eastbrook High", "Fellside Academy",
           "Greystones School", "Holme Park Academy", "Ivybridge High", "Juniper Lane Academy", "Kestrel Rise School",
           "Lowther Academy", "Millbeck High")


def trust(pupils: int = 20400, seed: int = SEED + 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = rng.multinomial(pupils, np.full(len(SCHOOLS), 1 / len(SCHOOLS)))
    frames = []
    for s, (name, n) in enumerate(zip(SCHOOLS, sizes), start=1):
        df = _pupils(rng, int(n), (7, 8, 9, 10, 11), 8, school=s, names=False,
                     school_effect=rng.normal(0, 0.25))
        df.insert(1, "school", name)
        frames.append(df)
    return _long(pd.concat(frames, ignore_index=True), rng, [("p8_score", _p8), ("attendance_pct", _attendance)])


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_all() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "secondary-riverside.csv").write_bytes(_csv_bytes(secondary()))
    (OUT / "primary-oakfield.csv").write_bytes(_csv_bytes(primary()))
    raw = _csv_bytes(trust())
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="", compresslevel=9) as gz:
        gz.write(raw)
    (OUT / "trust-northern-lights.csv.gz").write_bytes(buf.getvalue())
    print(f"trust: {len(raw) / 1e6:.1f} MB as CSV, {len(buf.getvalue()) / 1e6:.1f} MB gzipped")
    write_model_answers()


def write_model_answers() -> None:
    """Model answers: computed independently of the package's checker (scripts/independent_model_answers.py)."""
    import subprocess

    subprocess.run([sys.executable, str(Path(__file__).with_name("independent_model_answers.py"))], check=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trust-only", action="store_true", help="write only a trust file (for bench/)")
    ap.add_argument("--pupils", type=int, default=20400)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--models-only", action="store_true", help="rewrite only the model answers")
    args = ap.parse_args()
    if args.trust_only:
        out = args.out or Path("trust.csv")
        out.write_bytes(_csv_bytes(trust(args.pupils)))
        print("wrote", out)
    elif args.models_only:
        write_model_answers()
    else:
        write_all()


if __name__ == "__main__":
    main()
