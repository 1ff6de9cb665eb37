"""Whole books built on microdata files with other truths than the stand-in.

Each file builds a complete book in which no page mentions synthetic data, no estimate from
fewer than five respondents appears, nothing is NaN, and the sentences that rank or count agree
with that file's numbers.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from html_pages import visible_text
from innobarometer import disclosure
from innobarometer.formatting import percent
from innobarometer.paths import ROOT, SYNTHETIC_MICRODATA
from innobarometer.synthesize import published_targets, synthesize


def service_beats_process(path: Path) -> None:
    """Stratified with stratum_population, and service (60 %) more frequent than process (40 %)."""
    synthesize(targets=published_targets() | {"process": 0.40, "service": 0.60}).to_csv(path, index=False)


def nothing_significant(path: Path) -> None:
    """Quality independent of the combination (no combination differs), weights only, and
    combinations of one to four innovations."""
    table = pd.read_csv(SYNTHETIC_MICRODATA, dtype=str, keep_default_na=False).drop(columns=["stratum", "stratum_population"])
    innovators = table["latest_quality"] != ""
    rng = np.random.default_rng(11)
    table.loc[innovators, "latest_quality"] = (rng.random(innovators.sum()) < 0.6).astype(int).astype(str)
    table.to_csv(path, index=False)


def without_regions(path: Path) -> None:
    """No regional workplaces at all."""
    table = pd.read_csv(SYNTHETIC_MICRODATA, dtype=str, keep_default_na=False)
    table[table["sector"] != "region"].to_csv(path, index=False)


FILES = {"service-beats-process": service_beats_process, "nothing-significant": nothing_significant, "without-regions": without_regions}


@pytest.fixture(scope="module")
def repository_copy(tmp_path_factory):
    copy = tmp_path_factory.mktemp("truths")
    ignore = shutil.ignore_patterns(".venv", "_build", ".git", "*.egg-info", ".pytest_cache", "node_modules")
    shutil.copytree(ROOT, copy, dirs_exist_ok=True, ignore=ignore)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


@pytest.fixture(scope="module", params=list(FILES))
def book(request, repository_copy, tmp_path_factory):
    """The copy built on one of the files: (site folder, statistics, the data file)."""
    data = tmp_path_factory.mktemp("data") / f"{request.param}.csv"
    FILES[request.param](data)
    env = os.environ | {"INNOBAROMETER_DATA": str(data), "PYTHONPATH": str(repository_copy)}
    command = [sys.executable, "-m", "innobarometer.build"]
    result = subprocess.run(command, cwd=repository_copy, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = repository_copy / "_build" / "html"
    statistics = pd.read_csv(site / "statistics.csv", keep_default_na=False, na_values=[""]).set_index("id")
    return request.param, site, statistics


def page_texts(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): visible_text(p) for p in sorted(site.rglob("*.html")) if "_static" not in p.parts}


def test_no_page_mentions_synthetic_data(book):
    _, site, _ = book
    mentions = [page for page, text in page_texts(site).items() if "syntetisk" in text.lower() or "synthetic" in text.lower()]
    assert mentions == []
    for pdf_file in [site / "organiser-smartere.pdf", site / "en" / "organise-smarter.pdf"]:
        pdf = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True).stdout
        assert pdf and "syntetisk" not in pdf.lower() and "synthetic" not in pdf.lower(), pdf_file.name


def test_no_estimate_from_fewer_than_five_respondents_is_published(book):
    _, _, statistics = book
    small = statistics[statistics["n"] < disclosure.MIN_RESPONDENTS]
    assert small["suppressed"].all()
    all_or_none = statistics[statistics["value"].isin([0.0, 1.0])]
    assert (all_or_none["n"] >= disclosure.UNCERTAIN_BELOW).all()  # else every member's answer shows
    assert small[["value", "ci_low", "ci_high", "se", "p_value"]].isna().all().all()


def test_no_page_prints_nan(book):
    _, site, _ = book
    assert [page for page, text in page_texts(site).items() if "nan %" in text.lower() or " nan " in text.lower()] == []


def test_the_ranking_sentence_follows_the_files_shares(book):
    _, site, statistics = book
    types = {"process": "proces- eller organisatorisk innovation", "service": "serviceinnovation", "communication": "kommunikationsinnovation", "product": "produktinnovation"}
    order = sorted(types, key=lambda t: -statistics.loc[f"workplaces_innovated_{t}", "value"])
    text = visible_text(site / "book" / "organiser-smartere.html").lower()
    sentence = text[text.index("er den hyppigst indførte") - 60 :]
    positions = [sentence.index(types[t]) for t in order]
    assert positions == sorted(positions)


def test_service_first_when_service_beats_process(book):
    name, site, _ = book
    if name != "service-beats-process":
        pytest.skip("only this file has service first")
    assert "Serviceinnovation er den hyppigst indførte innovationstype" in visible_text(site / "notebooks" / "figur-b.html")
    assert "stratificeret stikprøve udtrukket uden tilbagelægning" in visible_text(site / "notebooks" / "data-og-metode.html")


def test_no_significant_combination_is_said_and_small_cells_are_dashes(book):
    name, site, statistics = book
    if name != "nothing-significant":
        pytest.skip("only this file has no significant combination")
    assert not statistics.filter(like="innovations_improved_quality.", axis=0)["shown"].eq(True).any()
    page = visible_text(site / "notebooks" / "figur-a.html")
    assert "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet" in page
    assert "Ikke vist: færre end 5 svar" in page
    assert "kun vægtene" in visible_text(site / "notebooks" / "data-og-metode.html")


def test_a_missing_government_level_is_suppressed_and_said(book):
    name, site, statistics = book
    if name != "without-regions":
        pytest.skip("only this file lacks a government level")
    row = statistics.loc["workplaces_innovated_any.region"]
    assert row["n"] == 0 and row["suppressed"] and pd.isna(row["value"])
    assert percent(statistics.loc["workplaces_innovated_any.kommune", "value"]) in visible_text(site / "notebooks" / "figur-b.html")
