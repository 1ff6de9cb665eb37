"""The statistics record: collected from the executed notebooks' outputs, one row per id."""

import nbformat
import pandas as pd
import pytest

from innobarometer.estimates.statistics_record import GLUE_NAME, MIME, UnpublishableError, check_publishable, collect, csv_text, read_table, record, write


def executed(records=None):
    """A notebook as executed: a cell with an output, and one with the statistics it recorded."""
    glued = nbformat.v4.new_output("display_data", data={f"application/papermill.record/{MIME}": records}, metadata={"scrapbook": {"mime_prefix": "application/papermill.record/", "name": GLUE_NAME}})
    outputs = [glued] if records is not None else []
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]),
        nbformat.v4.new_code_cell("record(...)", outputs=outputs),
    ])


def test_collect_gathers_every_notebooks_statistics_sorted_by_id():
    table = collect({"notebooks/b": executed([{"id": "b.one", "value": 0.5, "n": 10}]), "notebooks/a": executed([{"id": "a.one", "value": 0.25, "n": 4}])})
    assert table["id"].tolist() == ["a.one", "b.one"]
    assert table["notebook"].tolist() == ["notebooks/a", "notebooks/b"]


def test_a_notebook_that_records_nothing_adds_no_rows():
    table = collect({"notebooks/cases": executed(), "notebooks/a": executed([{"id": "a.one", "value": 0.25, "n": 4}])})
    assert table["id"].tolist() == ["a.one"]


def test_the_same_id_from_two_notebooks_is_an_error():
    with pytest.raises(ValueError, match="recorded twice: x"):
        collect({"a": executed([{"id": "x", "value": 0.1, "n": 1}]), "b": executed([{"id": "x", "value": 0.2, "n": 1}])})


def test_a_written_record_reads_back_as_written(tmp_path):
    table = pd.DataFrame({"id": ["a", "b"], "value": [None, 0.1 + 0.2], "n": [2, 10], "shown": [None, True], "suppressed": [True, False]})
    write(table, tmp_path / "statistics.csv")
    read = read_table(tmp_path / "statistics.csv")
    assert read["suppressed"].tolist() == [True, False]
    assert csv_text(read) == (tmp_path / "statistics.csv").read_text(encoding="utf-8")


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


def test_the_execution_writes_the_statistics_its_cached_notebooks_recorded(tmp_path, monkeypatch):
    """statistics.csv exists after execution alone: collected from the Danish cache's runs."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from innobarometer.building import execute

    page = tmp_path / "notebooks" / "figur.md"
    page.parent.mkdir()
    page.write_text("---\nkernelspec:\n  name: python3\n---\n\n```{code-cell}\nrecord(...)\n```\n", encoding="utf-8")
    run = execute.read_notebook(page)
    run.cells = executed([{"id": "share", "value": 0.7, "n": 100}]).cells[1:]  # its one cell, with what it recorded
    get_cache(str(tmp_path / "cache")).cache_notebook_bundle(CacheBundleIn(run, str(page)), check_validity=False)
    monkeypatch.setattr(execute, "execution_cache", lambda language: tmp_path / "cache")
    monkeypatch.setattr(execute, "RECORDED_STATISTICS", tmp_path / "statistics.csv")
    monkeypatch.setattr(execute, "ROOT", tmp_path)
    execute.record_statistics([page])
    table = read_table(tmp_path / "statistics.csv")
    assert table[["id", "value", "n", "notebook"]].values.tolist() == [["share", 0.7, 100, "notebooks/figur"]]


def test_the_method_column_states_the_disclosure_rule_s_threshold(monkeypatch):
    from innobarometer.estimates import disclosure, statistics_record

    monkeypatch.setattr(disclosure, "MIN_RESPONDENTS", 7)
    assert "at least 7 yes and 7 no answers" in statistics_record.method()
