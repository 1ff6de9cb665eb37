"""The book's source in the site (kildekode.zip): what re-runs the notebooks, never a microdata file."""

import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from innobarometer.building.build import SITE
from innobarometer.site.source_archive import NAME, source_files, write_archive


def repository(root: Path, files: list[str]) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"{name}\n", encoding="utf-8")
    return root


SOURCE = ["Makefile", "requirements.txt", "notebooks/innovationstyper.md", "innobarometer/estimates/estimate.py", "data/synthetic/workplaces.csv", "data/published/facts.csv"]


def test_the_archive_holds_the_package_the_notebooks_the_makefile_and_the_stand_in(tmp_path):
    root = repository(tmp_path, SOURCE)
    assert source_files(root) == sorted(SOURCE)


def test_a_data_file_put_in_the_repository_by_hand_is_left_out(tmp_path):
    root = repository(tmp_path, [*SOURCE, "data/real.csv", "data/synthetic/real.csv", "innobarometer/workplaces.csv", "arbejdspladser.xlsx", "notebooks/mine.txt"])
    assert source_files(root) == sorted(SOURCE)


def test_the_configured_microdata_is_left_out_wherever_it_lies(tmp_path):
    root = repository(tmp_path, [*SOURCE, "data/published/mine.csv"])
    assert source_files(root, microdata=root / "data" / "published" / "mine.csv") == sorted(SOURCE)


def test_tests_benchmarks_and_caches_are_left_out(tmp_path):
    root = repository(tmp_path, [*SOURCE, "tests/test_x.py", "benchmarks/bench.py", "innobarometer/__pycache__/estimate.cpython-311.pyc", "locale/en/LC_MESSAGES/x.mo"])
    assert source_files(root) == sorted(SOURCE)


def test_the_same_files_give_the_same_bytes(tmp_path):
    root = repository(tmp_path / "book", SOURCE)
    write_archive(root, tmp_path / "a.zip", 946_684_800)
    (root / "Makefile").touch()  # a newer file date changes nothing
    write_archive(root, tmp_path / "b.zip", 946_684_800)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.book
def test_the_built_site_offers_its_source_at_its_root_with_what_make_lab_needs():
    with zipfile.ZipFile(SITE / NAME) as archive:
        names = set(archive.namelist())
    needed = ["Makefile", "requirements.txt", "requirements-lab.txt", "pyproject.toml", "notebooks/innovationstyper.md", "innobarometer/estimates/estimate.py", "data/synthetic/workplaces.csv"]
    assert {f"organiser-smartere/{name}" for name in needed} <= names
    assert not [name for name in names if "/tests/" in name]


@pytest.mark.book
@pytest.mark.parametrize("page", ["notebooks/innovationstyper.html", "en/notebooks/kvalitet.html"])
def test_a_notebook_page_links_to_the_source_archive(page):
    links = re.findall(r'href="([^"]*' + re.escape(NAME) + ')"', (SITE / page).read_text(encoding="utf-8"))
    assert links and all(posixpath.normpath(posixpath.join(posixpath.dirname(page), link)) == NAME for link in links)


def test_the_stand_in_is_in_the_archive_when_it_is_the_configured_data(tmp_path):
    root = repository(tmp_path, SOURCE)
    assert "data/synthetic/workplaces.csv" in source_files(root, microdata=root / "data" / "synthetic" / "workplaces.csv")


def test_the_archive_holds_the_chapter_s_package_in_a_folder_named_after_it(tmp_path):
    root = repository(tmp_path / "book", SOURCE + ["a_chapter/findings.py"])
    assert "a_chapter/findings.py" in source_files(root, chapter="a_chapter")
    assert "a_chapter/findings.py" not in source_files(root)  # a package no identity names is not the source
    write_archive(root, tmp_path / "a.zip", 946_684_800, chapter="a_chapter")
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert "a-chapter/a_chapter/findings.py" in archive.namelist()
