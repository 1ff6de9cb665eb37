"""Danish sentences that state what the data shows: rankings, counts and Figure A's finding.

Each is computed from the estimates, so a page says what its own data file shows, whichever
file the book runs on.
"""

from __future__ import annotations

import pandas as pd

from innobarometer.estimate import DesignSummary
from innobarometer.formatting import number, number_word, percent, points


def joined(parts: list[str]) -> str:
    """Danish enumeration: 'a', 'a og b', 'a, b og c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def ranking_sentence(shares: pd.DataFrame, label: str = "label") -> str:
    """The types from most to least frequent, e.g. 'Proces- eller organisatorisk innovation er den
    hyppigst indførte innovationstype (70 %), foran ...'. Types whose shares print the same are
    named together as equally frequent; suppressed types are left out."""
    groups = _equal_groups(shares, label)
    if not groups:
        return "Der er for få svar til at rangordne innovationstyperne."
    (top, share), rest = groups[0], groups[1:]
    if len(top) == 1:
        sentence = f"{top[0]} er den hyppigst indførte innovationstype ({share})"
    else:
        sentence = f"{joined([top[0]] + [l.lower() for l in top[1:]])} er lige hyppige og de hyppigst indførte innovationstyper (hver {share})"
    if rest:
        parts = [f"{joined([l.lower() for l in names])} ({'hver ' if len(names) > 1 else ''}{text})" for names, text in rest]
        sentence += ", foran " + joined(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _equal_groups(shares: pd.DataFrame, label: str) -> list[tuple[list[str], str]]:
    """Labels grouped by their printed share, most frequent first: [(labels, '70 %'), ...]."""
    ranked = shares[~shares["suppressed"].astype(bool)].sort_values("value", ascending=False, kind="stable")
    groups: list[tuple[list[str], str]] = []
    for _, row in ranked.iterrows():
        text = percent(row["value"])
        if groups and groups[-1][1] == text:
            groups[-1][0].append(row[label])
        else:
            groups.append(([row[label]], text))
    return groups


def nothing_shown(combinations: pd.DataFrame, min_n: int) -> str | None:
    """Why Figure A (or one view of it) has no bars, or None when it has some."""
    if not combinations["tested"].any():
        return f"Ingen kombination har nok innovationer (mindst {number(min_n)}) til at blive testet."
    if not combinations["shown"].any():
        return "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet end de øvrige innovationer."
    return None


def figure_a_finding(combinations: pd.DataFrame, min_n: int) -> str:
    """What Figure A shows: how many combinations lead significantly more or less often to
    improved quality than the other innovations, and which lies highest."""
    if nothing_shown(combinations, min_n):
        return nothing_shown(combinations, min_n)
    shown = combinations[combinations["shown"]]
    higher, lower = shown[shown["difference"] > 0], shown[shown["difference"] < 0]
    parts = []
    if len(higher):
        parts.append(f"{_combinations(len(higher))} fører signifikant oftere til øget kvalitet end de øvrige innovationer")
    if len(lower):
        parts.append(f"{_combinations(len(lower))} signifikant sjældnere")
    sentence = ", og ".join(parts) + "."
    if len(higher):
        top = higher.sort_values("value", ascending=False).iloc[0]
        sentence += (
            f" Højest ligger »{top['label']}« med {percent(top['value'])}, "
            f"{points(top['difference'])} over de øvrige innovationer."
        )
    return sentence[0].upper() + sentence[1:]


def _combinations(count: int) -> str:
    return f"{number_word(count, neuter=False)} kombination{'' if count == 1 else 'er'}"


DESIGN_DA = {
    "stratified-fpc": (
        "Datafilen angiver stikprøvens strata (kolonnen »stratum«) og antallet af arbejdspladser i "
        "populationen i hvert stratum (»stratum_population«). Variansen beregnes derfor for en "
        "stratificeret stikprøve udtrukket uden tilbagelægning, med endelig populationskorrektion."
    ),
    "stratified": (
        "Datafilen angiver stikprøvens strata (kolonnen »stratum«), men ikke populationens størrelse i "
        "hvert stratum. Variansen beregnes derfor for en stratificeret stikprøve udtrukket med "
        "tilbagelægning, uden endelig populationskorrektion; det overvurderer usikkerheden, mest i "
        "strata, hvor en stor del af populationen er udtrukket."
    ),
    "weights-only": (
        "Datafilen angiver kun vægtene, ikke stikprøvens strata. Variansen beregnes derfor som for en "
        "stikprøve udtrukket med tilbagelægning; i et stratificeret design overvurderer det "
        "usikkerheden, mest hvor en stor del af et stratum er udtrukket."
    ),
}


def design_sentence(design: DesignSummary) -> str:
    """Which design the estimates use, with its strata and degrees of freedom, in Danish."""
    text = DESIGN_DA[design.kind]
    if design.strata:
        text += f" Der er {number(design.strata)} strata og {number(design.respondents)} besvarelser,"
        text += f" så designet har {number(design.degrees_of_freedom)} frihedsgrader (besvarelser minus strata)."
    else:
        text += f" Med {number(design.respondents)} besvarelser har designet {number(design.degrees_of_freedom)} frihedsgrader."
    return text
