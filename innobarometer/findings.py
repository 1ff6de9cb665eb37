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
    hyppigst indførte innovationstype (70 %), foran ...'. Suppressed types are left out."""
    ranked = shares[~shares["suppressed"].astype(bool)].sort_values("value", ascending=False, kind="stable")
    if ranked.empty:
        return "Der er for få svar til at rangordne innovationstyperne."
    first, rest = ranked.iloc[0], ranked.iloc[1:]
    sentence = f"{first[label]} er den hyppigst indførte innovationstype ({percent(first['value'])})"
    if not rest.empty:
        sentence += ", foran " + joined([f"{r[label].lower()} ({percent(r['value'])})" for _, r in rest.iterrows()])
    return sentence + "."


def most_frequent(shares: pd.DataFrame, label: str = "label") -> str:
    """The label of the most frequent type, or '' when every type is suppressed."""
    ranked = shares[~shares["suppressed"].astype(bool)].sort_values("value", ascending=False, kind="stable")
    return "" if ranked.empty else ranked.iloc[0][label]


def figure_a_finding(combinations: pd.DataFrame) -> str:
    """What Figure A shows: how many combinations lead significantly more or less often to
    improved quality than the other innovations, and which lies highest."""
    shown = combinations[combinations["shown"]]
    if shown.empty:
        return "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet end de øvrige innovationer."
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
        "tilbagelægning, uden endelig populationskorrektion; det overvurderer usikkerheden en smule."
    ),
    "weights-only": (
        "Datafilen angiver kun vægtene, ikke stikprøvens strata. Variansen beregnes derfor som for en "
        "stikprøve udtrukket med tilbagelægning; i et stratificeret design overvurderer det typisk "
        "usikkerheden en smule."
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
