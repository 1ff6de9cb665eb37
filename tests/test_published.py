"""The published facts load with their sources, and a broken row stops with file, column and row."""

import pytest

from innobarometer.data.published import PublishedFactsError, case_text, fact_text, measures, read_cases, read_facts
from innobarometer.paths import PUBLISHED_CASES, PUBLISHED_FACTS
from innobarometer.text.language import speaking


def edited_copy(source, folder, line: int, old: str, new: str):
    """A copy of a data file with one replacement on one line (0 = header)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[line] = lines[line].replace(old, new, 1)
    copy = folder / source.name
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copy


def test_every_fact_has_a_source_and_a_value_or_bounds():
    facts = read_facts()
    assert facts["source_url"].str.startswith("https://").all()
    assert (facts["value"].notna() | facts["lower"].notna() | facts["upper"].notna()).all()


def test_the_headline_is_a_published_fact():
    assert read_facts().loc["ed2_workplaces_innovated_process", "value"] == 0.70


def test_missing_source_url_names_column_and_row(tmp_path):
    broken = edited_copy(PUBLISHED_FACTS, tmp_path, 2, "https://innovationsbarometer.coi.dk/lav-nye-services/", "")
    with pytest.raises(PublishedFactsError, match=r"column 'source_url', row 2 \(file line 3\)"):
        read_facts(broken)


def test_fact_without_value_or_bounds_is_rejected(tmp_path):
    broken = edited_copy(PUBLISHED_FACTS, tmp_path, 1, ",0.70,", ",,")
    with pytest.raises(PublishedFactsError, match="neither a value nor bounds"):
        read_facts(broken)


def test_every_case_figure_has_a_source():
    cases = read_cases()
    assert cases["source_url"].str.startswith("https://").all() and cases["value"].notna().all()


def test_case_figures_read_in_their_units():
    assert case_text("bronderslev_benefit_before") == "360"
    assert case_text("vejle_participants") == "1.200"
    assert case_text("vejle_first_year") == "2013"
    assert case_text("herning_required_saving") == "2,5\u00a0mio. kr."
    assert case_text("herning_placements_fall") == "15\u00a0%"


def test_case_counts_up_to_twelve_read_in_words_as_the_chapter_writes_them():
    assert (case_text("herning_districts"), case_text("herning_children_per_worker_after")) == ("tre", "25")
    with speaking("en"):
        assert case_text("herning_districts") == "three"


def test_case_without_source_is_rejected(tmp_path):
    broken = edited_copy(PUBLISHED_CASES, tmp_path, 1, "https://co-pi.dk/cases/samling/ny-ungeindsats-sender-unge-i-uddannelse-og-sparer-millioner/", "")
    with pytest.raises(PublishedFactsError, match=r"column 'source_url', row 1"):
        read_cases(broken)


def test_every_fact_and_case_figure_says_what_it_measures_in_english():
    for table in (read_facts(), read_cases()):
        assert table["measures_en"].str.strip().astype(bool).all()


def test_a_fact_without_its_english_label_names_column_and_row(tmp_path):
    broken = edited_copy(PUBLISHED_FACTS, tmp_path, 2, "Share of workplaces with service innovation, 2015-2016", "")
    with pytest.raises(PublishedFactsError, match=r"column 'measures_en', row 2 \(file line 3\)"):
        read_facts(broken)


def test_what_a_fact_measures_is_said_in_the_editions_language():
    fact = read_facts().loc["dst_2016_any_stat"]
    with speaking("en"):
        english = measures(fact)
    assert measures(fact) == "Andel af statslige arbejdspladser med mindst én innovation, 2016"
    assert english == "Share of central-government workplaces with at least one innovation, 2016"


def test_english_money_is_in_millions_of_danish_kroner():
    with speaking("en"):
        assert case_text("herning_required_saving") == "DKK\u00a02.5\u00a0million"


def test_english_bounds_read_to_under():
    with speaking("en"):
        assert fact_text(read_facts().loc["ed2_workplaces_innovated_communication"]) == "40% to under 50%"


def test_english_case_figures_read_in_their_units():
    with speaking("en"):
        assert (case_text("vejle_participants"), case_text("herning_placements_fall"), case_text("vejle_first_year")) == ("1,200", "15%", "2013")


def test_a_chapter_without_a_cases_file_has_no_cases(tmp_path):
    assert read_cases(tmp_path / "cases.csv").empty
