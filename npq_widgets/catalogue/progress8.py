"""Progress 8 figures as versioned data (``data/progress8.yaml``): the national pupil-level SD for each year with
its source, the default year, and the band edges. The domain's statistics read them through :func:`progress8`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data") / "progress8.yaml"


@dataclass(frozen=True)
class NationalSD:
    year: int
    sd: float
    source: str


@dataclass(frozen=True)
class Progress8Figures:
    version: int
    default_year: int
    national_sd: tuple[NationalSD, ...]
    well_above_from: float
    well_below_to: float
    bands_source: str

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(e.year for e in self.national_sd)


@functools.lru_cache(maxsize=1)
def progress8() -> Progress8Figures:
    import yaml  # imported here so that importing the package stays cheap

    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    sds = tuple(NationalSD(int(e["year"]), float(e["sd"]), str(e["source"])) for e in doc["national_sd"])
    years = [e.year for e in sds]
    if len(set(years)) != len(years) or int(doc["default_year"]) not in years:
        raise ValueError(f"{DATA.name}: years must be unique and include the default year")
    if not all(0 < e.sd < 10 and e.source for e in sds):
        raise ValueError(f"{DATA.name}: every SD needs a plausible value and a source")
    bands = doc["bands"]
    return Progress8Figures(int(doc["version"]), int(doc["default_year"]), tuple(sorted(sds, key=lambda e: e.year)),
                            float(bands["well_above_from"]), float(bands["well_below_to"]), str(bands["source"]))
