"""The published facts load with their sources, and a broken row stops with file, column and row."""

import shutil

import pytest

from innobarometer.paths import PUBLISHED_FACTS
from innobarometer.published import PublishedFactsError, read_facts


def test_every_fact_has_a_source_and_a_value_or_bounds():
    facts = read_facts()
    assert facts["source_url"].str.startswith("https://").all()
    assert (facts["value"].notna() | facts["lower"].notna() | facts["upper"].notna()).all()


def test_the_headline_is_a_published_fact():
    assert read_facts().loc["ed2_workplaces_innovated_process", "value"] == 0.70


def test_missing_source_url_names_column_and_row(tmp_path):
    broken = tmp_path / "facts.csv"
    lines = PUBLISHED_FACTS.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("https://innovationsbarometer.coi.dk/lav-nye-services/", "")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PublishedFactsError, match=r"column 'source_url', row 2 \(file line 3\)"):
        read_facts(broken)


def test_fact_without_value_or_bounds_is_rejected(tmp_path):
    broken = tmp_path / "facts.csv"
    shutil.copy(PUBLISHED_FACTS, broken)
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",0.70,", ",,", 1)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PublishedFactsError, match="neither a value nor bounds"):
        read_facts(broken)
