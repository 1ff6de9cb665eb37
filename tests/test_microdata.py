"""The loader accepts valid microdata and rejects bad input with file, column and row named."""

import pytest

from rows import HEADER, non_innovator, workplace
from innobarometer.microdata import DataError, load_microdata, reading_summary


def error_text(path) -> str:
    with pytest.raises(DataError) as caught:
        load_microdata(path)
    return str(caught.value)


def test_valid_file_loads_with_typed_columns(write_csv, valid_rows):
    frame = load_microdata(write_csv(valid_rows))
    assert list(frame["respondent_id"])[:3] == ["A1", "A2", "A3"]
    assert frame["weight"].tolist()[:3] == [10.0, 10.0, 10.0]
    assert frame["latest_quality"].isna().tolist()[:3] == [False, False, True]


def test_missing_column_is_named(write_csv, valid_rows):
    path = write_csv(valid_rows, columns=[c for c in HEADER if c != "latest_quality"])
    message = error_text(path)
    assert str(path) in message and "'latest_quality'" in message and "missing" in message


def test_unknown_column_is_ignored_and_listed(write_csv, valid_rows):
    rows = [r | {"branch": "skole"} for r in valid_rows]
    frame = load_microdata(write_csv(rows, columns=HEADER + ["branch"]))
    assert "branch" not in frame.columns
    assert frame.attrs["ignored_columns"] == ["branch"]


def test_unknown_sector_names_column_row_and_value(write_csv, valid_rows):
    valid_rows[1]["sector"] = "kommun"
    message = error_text(write_csv(valid_rows))
    assert "column 'sector', row 2 (file line 3)" in message and "'kommun'" in message


@pytest.mark.parametrize("weight", ["0", "-1", "", "ti", "inf"])
def test_weight_must_be_a_positive_number(write_csv, valid_rows, weight):
    valid_rows[2]["weight"] = weight
    assert "column 'weight', row 3" in error_text(write_csv(valid_rows))


def test_duplicated_id_names_both_rows(write_csv, valid_rows):
    valid_rows[2]["respondent_id"] = "A1"
    message = error_text(write_csv(valid_rows))
    assert "column 'respondent_id', rows 1, 3" in message and "unique" in message


def test_binary_field_holding_2_is_rejected(write_csv, valid_rows):
    valid_rows[0]["innovated_service"] = 2
    message = error_text(write_csv(valid_rows))
    assert "column 'innovated_service', row 1" in message and "expected 0 or 1" in message


def test_latest_type_not_introduced_breaks_consistency(write_csv):
    rows = [workplace("A1", innovated=(0, 0, 1, 0), latest=(0, 1, 1, 0))]
    message = error_text(write_csv(rows))
    assert "column 'latest_service', row 1" in message and "innovated_service is 0" in message


def test_innovator_without_quality_answer_is_rejected(write_csv):
    rows = [workplace("A1", quality="")]
    assert "column 'latest_quality', row 1" in error_text(write_csv(rows))


def test_non_innovator_with_latest_answers_is_rejected(write_csv):
    rows = [workplace("A1", innovated=(0, 0, 0, 0), latest=(0, 0, 0, 0), quality=0)]
    assert "must be empty for a workplace that introduced no innovation" in error_text(write_csv(rows))


def test_innovator_whose_latest_innovation_has_no_type_is_rejected(write_csv):
    rows = [workplace("A1", latest=(0, 0, 0, 0))]
    assert "at least one type" in error_text(write_csv(rows))


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "the file is empty" in error_text(path)


def test_header_only_file_is_rejected(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(",".join(HEADER) + "\n")
    assert "header but no rows" in error_text(path)


def test_utf8_with_bom_is_accepted(write_csv, valid_rows):
    frame = load_microdata(write_csv(valid_rows, encoding="utf-8-sig"))
    assert frame.columns[0] == "respondent_id"


def test_a_danish_spreadsheet_export_is_read_as_it_is(tmp_path, valid_rows):
    # Windows-1252, semicolons, decimal commas, CRLF line ends, æ/ø/å in the ids
    for row, letter in zip(valid_rows, "æøåÆØÅ"):
        row["respondent_id"] = letter + row["respondent_id"]
    valid_rows[0]["weight"] = "12,5"
    path = tmp_path / "eksport.csv"
    lines = [";".join(HEADER)] + [";".join(str(row[c]) for c in HEADER) for row in valid_rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    frame = load_microdata(path)
    assert frame["respondent_id"].tolist()[:3] == ["æA1", "øA2", "åA3"] and frame["weight"].iloc[0] == 12.5
    assert reading_summary(frame).endswith("6 rows (Windows-1252, separated by semicolons)")


def test_a_latin1_file_reads_as_windows_1252(write_csv, valid_rows):
    path = write_csv(valid_rows)
    path.write_bytes(path.read_bytes().replace(b"A3", "Å3".encode("latin-1")))
    assert "Å3" in load_microdata(path)["respondent_id"].tolist()


def test_danish_excel_export_with_semicolons_and_decimal_commas_is_accepted(write_csv, valid_rows):
    valid_rows[0]["weight"] = "12,5"
    frame = load_microdata(write_csv(valid_rows, sep=";"))
    assert frame["weight"].tolist()[:3] == [12.5, 10.0, 10.0]


def test_missing_file_is_named(tmp_path):
    assert "does not exist" in error_text(tmp_path / "nowhere.csv")


def test_all_problems_are_reported_together(write_csv, valid_rows):
    valid_rows[0]["sector"] = "x"
    valid_rows[1]["weight"] = "-5"
    message = error_text(write_csv(valid_rows))
    assert "'sector'" in message and "'weight'" in message


def test_many_bad_rows_are_summarised(write_csv):
    rows = [non_innovator(f"A{i}", sector="x") for i in range(25)]
    assert "and 15 more" in error_text(write_csv(rows))


def test_loader_derives_whether_a_workplace_innovated_at_all(write_csv, valid_rows):
    assert load_microdata(write_csv(valid_rows))["innovated_any"].tolist()[:3] == [1, 1, 0]


def with_strata(rows, strata, population=None):
    for row, stratum in zip(rows, strata):
        row["stratum"] = stratum
        if population is not None:
            row["stratum_population"] = population[stratum]
    return rows


def test_strata_and_their_population_are_loaded(write_csv, valid_rows):
    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 40})
    frame = load_microdata(write_csv(rows, columns=HEADER + ["stratum", "stratum_population"]))
    assert frame["stratum"].tolist() == list("aaabbb") and frame["stratum_population"].tolist() == [30] * 3 + [40] * 3


def test_stratum_population_that_varies_within_a_stratum_is_named(write_csv, valid_rows):
    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 40})
    rows[1]["stratum_population"] = 31
    message = error_text(write_csv(rows, columns=HEADER + ["stratum", "stratum_population"]))
    assert "'stratum_population'" in message and "same in every row of a stratum" in message and "rows 1, 2, 3" in message


def test_stratum_population_smaller_than_its_respondents_is_refused(write_csv, valid_rows):
    rows = with_strata(valid_rows, "aaabbb", {"a": 2, "b": 40})
    assert "smaller than the stratum's number of respondents" in error_text(write_csv(rows, columns=HEADER + ["stratum", "stratum_population"]))


def test_stratum_population_without_strata_is_refused(write_csv, valid_rows):
    for row in valid_rows:
        row["stratum_population"] = 100
    assert "needs the column 'stratum'" in error_text(write_csv(valid_rows, columns=HEADER + ["stratum_population"]))


def test_a_file_too_small_to_publish_anything_is_refused_naming_the_rule(write_csv, valid_rows):
    assert "disclosure rule publishes no estimate from fewer than 5" in error_text(write_csv(valid_rows[:1]))


def test_a_file_without_innovators_is_refused_naming_the_rule(write_csv):
    rows = [non_innovator(f"N{i}") for i in range(8)]
    assert "0 innovating workplaces" in error_text(write_csv(rows))


def test_a_stratum_with_a_single_respondent_is_valid(write_csv, valid_rows):
    # the estimates' lonely-stratum rule handles it (test_estimate)
    rows = with_strata(valid_rows, "aaabbc")
    assert load_microdata(write_csv(rows, columns=HEADER + ["stratum"]))["stratum"].tolist() == list("aaabbc")
