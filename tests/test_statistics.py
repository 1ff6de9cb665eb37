"""The statistics record: collected from executed notebooks' glue, one row per id."""

import json

import pandas as pd
import pytest

from innobarometer.estimates.statistics_record import GLUE_NAME, MIME, UnpublishableError, check_publishable, collect, csv_text, record, write


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


def test_a_statistic_from_fewer_than_five_respondents_is_suppressed_when_recorded(monkeypatch):
    recorded = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display: recorded.update({name: value}))
    record(pd.DataFrame({"id": ["small", "large"], "value": [1.0, 0.5], "ci_low": [0.4, 0.3], "n": [4, 50]}))
    rows = recorded[GLUE_NAME].rows.set_index("id")
    assert rows.loc["small", "suppressed"] and pd.isna(rows.loc["small", "value"]) and pd.isna(rows.loc["small", "ci_low"])
    assert not rows.loc["large", "suppressed"] and rows.loc["large", "value"] == 0.5


def test_suppressed_is_written_as_true_or_false():
    text = csv_text(pd.DataFrame({"id": ["a", "b"], "value": [None, 0.5], "n": [2, 10], "suppressed": [True, False]}))
    assert text.splitlines()[1:] == ["a,,2,true", "b,0.5,10,false"]


def test_an_unsuppressed_statistic_from_few_respondents_is_refused_by_name():
    table = pd.DataFrame({"id": ["tiny"], "value": [1.0], "n": [2], "suppressed": [False]})
    with pytest.raises(UnpublishableError, match="tiny: based on 2 respondents"):
        check_publishable(table)


def test_a_statistic_that_is_not_finite_is_refused_by_name():
    table = pd.DataFrame({"id": ["overflow"], "value": [float("nan")], "n": [100], "suppressed": [False]})
    with pytest.raises(UnpublishableError, match="overflow: value is nan"):
        check_publishable(table)
