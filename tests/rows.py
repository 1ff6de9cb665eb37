"""Rows of microdata built in tests: one workplace each, the rest at obvious defaults."""

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
