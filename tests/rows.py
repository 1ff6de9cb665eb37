"""Microdata built in tests: rows of a file, one workplace each, the rest at obvious defaults; and
frames as `load_microdata` gives them, of workplaces alike in groups."""

import pandas as pd

from innobarometer.data.codebook import TYPES

HEADER = [
    "respondent_id", "sector", "weight",
    "innovated_product", "innovated_service", "innovated_process", "innovated_communication",
    "latest_product", "latest_service", "latest_process", "latest_communication", "latest_quality",
]


def workplace(rid, sector="kommune", weight="10", innovated=(0, 0, 1, 0), latest=(0, 0, 1, 0), quality=1):
    """One row; a non-innovator (innovated all 0) gets empty latest answers unless given."""
    row = {"respondent_id": rid, "sector": sector, "weight": weight}
    for t, v in zip(["product", "service", "process", "communication"], innovated):
        row[f"innovated_{t}"] = v
    if latest is None:
        latest, quality = ("", "", "", ""), ""
    for t, v in zip(["product", "service", "process", "communication"], latest):
        row[f"latest_{t}"] = v
    row["latest_quality"] = quality
    return row


def non_innovator(rid, sector="kommune", weight="10"):
    return workplace(rid, sector, weight, innovated=(0, 0, 0, 0), latest=None)


def valid_rows():
    """Six workplaces, five of them innovators: the fewest the disclosure rule lets the book use."""
    return [
        workplace("A1"),
        workplace("A2", sector="region", innovated=(1, 1, 0, 0), latest=(1, 0, 0, 0), quality=0),
        non_innovator("A3", sector="stat"),
        workplace("A4"),
        workplace("A5", sector="stat"),
        workplace("A6", sector="region"),
    ]


def innovators(n: int, improved: int, combination: str = "process", sector: str = "kommune", size: str = "medium") -> pd.DataFrame:
    """n workplaces (weight 1) that introduced the types of `combination`, which was also their
    latest innovation; the first `improved` of them say it improved quality."""
    types = combination.split("+")
    answers = {f"{question}_{t}": int(t in types) for question in ("innovated", "latest") for t in TYPES}
    row = {"sector": sector, "size_group": size, "weight": 1.0, **answers, "innovated_any": 1}
    return pd.DataFrame([row] * n).assign(latest_quality=[1] * improved + [0] * (n - improved))


def non_innovators(n: int, sector: str = "kommune", size: str = "medium") -> pd.DataFrame:
    row = {"sector": sector, "size_group": size, "weight": 1.0, **{f"innovated_{t}": 0 for t in TYPES}, "innovated_any": 0}
    return pd.DataFrame([row] * n).assign(**{f"latest_{t}": float("nan") for t in TYPES}, latest_quality=float("nan"))


def microdata(*parts: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True)


def quality_by_size_and_level():
    """Product innovations: 6, 2 of them improved quality, all municipal and small, so hidden;
    all innovations would give them away unless another combination is hidden with them.
    Figure 2 (by level) hides service with them: 10 municipal service innovations cost less than
    30 municipal communication ones. By size alone, communication would be hidden: 10 small
    against 30 small service innovations."""
    return microdata(
        innovators(6, 2, "product", "kommune", "small"),
        innovators(10, 5, "service", "kommune", "small"), innovators(20, 10, "service", "region", "small"), innovators(10, 5, "service", "region", "large"),
        innovators(30, 15, "communication", "kommune", "large"), innovators(10, 5, "communication", "region", "small"),
    )
