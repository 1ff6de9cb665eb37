"""The audit before publishing: a suppressed cell's share or answer counts in any file is found,
named by file and cell; what may be shown of it (its id and respondents) is not a leak."""

import json

import pandas as pd
import pytest

from innobarometer.estimates.audit import Record, scan

SHARE = 3 / 7 * 0.97  # a weighted share, as no page would print it


@pytest.fixture
def record():
    cells = pd.DataFrame(
        {
            "id": ["workplaces_innovated_service.region", "workplaces_innovated_service", "innovations_improved_quality.product+service+process+communication.stat"],
            "n": [7, 2362, 12],
            "n_yes": [3, 1015, 11],
            "suppressed": [True, False, True],
            "share": [SHARE, 0.43, 0.9],
        }
    )
    return Record(cells)


def site(tmp_path, files: dict) -> "Path":
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_site_that_shows_only_the_respondents_of_a_suppressed_cell_has_no_leak(tmp_path, record):
    files = {
        "statistics.csv": "id,value,ci_low,n,suppressed,method\nworkplaces_innovated_service.region,,,7,true,at least 5 yes and 5 no\n",
        "page.html": "<table><tr><td>workplaces_innovated_service.region</td><td>7</td><td>–</td></tr></table>",
    }
    assert scan(site(tmp_path, files), record) == []


def test_a_suppressed_share_at_full_precision_anywhere_is_a_leak(tmp_path, record):
    leaks = scan(site(tmp_path, {"notebooks/innovationstyper.html": f'<script>{{"value": {SHARE!r}}}</script>'}), record)
    assert [(leak.file, leak.cell) for leak in leaks] == [("notebooks/innovationstyper.html", "workplaces_innovated_service.region")]


def test_a_suppressed_share_in_per_cent_with_many_decimals_is_a_leak(tmp_path, record):
    assert scan(site(tmp_path, {"a.txt": f"andel {100 * SHARE:.7f}".replace(".", ",")}), record)


def test_a_rounded_share_alone_is_not_taken_for_a_leak(tmp_path, record):
    assert scan(site(tmp_path, {"a.txt": f"{100 * SHARE:.0f} % og {SHARE:.3f}"}), record) == []


def test_answer_counts_in_a_csv_row_naming_the_cell_are_a_leak(tmp_path, record):
    leaks = scan(site(tmp_path, {"statistics.csv": "id,n,n_yes\nworkplaces_innovated_service.region,7,3\n"}), record)
    assert [str(leak) for leak in leaks] == ["statistics.csv: workplaces_innovated_service.region: a row naming it shows 3"]


def test_a_share_in_a_figure_download_link_naming_the_cell_is_a_leak(tmp_path, record):
    download = "Visning;Kategori;Andel (%);Antal svar;Nøgle\r\nRegionale;Service;42,9;7;workplaces_innovated_service.region\r\n"
    page = f'<a href="data:text/csv;charset=utf-8,{__import__("urllib.parse").parse.quote(download)}">CSV</a>'
    assert scan(site(tmp_path, {"figur.html": page}), record)


def test_answer_counts_in_a_printed_table_with_a_shortened_id_are_a_leak(tmp_path, record):
    printed = "id                                                   n  n_yes\ninnovations_improved_quality.product+service+pro...  12     11\n"
    notebook = {"cells": [{"outputs": [{"data": {"text/plain": printed.splitlines(keepends=True)}}]}]}
    assert scan(site(tmp_path, {"kvalitet.ipynb": json.dumps(notebook)}), record)


def test_a_json_record_of_a_suppressed_cell_with_a_value_is_a_leak(tmp_path, record):
    notebook = {"outputs": [{"records": [{"id": "workplaces_innovated_service.region", "n": 7, "value": 0.43}]}]}
    assert scan(site(tmp_path, {"b.ipynb": json.dumps(notebook)}), record)
    notebook["outputs"][0]["records"][0]["value"] = None
    assert scan(site(tmp_path, {"b.ipynb": json.dumps(notebook)}), record) == []


def test_a_published_cell_may_show_everything(tmp_path, record):
    assert scan(site(tmp_path, {"statistics.csv": "id,n,n_yes,value\nworkplaces_innovated_service,2362,1015,0.4297185430463576\n"}), record) == []


def test_the_statistics_file_is_audited_before_it_is_written(tmp_path, record):
    assert scan(site(tmp_path, {}), record, extra={"statistics.csv": "id,n,value\nworkplaces_innovated_service.region,7,0.43\n"})


def test_a_share_that_a_published_cell_has_too_is_no_evidence_of_a_leak(tmp_path):
    cells = pd.DataFrame({"id": ["a", "b"], "n": [3, 9], "n_yes": [2, 6], "suppressed": [True, False], "share": [2 / 3, 6 / 9]})
    assert scan(site(tmp_path, {"page.html": f"{6 / 9!r}"}), Record(cells)) == []


def test_the_copied_assets_are_not_read(tmp_path, record):
    assert scan(site(tmp_path, {"_static/theme.css": f"width: {100 * SHARE:.8f}%"}), record) == []


def test_the_source_archive_is_not_read(tmp_path, record):
    import zipfile

    with zipfile.ZipFile(tmp_path / "kildekode.zip", "w") as archive:
        archive.writestr("organiser-smartere/data/published/facts.csv", f"workplaces_innovated_service.region,{SHARE!r},7,3\n")
    assert scan(tmp_path, record) == []
