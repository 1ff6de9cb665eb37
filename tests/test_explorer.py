"""The analyst's explorer, driven by setting its widgets as a person would."""

import pytest

from innobarometer.combinations import quality_by_combination
from innobarometer.estimate import weighted_share
from innobarometer.editions import speaking
from innobarometer.explorer import ALL, QUALITY, Explorer, explore
from innobarometer.microdata import load_microdata
from innobarometer.paths import BUILD_ENV, SYNTHETIC_MICRODATA


@pytest.fixture(scope="module")
def workplaces():
    return load_microdata(SYNTHETIC_MICRODATA)


def test_choosing_stat_gives_the_estimator_on_the_stat_subpopulation(workplaces):
    explorer = Explorer(workplaces)
    explorer.breakdown.value = "sector"
    explorer.value.value = "stat"
    expected = weighted_share(workplaces, "innovated_process", domain=workplaces["sector"].eq("stat"))
    assert explorer.result.loc[0, "value"] == pytest.approx(expected["value"])
    assert explorer.result.loc[0, "n"] == expected["n"] == (workplaces["sector"] == "stat").sum()


def test_changing_the_measure_recomputes(workplaces):
    explorer = Explorer(workplaces)
    explorer.measure.value = "service"
    assert explorer.result.loc[0, "value"] == pytest.approx(weighted_share(workplaces, "innovated_service")["value"])


def test_quality_by_combination_follows_the_chosen_significance_level(workplaces):
    explorer = Explorer(workplaces)
    explorer.measure.value = QUALITY
    at_five = int(explorer.result["shown"].sum())
    explorer.alpha.value = 0.01
    assert int(explorer.result["shown"].sum()) <= at_five
    direct = quality_by_combination(workplaces).set_index("combination")["value"]
    explorer.alpha.value = 0.05
    assert explorer.result.set_index("combination")["value"].to_dict() == pytest.approx(direct.to_dict(), nan_ok=True)


def test_changing_the_breakdown_resets_the_group_to_all(workplaces):
    explorer = Explorer(workplaces)
    explorer.value.value = "region"
    explorer.breakdown.value = "size_group"
    assert explorer.value.value == ALL and ("50 ansatte eller flere", "large") in explorer.value.options


def test_in_the_built_book_the_explorer_makes_no_widget(workplaces, monkeypatch):
    monkeypatch.setenv(BUILD_ENV, "1")
    assert explore(workplaces) is None


def test_in_jupyter_the_explorer_is_the_widget(workplaces, monkeypatch):
    monkeypatch.delenv(BUILD_ENV, raising=False)
    assert isinstance(explore(workplaces), Explorer)


def test_an_explorer_made_in_english_stays_english_when_the_reader_changes_it(workplaces):
    with speaking("en"):
        explorer = Explorer(workplaces)
    explorer.breakdown.value = "size_group"
    assert ("50 or more employees", "large") in explorer.value.options and explorer.value.options[0] == ("All", ALL)
    assert explorer.result.loc[0, "label"] == "Process or organisational innovation"
