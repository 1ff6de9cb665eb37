"""Sentences about the survey's design, in the edition's language: how the variance is estimated
(with its strata and degrees of freedom), and whether the weights add up to the population."""

from __future__ import annotations

from innobarometer.data.microdata import WEIGHT_SUM_TOLERANCE, WeightSums
from innobarometer.estimates.estimate import DesignSummary
from innobarometer.text.formatting import number, number_word, percent
from innobarometer.text.language import _


def design_text(kind: str) -> str:
    """How the variance is estimated, for a kind of design the data file allows."""
    return {
        "stratified-fpc": _(
            "Datafilen angiver stikprøvens strata (kolonnen »stratum«) og antallet af arbejdspladser i "
            "populationen i hvert stratum (»stratum_population«). Variansen beregnes derfor for en "
            "stratificeret stikprøve udtrukket uden tilbagelægning, med endelig populationskorrektion."
        ),
        "stratified": _(
            "Datafilen angiver stikprøvens strata (kolonnen »stratum«), men ikke populationens størrelse i "
            "hvert stratum. Variansen beregnes derfor for en stratificeret stikprøve udtrukket med "
            "tilbagelægning, uden endelig populationskorrektion; det overvurderer usikkerheden, mest i "
            "strata, hvor en stor del af populationen er udtrukket."
        ),
        "weights-only": _(
            "Datafilen angiver kun vægtene, ikke stikprøvens strata. Variansen beregnes derfor som for en "
            "stikprøve udtrukket med tilbagelægning; i et stratificeret design overvurderer det "
            "usikkerheden, mest hvor en stor del af et stratum er udtrukket."
        ),
    }[kind]


def design_sentence(design: DesignSummary) -> str:
    """Which design the estimates use, with its strata and degrees of freedom."""
    sentence = design_text(design.kind)
    counts = dict(respondents=number(design.respondents), df=number(design.degrees_of_freedom))
    if design.strata:
        counts["strata"] = number(design.strata)
        sentence += _(
            " Der er {strata} strata og {respondents} besvarelser,"
            " så designet har {df} frihedsgrader (besvarelser minus strata)."
        ).format(**counts)
    else:
        sentence += _(
            " Med {respondents} besvarelser har designet {df} frihedsgrader."
        ).format(**counts)
    return sentence


def weight_sum_sentence(sums: WeightSums | None) -> str:
    """Whether the weights add up to each stratum's population, as expansion weights do: said
    when they do, counted with the two totals when they do not (`microdata.weight_sums`)."""
    if sums is None:
        return _(
            "Uden populationens størrelse i hvert stratum kan det ikke efterprøves, om vægtene summerer til populationen."
        )
    tolerance = percent(WEIGHT_SUM_TOLERANCE)
    off, count = len(sums.mismatches), len(sums.strata)
    if not off:
        return _(
            "Vægtene summerer i hvert stratum til antallet af arbejdspladser i stratummets population (med højst {tolerance} afvigelse),"
            " så de opregner besvarelserne til hele populationen."
        ).format(tolerance=tolerance)
    if off == count == 1:
        where = _("I datafilens eneste stratum")
    elif off == count:
        where = _("I alle {count} strata").format(count=number_word(count, neuter=True))
    else:
        where = _("I {off} af {count} strata").format(
            off=number_word(off, neuter=True), count=number_word(count, neuter=True)
        )
    sentence = _(
        "{where} summerer vægtene ikke til antallet af arbejdspladser i populationen (de afviger med mere end"
        " {tolerance}): i alt summerer vægtene til {weights}, mens strataenes populationer tæller {population}"
        " arbejdspladser. Andelene afhænger ikke af vægtenes skala, men vægtene opregner ikke til populationen, så de"
        " kan ikke bruges til at anslå antal arbejdspladser."
    ).format(where=where, tolerance=tolerance, weights=number(sums.weight_total), population=number(sums.population_total))
    if not sums.same_scale:
        ratios = [s.ratio for s in sums.strata]
        sentence += _(
            " Forholdet mellem vægte og population er desuden forskelligt fra stratum til stratum (fra {low} til {high}),"
            " så strataene vægter ikke i forhold til deres population, og det påvirker også andelene."
        ).format(low=number(min(ratios), 2), high=number(max(ratios), 2))
    return sentence
