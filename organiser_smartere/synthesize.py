"""Generate the synthetic stand-in for the confidential microdata: `python -m organiser_smartere.synthesize`.

Deterministic (seeded) and calibrated: its weighted shares reproduce every published number in
data/published/facts.csv; everything unpublished comes from data/synthetic/assumptions.yml.
"""

from __future__ import annotations

import copy
import functools
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from innobarometer.data import codebook, published
from innobarometer.data.codebook import TYPES
from innobarometer.paths import SYNTHETIC_ASSUMPTIONS, SYNTHETIC_MICRODATA
from innobarometer.text.formatting import number, percent
from innobarometer.text.language import _, language

SIZES = ("small", "medium", "large")
SECTORS = ("kommune", "region", "stat")
# Half the width of a whole per cent, less a margin, so every calibrated share rounds to its target.
TOLERANCE = 0.004
SEARCH_RADIUS = 45


def assumption_entries(path: Path = SYNTHETIC_ASSUMPTIONS) -> dict:
    """Every assumption with its label, value and reason in each language (`label_da`, `reason_en`, ...)."""
    return copy.deepcopy(parsed_yaml(path.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=8)
def parsed_yaml(text: str) -> dict:
    # Parsing is what costs (20 ms a time, several times per notebook); a copy is handed out.
    return yaml.safe_load(text)


def assumptions(path: Path = SYNTHETIC_ASSUMPTIONS) -> dict:
    """The assumption values only."""
    return {name: entry["value"] for name, entry in assumption_entries(path).items()}


def key_labels() -> dict:
    """Names of the keys in assumption values that are not codes of the codebook."""
    process = codebook.short_label("process")
    return {
        "process_with_other_types": _("{p} med mindst én anden type").format(p=process),
        "process_alone": _("{p} alene").format(p=process),
        "without_process": _("uden {p}").format(p=process.lower()).capitalize(),
    }


def assumption_value_text(value) -> str:
    """An assumption's value in the edition's language: shares as per cent, counts with separators, keys labelled."""
    if isinstance(value, dict):
        labels = codebook.codes("sector") | codebook.codes("size_group") | key_labels()
        labels |= {t: codebook.short_label(t) for t in codebook.innovation_types().index}
        return "; ".join(f"{labels.get(k, k)}: {assumption_value_text(v)}" for k, v in value.items())
    if isinstance(value, float) and 0 <= value <= 1:
        return percent(value)
    return number(value) if isinstance(value, (int, float)) and value >= 10_000 and not isinstance(value, bool) else str(value)


def assumption_table() -> pd.DataFrame:
    """The assumptions as the book shows them, in the edition's language: label, value, reason."""
    return pd.DataFrame(
        [
            {
                _("Antagelse"): e[f"label_{language()}"],
                _("Værdi"): assumption_value_text(e["value"]),
                _("Begrundelse"): " ".join(e[f"reason_{language()}"].split()),
            }
            for e in assumption_entries().values()
        ]
    )


def published_targets() -> dict:
    facts = published.facts()
    bounded = facts.loc["ed2_workplaces_innovated_communication"]
    return {
        "respondents": int(published.value("ed2_figure_b_n")),
        "innovators": int(published.value("ed2_figure_a_n")),
        "any_by_sector": {s: published.value(f"dst_2016_any_{s}") for s in SECTORS},
        "process": published.value("ed2_workplaces_innovated_process"),
        "service": published.value("ed2_workplaces_innovated_service"),
        "communication_bounds": (float(bounded["lower"]), float(bounded["upper"])),
    }


def allocate(total: int, shares: dict) -> dict:
    """Split an integer total by shares, largest remainders first, so the parts add up."""
    raw = {k: total * v / sum(shares.values()) for k, v in shares.items()}
    parts = {k: int(np.floor(v)) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - parts[k], reverse=True)[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


def design_cells(a: dict, respondents: int) -> pd.DataFrame:
    """Sector x size cells with population count N, respondents n and the weight N/n."""
    population = allocate(a["population"], a["sector_population_share"])
    sample = allocate(respondents, a["sector_sample_share"])
    rows = []
    for sector in SECTORS:
        cell_population = allocate(population[sector], a["size_population_share"])
        cell_sample = allocate(sample[sector], a["size_sample_share"])
        for size in SIZES:
            rows.append({"sector": sector, "size_group": size, "N": cell_population[size], "n": cell_sample[size]})
    cells = pd.DataFrame(rows)
    return cells.assign(weight=cells["N"] / cells["n"])


def innovator_counts(cells: pd.DataFrame, a: dict, targets: dict) -> pd.Series:
    """Number of innovators per cell: sector shares on target, total on the published count.

    Within a sector the size propensities are scaled to the sector's target; then the integer
    counts nearest to them are searched for, subject to the exact constraints.
    """
    options = {}
    for sector in SECTORS:
        part = cells[cells["sector"] == sector]
        base = part["size_group"].map(a["size_innovation_propensity"]).to_numpy()
        target = targets["any_by_sector"][sector]
        propensity = base * target * part["N"].sum() / (base * part["N"]).sum()
        preferred = propensity * part["n"].to_numpy()
        ranges = [
            np.arange(max(0, round(p) - SEARCH_RADIUS), min(n, round(p) + SEARCH_RADIUS) + 1)
            for p, n in zip(preferred, part["n"])
        ]
        grid = np.stack([g.ravel() for g in np.meshgrid(*ranges, indexing="ij")], axis=1)
        share = grid @ part["weight"].to_numpy() / part["N"].sum()
        ok = np.abs(share - target) <= TOLERANCE
        cost = (((grid - preferred) / part["n"].to_numpy()) ** 2).sum(axis=1)
        best = {}
        for counts, c in zip(grid[ok], cost[ok]):
            total = int(counts.sum())
            if total not in best or c < best[total][0]:
                best[total] = (c, counts)
        options[sector] = best
    solutions = [
        (sum(options[s][t][0] for s, t in zip(SECTORS, totals)), totals)
        for totals in itertools.product(*(options[s] for s in SECTORS))
        if sum(totals) == targets["innovators"]
    ]
    if not solutions:
        raise ValueError("no innovator counts meet the published targets; revisit data/synthetic/assumptions.yml")
    _, totals = min(solutions)
    counts = np.concatenate([options[s][t][1] for s, t in zip(SECTORS, totals)])
    return pd.Series(counts, index=cells.index)


def top_by_weight(score: np.ndarray, weight: np.ndarray, eligible: np.ndarray, target_weight: float) -> np.ndarray:
    """Eligible units with the highest scores whose weights add up closest to target_weight."""
    order = np.argsort(-np.where(eligible, score, -np.inf), kind="stable")
    order = order[eligible[order]]
    cumulative = np.cumsum(weight[order])
    k = int(np.argmin(np.abs(cumulative - target_weight))) + 1
    chosen = np.zeros(len(score), dtype=bool)
    chosen[order[:k]] = True
    return chosen


def quality_probability(latest: dict[str, np.ndarray], q: dict) -> np.ndarray:
    """The probability that a latest innovation improved quality, by its combination of types:
    process/organisation with at least one other type, process/organisation alone, or without
    process/organisation (the keys of the assumption `quality`)."""
    organisational = latest["process"].astype(bool)
    other_types = np.sum([latest[t] for t in TYPES if t != "process"], axis=0) > 0
    return np.select(
        [organisational & other_types, organisational],
        [q["process_with_other_types"], q["process_alone"]],
        q["without_process"],
    )


def synthesize(a: dict | None = None, targets: dict | None = None) -> pd.DataFrame:
    """The synthetic microdata, one row per responding workplace, in the codebook's schema."""
    a = a or assumptions()
    targets = targets or published_targets()
    rng = np.random.default_rng(int(a["seed"]))
    cells = design_cells(a, targets["respondents"])
    cells["innovators"] = innovator_counts(cells, a, targets)

    frame = cells.loc[cells.index.repeat(cells["n"]), ["sector", "size_group", "weight", "N", "innovators"]]
    frame = frame.reset_index(names="cell")
    innovativeness = rng.normal(size=len(frame))
    rank_in_cell = pd.Series(-innovativeness).groupby(frame["cell"]).rank(method="first") - 1
    innovator = (rank_in_cell < frame["innovators"]).to_numpy()

    weight = frame["weight"].to_numpy()
    total_weight = weight.sum()
    type_targets = {
        "product": a["type_shares"]["product"],
        "service": targets["service"],
        "communication": a["type_shares"]["communication"],
        "process": targets["process"],
    }
    lower, upper = targets["communication_bounds"]
    if not lower <= type_targets["communication"] < upper:
        raise ValueError("the assumed communication share is outside its published bound")
    introduced = {}
    for t in ("product", "service", "communication"):
        score = innovativeness + rng.normal(size=len(frame))
        introduced[t] = top_by_weight(score, weight, innovator, type_targets[t] * total_weight)
    # Process goes last and first to innovators with no other type, so every innovator has one.
    lacking = innovator & ~(introduced["product"] | introduced["service"] | introduced["communication"])
    score = innovativeness + rng.normal(size=len(frame)) + np.where(lacking, np.inf, 0)
    introduced["process"] = top_by_weight(np.nan_to_num(score, posinf=1e9), weight, innovator, targets["process"] * total_weight)

    latest = {}
    for t in TYPES:
        latest[t] = introduced[t] & (rng.random(len(frame)) < a["latest_includes_type"][t])
    none_yet = innovator & ~np.any([latest[t] for t in TYPES], axis=0)
    # An innovation with no type is impossible: fall back to the most likely introduced type.
    for t in sorted(TYPES, key=lambda t: -a["latest_includes_type"][t]):
        take = none_yet & introduced[t]
        latest[t] |= take
        none_yet &= ~take

    quality = rng.random(len(frame)) < quality_probability(latest, a["quality"])

    out = pd.DataFrame(
        {
            "respondent_id": [f"W{i:05d}" for i in range(1, len(frame) + 1)],
            "sector": frame["sector"],
            "size_group": frame["size_group"],
            "weight": frame["weight"].round(6),
            # The design the weights come from: sector x size strata with their population counts.
            "stratum": frame["sector"] + "-" + frame["size_group"],
            "stratum_population": frame["N"],
        }
    )
    for t in TYPES:
        out[f"innovated_{t}"] = introduced[t].astype(int)
    for t in TYPES:
        out[f"latest_{t}"] = pd.Series(latest[t].astype(int), dtype="Int8").where(innovator)
    out["latest_quality"] = pd.Series(quality.astype(int), dtype="Int8").where(innovator)
    # Shuffle so that row order carries no design information, then number the rows.
    out = out.sample(frac=1, random_state=rng.integers(2**31)).reset_index(drop=True)
    out["respondent_id"] = [f"W{i:05d}" for i in range(1, len(out) + 1)]
    return out


def write(frame: pd.DataFrame, path: Path = SYNTHETIC_MICRODATA) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def main() -> int:
    frame = synthesize()
    write(frame)
    print(f"Wrote {len(frame)} synthetic workplaces to {SYNTHETIC_MICRODATA}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def dataset_description(calibration, assumptions, population: str, respondents: int) -> list:
    """The method page's account of the data the book is computed from: for the stand-in its
    calibration targets and assumptions (tables given as Markdown), else the file."""
    from IPython.display import Markdown

    from innobarometer.paths import uses_synthetic_data
    from innobarometer.presentation.notes import file_label

    if not uses_synthetic_data():
        return [
            Markdown(
                _(
                    "Tallene i denne udgave er beregnet fra mikrodatafilen {file} med "
                    "{respondents} besvarelser. Filen er valideret mod kodebogen og svarreglerne, "
                    "før noget blev beregnet."
                ).format(file=file_label(myst=True), respondents=number(respondents))
            )
        ]
    return [
        Markdown(
            _(
                "Innovationsbarometerets mikrodata er fortrolige hos Danmarks Statistik. Bogen leveres derfor "
                "med et syntetisk datasæt med samme struktur[ (`data/synthetic/workplaces.csv`)]{.web-only}, "
                "lavet af en generator med fast startværdi[ (`python -m organiser_smartere.synthesize`)]{.web-only}. "
                "Det er kalibreret, så "
                "antallet af besvarelser og innovationer og de vægtede andele rammer de offentliggjorte tal:"
            )
        ),
        calibration,
        Markdown(
            _(
                "Alt andet er antagelser. Hver antagelse står med sin begrundelse i "
                "[`data/synthetic/assumptions.yml`, og tabellen herunder er læst direkte derfra]{{.web-only}}"
                "[tabellen herunder, der er læst direkte fra datasættets fil med antagelser]{{.print-only}}. Populationen "
                "er antaget at være {population} arbejdspladser."
            ).format(population=population)
        ),
        assumptions,
        Markdown(
            _(
                "Tal uden et offentliggjort modstykke, fx andelen med produktinnovation og alle tal i "
                "figuren over kvalitet, er derfor illustrationer og ikke Innovationsbarometerets resultater."
            )
        ),
    ]
