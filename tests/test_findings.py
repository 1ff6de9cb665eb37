"""Sentences computed from the estimates: they follow the data, whatever file it is."""

import pandas as pd

from innobarometer.data.microdata import StratumWeights, WeightSums
from innobarometer.estimates.estimate import DesignSummary
from innobarometer.presentation.design import design_sentence, weight_sum_sentence
from innobarometer.text.language import speaking
from organiser_smartere.findings import quality_finding, most_frequent_title, quality_title, ranking_sentence


def shares(**values):
    return pd.DataFrame({"label": list(values), "value": list(values.values()), "suppressed": False})


def test_ranking_follows_the_shares_not_a_fixed_order():
    text = ranking_sentence(shares(Service=0.6, Proces=0.5, Produkt=0.1))
    assert text.startswith("Service er den hyppigst") and text.index("proces") < text.index("produkt")


def test_types_whose_shares_print_the_same_are_named_as_equally_frequent():
    text = ranking_sentence(shares(Proces=0.7224, Produkt=0.7224, Service=0.46, Kommunikation=0.4601))
    assert text == "Proces og produkt er lige hyppige og de hyppigst indførte innovationstyper (hver 72\u00a0%), foran kommunikation og service (hver 46\u00a0%)."


def test_ranking_leaves_out_suppressed_types():
    table = shares(Service=0.6, Proces=0.5).assign(suppressed=[False, True])
    assert "proces" not in ranking_sentence(table).lower()


def test_figure_1s_title_names_the_most_frequent_type_whichever_it_is():
    assert most_frequent_title(shares(Service=0.6, Proces=0.5)) == "Service er den hyppigst indførte innovationstype"


def test_figure_1s_title_names_types_that_print_the_same_together():
    assert most_frequent_title(shares(Proces=0.7224, Produkt=0.7224)) == "Proces og produkt er de hyppigst indførte innovationstyper"


def quality(**rows):
    """Combinations by key: (difference, shown)."""
    return pd.DataFrame(
        {"combination": list(rows), "label": list(rows), "value": [0.5 + d for d, _ in rows.values()],
         "difference": [d for d, _ in rows.values()], "shown": [s for _, s in rows.values()]}
    )


def test_figure_2s_title_is_the_chapters_when_only_complex_organisational_combinations_lie_above():
    title = quality_title(pd.concat([quality(**{"process+service": (0.1, True), "process": (-0.1, True)}), quality(service=(0.2, False))]))
    assert title == "Komplekse organisatoriske innovationer fører oftere til øget kvalitet"


def test_figure_2s_title_names_the_combinations_above_when_one_has_no_organisational_part():
    title = quality_title(quality(**{"process+service": (0.1, True), "service+communication": (0.2, True)}))
    assert title == "»service+communication« og »process+service« fører oftere til øget kvalitet"


def test_figure_2s_title_says_when_no_combination_lies_significantly_above():
    assert quality_title(quality(**{"process+service": (0.1, False), "process": (-0.1, True)})).startswith("Ingen kombination")


def test_english_titles():
    with speaking("en"):
        assert most_frequent_title(shares(Service=0.6, Proces=0.5)) == "Service is the most frequently introduced type of innovation"
        assert quality_title(quality(**{"process+service": (0.1, True)})) == "Complex organisational innovations lead to improved quality more often"


def combinations(differences, shown, tested=True):
    return pd.DataFrame(
        {"label": [f"K{i}" for i in range(len(shown))], "value": [0.5 + d for d in differences], "difference": differences, "shown": shown, "tested": tested}
    )


def test_no_significant_combination_is_said_in_words():
    assert quality_finding(combinations([0.1, -0.1], [False, False]), 30).startswith("Ingen kombinationer fører signifikant")


def test_when_nothing_could_be_tested_the_finding_says_so_not_that_nothing_differs():
    text = quality_finding(combinations([0.1, -0.1], [False, False], tested=False), 30)
    assert text == "Ingen kombination har nok innovationer (mindst 30) til at blive testet."


def test_counts_of_higher_and_lower_combinations_are_written_as_words():
    text = quality_finding(combinations([0.2, 0.1, -0.1], [True, True, True]), 30)
    assert text.startswith("To kombinationer fører signifikant oftere") and "en kombination signifikant sjældnere" in text
    assert "»K0«" in text


def test_design_sentence_states_strata_and_degrees_of_freedom():
    text = design_sentence(DesignSummary("stratified-fpc", 2362, 9))
    assert "endelig populationskorrektion" in text and "9 strata" in text and "2.353 frihedsgrader" in text


# The English edition: the same facts in English grammar.


def test_english_ranking_names_the_most_frequent_type_first():
    with speaking("en"):
        text = ranking_sentence(shares(Service=0.6, Process=0.5, Product=0.1))
    assert text.startswith("Service is the most frequently introduced type of innovation (") and ", ahead of process (" in text
    assert text.index("process") < text.index(" and product (")


def test_english_equally_frequent_types_share_one_figure_said_after_it():
    with speaking("en"):
        text = ranking_sentence(shares(Process=0.7224, Product=0.7224, Service=0.46))
    assert text.startswith("Process and product are equally frequent and the most frequently introduced types of innovation (")
    assert text.endswith("types of innovation (72% each), ahead of service (46%).")


def test_english_ranking_with_nothing_to_rank_says_so():
    with speaking("en"):
        assert ranking_sentence(shares(Service=0.6).assign(suppressed=True)) == "There are too few responses to rank the types of innovation."


def test_english_finding_when_nothing_could_be_tested():
    with speaking("en"):
        text = quality_finding(combinations([0.1, -0.1], [False, False], tested=False), 30)
    assert text == "No combination has enough innovations (at least 30) to be tested."


def test_english_verb_agrees_with_the_number_of_combinations():
    with speaking("en"):
        several = quality_finding(combinations([0.2, 0.1, -0.1], [True, True, True]), 30)
        one = quality_finding(combinations([0.2], [True]), 30)
    assert several == (
        "Two combinations lead to improved quality significantly more often than the other innovations, and one combination"
        " significantly less often. The highest is “K0” at 70%, against 50% for the other innovations (+20.0\u00a0percentage points)."
    )
    assert one.startswith("One combination leads to improved quality significantly more often")


def test_english_combinations_that_are_only_lower_get_a_whole_clause():
    with speaking("en"):
        text = quality_finding(combinations([-0.2], [True]), 30)
    assert text == "One combination leads to improved quality significantly less often than the other innovations."


def test_english_design_sentence_states_the_correction_and_degrees_of_freedom():
    with speaking("en"):
        text = design_sentence(DesignSummary("stratified-fpc", 2362, 9))
    assert "with a finite population correction." in text
    assert text.endswith(" There are 9 strata and 2,362 responses, so the design has 2,353 degrees of freedom (responses minus strata).")


def test_the_worked_examples_verdict_says_whether_the_combination_is_shown():
    from organiser_smartere.findings import example_verdict

    assert example_verdict(0.001, 0.05) == "under 5\u00a0%, så kombinationen vises i figuren"
    with speaking("en"):
        assert example_verdict(0.2, 0.05) == "not below 5%, so the combination is not shown in the figure"


def weights(*strata):
    """Strata as (name, sum of weights, population)."""
    return WeightSums([StratumWeights(*stratum) for stratum in strata])


def test_weights_that_add_up_to_the_population_are_said_to():
    text = weight_sum_sentence(weights(("a", 1000.0, 1000), ("b", 2000.0, 2000)))
    assert text == (
        "Vægtene summerer i hvert stratum til antallet af arbejdspladser i stratummets population (med højst 1\u00a0% afvigelse),"
        " så de opregner besvarelserne til hele populationen."
    )


def test_weights_summing_to_a_fraction_count_the_strata_and_give_both_totals():
    text = weight_sum_sentence(weights(("a", 1000.0, 1000), ("b", 500.0, 2000), ("c", 3000.0, 3000)))
    assert text.startswith("I et af tre strata summerer vægtene ikke til antallet af arbejdspladser i populationen")
    assert "i alt summerer vægtene til 4.500, mens strataenes populationer tæller 6.000 arbejdspladser" in text
    assert "Andelene afhænger ikke af vægtenes skala" in text


def test_weights_scaled_alike_in_every_stratum_are_not_said_to_change_the_shares():
    text = weight_sum_sentence(weights(("a", 250.0, 1000), ("b", 500.0, 2000)))
    assert text.startswith("I alle to strata") and "påvirker også andelene" not in text


def test_weights_out_of_proportion_between_strata_are_said_to_change_the_shares():
    text = weight_sum_sentence(weights(("a", 1000.0, 1000), ("b", 500.0, 2000)))
    assert text.endswith("(fra 0,25 til 1,00), så strataene vægter ikke i forhold til deres population, og det påvirker også andelene.")


def test_without_populations_the_sentence_says_the_weights_cannot_be_checked():
    assert weight_sum_sentence(None).startswith("Uden populationens størrelse i hvert stratum kan det ikke efterprøves")


def test_english_weight_sum_sentences():
    with speaking("en"):
        agrees = weight_sum_sentence(weights(("a", 1000.0, 1000)))
        differs = weight_sum_sentence(weights(("a", 1000.0, 1000), ("b", 500.0, 2000), ("c", 3000.0, 3000)))
        unchecked = weight_sum_sentence(None)
    assert agrees == (
        "In each stratum the weights add up to the number of workplaces in the stratum’s population (within 1%),"
        " so they expand the responses to the whole population."
    )
    assert differs.startswith("In one of three strata the weights do not add up to the number of workplaces in the population")
    assert "altogether the weights sum to 4,500, while the strata’s populations count 6,000 workplaces" in differs
    assert "The shares do not depend on the weights’ scale" in differs and "(from 0.25 to 1.00)" in differs
    assert unchecked.startswith("Without the population’s size in each stratum")
