"""Sentences computed from the estimates: they follow the data, whatever file it is."""

import pandas as pd

from innobarometer.estimate import DesignSummary
from innobarometer.findings import design_sentence, figure_a_finding, ranking_sentence


def shares(**values):
    return pd.DataFrame({"label": list(values), "value": list(values.values()), "suppressed": False})


def test_ranking_follows_the_shares_not_a_fixed_order():
    text = ranking_sentence(shares(Service=0.6, Proces=0.5, Produkt=0.1))
    assert text.startswith("Service er den hyppigst") and text.index("proces") < text.index("produkt")


def test_ranking_leaves_out_suppressed_types():
    table = shares(Service=0.6, Proces=0.5).assign(suppressed=[False, True])
    assert "proces" not in ranking_sentence(table).lower()


def combinations(differences, shown):
    return pd.DataFrame({"label": [f"K{i}" for i in range(len(shown))], "value": [0.5 + d for d in differences], "difference": differences, "shown": shown})


def test_no_significant_combination_is_said_in_words():
    assert figure_a_finding(combinations([0.1, -0.1], [False, False])).startswith("Ingen kombinationer fører signifikant")


def test_counts_of_higher_and_lower_combinations_are_written_as_words():
    text = figure_a_finding(combinations([0.2, 0.1, -0.1], [True, True, True]))
    assert text.startswith("To kombinationer fører signifikant oftere") and "en kombination signifikant sjældnere" in text
    assert "»K0«" in text


def test_design_sentence_states_strata_and_degrees_of_freedom():
    text = design_sentence(DesignSummary("stratified-fpc", 2362, 9))
    assert "endelig populationskorrektion" in text and "9 strata" in text and "2.353 frihedsgrader" in text
