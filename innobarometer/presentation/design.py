"""Sentences about the survey's design, in the edition's language: how the variance is estimated
(with its strata and degrees of freedom), and whether the weights add up to the population."""

from __future__ import annotations

from innobarometer.data.microdata import WEIGHT_SUM_TOLERANCE, WeightSums
from innobarometer.estimates.estimate import DesignSummary
from innobarometer.presentation.formatting import number, number_word, percent
from innobarometer.site.editions import text


#: How the variance is estimated, per kind of design the data file allows, in Danish and English.
DESIGN_TEXTS = {
    "stratified-fpc": (
        "Datafilen angiver stikprøvens strata (kolonnen »stratum«) og antallet af arbejdspladser i "
        "populationen i hvert stratum (»stratum_population«). Variansen beregnes derfor for en "
        "stratificeret stikprøve udtrukket uden tilbagelægning, med endelig populationskorrektion.",
        "The data file gives the sample’s strata (the column “stratum”) and the number of workplaces in "
        "the population in each stratum (“stratum_population”). The variance is therefore estimated for a "
        "stratified sample drawn without replacement, with a finite population correction.",
    ),
    "stratified": (
        "Datafilen angiver stikprøvens strata (kolonnen »stratum«), men ikke populationens størrelse i "
        "hvert stratum. Variansen beregnes derfor for en stratificeret stikprøve udtrukket med "
        "tilbagelægning, uden endelig populationskorrektion; det overvurderer usikkerheden, mest i "
        "strata, hvor en stor del af populationen er udtrukket.",
        "The data file gives the sample’s strata (the column “stratum”), but not the size of the "
        "population in each stratum. The variance is therefore estimated for a stratified sample drawn "
        "with replacement, without a finite population correction; this overstates the uncertainty, "
        "most in strata where a large part of the population was sampled.",
    ),
    "weights-only": (
        "Datafilen angiver kun vægtene, ikke stikprøvens strata. Variansen beregnes derfor som for en "
        "stikprøve udtrukket med tilbagelægning; i et stratificeret design overvurderer det "
        "usikkerheden, mest hvor en stor del af et stratum er udtrukket.",
        "The data file gives only the weights, not the sample’s strata. The variance is therefore "
        "estimated as for a sample drawn with replacement; in a stratified design this overstates the "
        "uncertainty, most where a large part of a stratum was sampled.",
    ),
}


def design_sentence(design: DesignSummary) -> str:
    """Which design the estimates use, with its strata and degrees of freedom."""
    sentence = text(*DESIGN_TEXTS[design.kind])
    counts = dict(respondents=number(design.respondents), df=number(design.degrees_of_freedom))
    if design.strata:
        counts["strata"] = number(design.strata)
        sentence += text(
            " Der er {strata} strata og {respondents} besvarelser,"
            " så designet har {df} frihedsgrader (besvarelser minus strata).",
            " There are {strata} strata and {respondents} responses,"
            " so the design has {df} degrees of freedom (responses minus strata).",
        ).format(**counts)
    else:
        sentence += text(
            " Med {respondents} besvarelser har designet {df} frihedsgrader.",
            " With {respondents} responses, the design has {df} degrees of freedom.",
        ).format(**counts)
    return sentence


def weight_sum_sentence(sums: WeightSums | None) -> str:
    """Whether the weights add up to each stratum's population, as expansion weights do: said
    when they do, counted with the two totals when they do not (`microdata.weight_sums`)."""
    if sums is None:
        return text(
            "Uden populationens størrelse i hvert stratum kan det ikke efterprøves, om vægtene summerer til populationen.",
            "Without the population’s size in each stratum, whether the weights add up to the population cannot be checked.",
        )
    tolerance = percent(WEIGHT_SUM_TOLERANCE)
    off, count = len(sums.mismatches), len(sums.strata)
    if not off:
        return text(
            "Vægtene summerer i hvert stratum til antallet af arbejdspladser i stratummets population (med højst {tolerance} afvigelse),"
            " så de opregner besvarelserne til hele populationen.",
            "In each stratum the weights add up to the number of workplaces in the stratum’s population (within {tolerance}),"
            " so they expand the responses to the whole population.",
        ).format(tolerance=tolerance)
    if off == count == 1:
        where = text("I datafilens eneste stratum", "In the data file’s only stratum")
    elif off == count:
        where = text("I alle {count} strata", "In all {count} strata").format(count=number_word(count, neuter=True))
    else:
        where = text("I {off} af {count} strata", "In {off} of {count} strata").format(
            off=number_word(off, neuter=True), count=number_word(count, neuter=True)
        )
    sentence = text(
        "{where} summerer vægtene ikke til antallet af arbejdspladser i populationen (de afviger med mere end"
        " {tolerance}): i alt summerer vægtene til {weights}, mens strataenes populationer tæller {population}"
        " arbejdspladser. Andelene afhænger ikke af vægtenes skala, men vægtene opregner ikke til populationen, så de"
        " kan ikke bruges til at anslå antal arbejdspladser.",
        "{where} the weights do not add up to the number of workplaces in the population (they differ by more than"
        " {tolerance}): altogether the weights sum to {weights}, while the strata’s populations count {population}"
        " workplaces. The shares do not depend on the weights’ scale, but the weights do not expand to the population,"
        " so they cannot be used to estimate numbers of workplaces.",
    ).format(where=where, tolerance=tolerance, weights=number(sums.weight_total), population=number(sums.population_total))
    if not sums.same_scale:
        ratios = [s.ratio for s in sums.strata]
        sentence += text(
            " Forholdet mellem vægte og population er desuden forskelligt fra stratum til stratum (fra {low} til {high}),"
            " så strataene vægter ikke i forhold til deres population, og det påvirker også andelene.",
            " The ratio of weights to population also differs from stratum to stratum (from {low} to {high}),"
            " so the strata do not weigh in proportion to their populations, which affects the shares too.",
        ).format(low=number(min(ratios), 2), high=number(max(ratios), 2))
    return sentence
