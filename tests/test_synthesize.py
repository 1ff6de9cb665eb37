"""The synthetic stand-in is deterministic, valid, and reproduces every published number."""

import numpy as np
import pytest

from innobarometer import published
from innobarometer.estimate import weighted_share, weighted_shares_by
from innobarometer.microdata import load_microdata
from innobarometer.paths import SYNTHETIC_MICRODATA
from innobarometer.synthesize import allocate, assumptions, synthesize, top_by_weight


@pytest.fixture(scope="module")
def shipped():
    return load_microdata(SYNTHETIC_MICRODATA)


def test_shipped_file_is_what_the_generator_writes(tmp_path):
    path = tmp_path / "regenerated.csv"
    synthesize().to_csv(path, index=False, lineterminator="\n")
    assert path.read_bytes() == SYNTHETIC_MICRODATA.read_bytes()


def test_respondents_and_innovators_are_the_published_counts(shipped):
    assert len(shipped) == published.value("ed2_figure_b_n")
    assert shipped["innovated_any"].sum() == published.value("ed2_figure_a_n")


def test_weights_sum_to_the_assumed_population(shipped):
    assert shipped["weight"].sum() == pytest.approx(assumptions()["population"], abs=0.01)


@pytest.mark.parametrize("variable, fact", [
    ("innovated_process", "ed2_workplaces_innovated_process"),
    ("innovated_service", "ed2_workplaces_innovated_service"),
])
def test_type_shares_round_to_the_published_values(shipped, variable, fact):
    assert round(weighted_share(shipped, variable)["value"], 2) == published.value(fact)


def test_communication_share_lies_inside_its_published_bound(shipped):
    bound = published.fact("ed2_workplaces_innovated_communication")
    assert bound["lower"] <= weighted_share(shipped, "innovated_communication")["value"] < bound["upper"]


def test_sector_shares_of_innovators_round_to_the_published_values(shipped):
    table = weighted_shares_by(shipped, "innovated_any", "sector").set_index("sector")
    for sector in ["kommune", "region", "stat"]:
        assert round(table.loc[sector, "value"], 2) == published.value(f"dst_2016_any_{sector}")


def test_process_innovations_improve_quality_more_often_than_others(shipped):
    innovators = shipped[shipped["innovated_any"] == 1]
    with_process = innovators["latest_process"] == 1
    assert innovators.loc[with_process, "latest_quality"].mean() > innovators.loc[~with_process, "latest_quality"].mean()


def test_allocate_splits_a_total_into_parts_that_add_up():
    assert allocate(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}


def test_top_by_weight_takes_the_highest_scores_up_to_the_target_weight():
    chosen = top_by_weight(np.array([0.9, 0.1, 0.5, 0.7]), np.array([1.0, 1.0, 1.0, 1.0]), np.array([True] * 4), 2.0)
    assert chosen.tolist() == [True, False, False, True]


def test_top_by_weight_never_takes_an_ineligible_unit():
    chosen = top_by_weight(np.array([0.9, 0.1]), np.array([1.0, 1.0]), np.array([False, True]), 2.0)
    assert chosen.tolist() == [False, True]


def test_assumed_population_follows_from_the_published_answers_response_rate_and_coverage():
    sampled = published.value("ed2_answers") / published.value("ed2_response_rate")
    population = sampled / published.value("ed2_sample_fraction")
    assert assumptions()["population"] == round(population, -2)


def test_assumption_table_speaks_the_editions_language():
    from innobarometer.editions import speaking
    from innobarometer.synthesize import assumption_entries, assumption_table

    with speaking("en"):
        table = assumption_table()
    assert list(table.columns) == ["Assumption", "Value", "Reason"]
    assert table["Assumption"].iloc[0] == assumption_entries()["seed"]["label_en"]
    assert "grundniveau" not in " ".join(table["Value"]) and "base level" in " ".join(table["Value"])


def test_an_assumption_of_a_base_level_and_additions_gives_the_additions_in_percentage_points():
    from innobarometer.synthesize import assumption_value_text

    assert assumption_value_text({"base": 0.5, "process": 0.12}) == "grundniveau: 50\u00a0%; Proces/organisation: +12\u00a0pct.-point"
