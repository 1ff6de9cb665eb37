"""The statistics record: collected from executed notebooks' glue, one row per id."""

import json

import pandas as pd
import pytest

from innobarometer.statistics import GLUE_NAME, MIME, collect, write


def glue_file(folder, notebook, records):
    path = folder / f"{notebook}.glue.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({GLUE_NAME: {"data": {MIME: records, "text/plain": ""}}, "other": {"data": {}}}))


def test_collect_gathers_every_notebooks_statistics_sorted_by_id(tmp_path):
    glue_file(tmp_path, "notebooks/b", [{"id": "b.one", "value": 0.5, "n": 10}])
    glue_file(tmp_path, "notebooks/a", [{"id": "a.one", "value": 0.25, "n": 4}])
    table = collect(tmp_path)
    assert table["id"].tolist() == ["a.one", "b.one"]
    assert table["notebook"].tolist() == ["notebooks/a", "notebooks/b"]


def test_the_same_id_from_two_notebooks_is_an_error(tmp_path):
    glue_file(tmp_path, "a", [{"id": "x", "value": 0.1, "n": 1}])
    glue_file(tmp_path, "b", [{"id": "x", "value": 0.2, "n": 1}])
    with pytest.raises(ValueError, match="recorded twice: x"):
        collect(tmp_path)


def test_written_file_is_byte_identical_for_the_same_statistics(tmp_path):
    table = pd.DataFrame({"id": ["a"], "value": [0.1 + 0.2], "n": [3]})
    write(table, tmp_path / "one.csv")
    write(table.copy(), tmp_path / "two.csv")
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
