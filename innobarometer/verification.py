"""Compare the computed statistics with the public record: `python -m innobarometer.verification`.

Every fact in data/published/facts.csv with a statistic as counterpart is checked at the
published precision (or inside the published bound). Statistics without a published
counterpart are listed as such and never counted as verified.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from innobarometer import disclosure, published, statistics, tables
from innobarometer.editions import text
from innobarometer.formatting import in_steps_of, number, percent
from innobarometer.paths import BUILD

STATISTICS_FILE = BUILD / "statistics.csv"

#: Status codes and their labels for the book, in Danish and in English.
STATUS_LABELS = {
    "match": ("Gengivet", "Reproduced"),
    "mismatch": ("Afviger", "Differs"),
    "missing": ("Mangler i beregningen", "Missing from the computation"),
    "suppressed": ("Ikke vist (diskretionering)", "Not shown (disclosure control)"),
    "unpublished": ("Intet offentliggjort tal", "No published figure"),
}


def status_label(status: str) -> str:
    """A status code's label in the edition's language: 'match' -> 'Gengivet' / 'Reproduced'."""
    return text(*STATUS_LABELS[status])


def comparison_headings() -> list[str]:
    """The comparison's column headings, web and print alike: the published figure, then what was
    computed, what was published, the source and the status."""
    return [text("Offentliggjort tal", "Published figure"), text("Beregnet", "Computed"), text("Offentliggjort", "Published"), text("Kilde", "Source"), "Status"]


def status_labels() -> dict[str, str]:
    """Every status code's label in the edition's language."""
    return {status: status_label(status) for status in STATUS_LABELS}


def matches(computed: float, fact: pd.Series) -> bool:
    """The computed number equals the published one at its precision, rounded as the pages print
    it (ties to even), or lies inside its bound (lower included, upper not)."""
    if pd.notna(fact["value"]):
        return in_steps_of(computed, fact["precision"]) == in_steps_of(fact["value"], fact["precision"])
    lower = fact["lower"] if pd.notna(fact["lower"]) else -float("inf")
    upper = fact["upper"] if pd.notna(fact["upper"]) else float("inf")
    return lower <= computed < upper


def comparison(stats: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """One row per statistic and per published counterpart: computed, published, source, status.

    `stats` is indexed by statistic id (as statistics.read gives it).
    """
    rows = []
    checked = set()
    for fact_id, fact in facts[facts["statistic_id"] != ""].iterrows():
        statistic = fact["statistic_id"]
        row = {"statistic": statistic, "field": fact["statistic_field"], "published": published.fact_text(fact), "source": fact["source_url"], "fact": fact_id}
        if statistic not in stats.index:
            rows.append(row | {"computed": "", "status": "missing"})
            continue
        computed = float(stats.loc[statistic, fact["statistic_field"]])
        shown = computed_text(computed, fact["unit"], stats.loc[statistic, "n"])
        if pd.isna(computed):  # suppressed by the disclosure rule: nothing to compare
            rows.append(row | {"computed": shown, "status": "suppressed"})
            continue
        rows.append(row | {"computed": shown, "status": "match" if matches(computed, fact) else "mismatch"})
        if fact["statistic_field"] == "value":
            checked.add(statistic)
    for statistic, stat in stats.iterrows():
        if statistic not in checked:
            rows.append({"statistic": statistic, "field": "value", "computed": computed_text(stat["value"], "share", stat["n"]), "published": "", "source": "", "fact": "", "status": "unpublished"})
    order = {"mismatch": 0, "missing": 1, "suppressed": 2, "match": 3, "unpublished": 4}
    table = pd.DataFrame(rows, columns=["statistic", "field", "computed", "published", "source", "fact", "status"])
    return table.sort_values(["status", "statistic"], key=lambda c: c.map(order) if c.name == "status" else c, kind="stable").reset_index(drop=True)


def computed_text(computed: float, unit: str, n: float) -> str:
    """A computed statistic as the table shows it: '–' where the disclosure rule emptied it, a
    share from few respondents marked uncertain."""
    if pd.isna(computed):
        return tables.DASH
    if unit == "count":
        return number(computed)
    return percent(computed, 1) + (tables.UNCERTAIN_MARK if disclosure.is_uncertain(n) else "")


def failed(table: pd.DataFrame) -> bool:
    return table["status"].isin(["mismatch", "missing", "suppressed"]).any()


def main(argv: list[str] | None = None) -> int:
    path = Path(argv[0]) if argv else STATISTICS_FILE
    if not path.exists():
        print(f"{path} does not exist: build the book first (make verify does).", file=sys.stderr)
        return 1
    table = comparison(statistics.read(path), published.facts())
    printable = table.assign(statistic=table["statistic"] + table["field"].map(lambda f: "" if f == "value" else f" ({f})"))
    print(printable[["statistic", "computed", "published", "source", "status"]].to_markdown(index=False))
    counts = table["status"].value_counts()
    print(
        f"\n{counts.get('match', 0)} reproduced, {counts.get('mismatch', 0)} differ, "
        f"{counts.get('missing', 0)} missing, {counts.get('suppressed', 0)} suppressed (disclosure rule), {counts.get('unpublished', 0)} without a published counterpart."
    )
    if counts.get("match", 0) and (statistics.read(path)["source"] == "synthetic").all():
        print("On the synthetic stand-in a match holds by construction (it is calibrated to these figures);")
        print("only a build on the real microdata shows that the barometer's figures come out again.")
    if failed(table):
        print("VERIFICATION FAILED: computed statistics differ from the public record.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
