"""The synthetic stand-in is deterministic, valid, and reproduces every published number."""

import numpy as np
import pytest

from innobarometer.data import codebook, published
from innobarometer.data.codebook import TYPES
from innobarometer.data.microdata import load_microdata
from innobarometer.estimates.estimate import weighted_share, weighted_shares_by
from innobarometer.paths import SYNTHETIC_MICRODATA
from organiser_smartere import disclosure_record
from organiser_smartere.combinations import SHOWN_RULE, quality_by_combination
from organiser_smartere.synthesize import allocate, assumptions, quality_probability, synthesize, top_by_weight


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


def test_quality_is_likeliest_for_process_with_another_type_and_least_likely_without_process():
    q = assumptions()["quality"]
    # One latest innovation per column: process and service, process alone, service and
    # communication, product alone.
    latest = {t: np.array(flags, dtype=bool) for t, flags in {
        "product": [0, 0, 0, 1], "service": [1, 0, 1, 0], "process": [1, 1, 0, 0], "communication": [0, 0, 1, 0],
    }.items()}
    assert list(latest) == list(TYPES)
    probability = quality_probability(latest, q)
    assert probability.tolist() == [q["process_with_other_types"], q["process_alone"], q["without_process"], q["without_process"]]
    assert q["process_with_other_types"] > q["process_alone"] > q["without_process"]


def shown_in_figure_2(frame):
    """Per view (all workplaces, each level of government), Figure 2's combinations with whether
    each is shown. notebooks/kvalitet.md does this in its cells, not in one function: the same
    package functions in the same order (the record first, then quality_by_combination, which is
    the notebook's three steps combination_shares, with_contrasts and decided; a suppressed cell
    is never shown)."""
    record = disclosure_record.quality_cells(frame)
    views = {}
    for view in [codebook.ALL, *codebook.codes("sector")]:
        within = None if view == codebook.ALL else frame["sector"].eq(view)
        table = quality_by_combination(frame, SHOWN_RULE, within=within, suppressed=disclosure_record.hidden(record, "combination", view))
        views[view] = table.assign(shown=table["shown"].fillna(False).astype(bool) & ~table["suppressed"])
    return views


def test_the_stand_in_shows_complex_organisational_innovations_above_the_rest(shipped):
    # The direction the chapter's Figure 2 illustrates, from the assumption `quality`: the
    # combinations significantly above all other innovations are process/organisation with at
    # least one other type, and none without process/organisation is.
    for view, table in shown_in_figure_2(shipped).items():
        above = [c.split("+") for c in table.loc[table["shown"] & (table["difference"] > 0), "combination"]]
        assert all("process" in types and len(types) > 1 for types in above), (view, above)
        assert not [types for types in above if "process" not in types], (view, above)
        if view == codebook.ALL:
            assert above, "no combination lies significantly above the rest for all workplaces"


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
    from innobarometer.text.language import speaking
    from organiser_smartere.synthesize import assumption_entries, assumption_table

    with speaking("en"):
        table = assumption_table()
    assert list(table.columns) == ["Assumption", "Value", "Reason"]
    assert table["Assumption"].iloc[0] == assumption_entries()["seed"]["label_en"]
    values = " ".join(table["Value"])
    assert "med mindst én anden type" not in values and "Process/organisation with at least one other type: 80%" in values


def test_the_quality_assumption_is_shown_as_a_share_for_each_kind_of_combination():
    from organiser_smartere.synthesize import assumption_value_text

    assert assumption_value_text({"process_with_other_types": 0.8, "process_alone": 0.66, "without_process": 0.55}) == (
        "Proces/organisation med mindst én anden type: 80\u00a0%; Proces/organisation alene: 66\u00a0%; Uden proces/organisation: 55\u00a0%"
    )
