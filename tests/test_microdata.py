"""The loader accepts valid microdata and rejects bad input with file, column and row named."""

import pytest

from rows import HEADER, non_innovator, workplace
from innobarometer.data.microdata import DataError, load_microdata, reading_summary, weight_sum_warning, weight_sums


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


STRATA_COLUMNS = HEADER + ["stratum", "stratum_population"]


def test_weights_that_sum_to_the_strata_populations_give_no_warning(write_csv, valid_rows):
    # three respondents of weight 10 in each stratum, each stratum 30 workplaces
    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 30})
    frame = load_microdata(write_csv(rows, columns=STRATA_COLUMNS))
    assert weight_sums(frame).mismatches == [] and weight_sum_warning(frame) is None


def test_weights_summing_to_a_fraction_of_the_population_warn_naming_the_stratum_and_both_sums(write_csv, valid_rows):
    # stratum a: weights 3 x 10 = 30 of 30 workplaces; stratum b: 3 x 10 = 30 of 120
    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 120})
    frame = load_microdata(write_csv(rows, columns=STRATA_COLUMNS))
    assert [(s.stratum, s.weight_sum, s.population) for s in weight_sums(frame).mismatches] == [("b", 30.0, 120)]
    warning = weight_sum_warning(frame)
    assert "1 of 2 strata: 'b' (weights sum to 30, stratum_population 120)" in warning
    assert "the weights sum to 60 while the strata's stratum_population sum to 150" in warning
    assert "not expansion weights" in warning and "\n" not in warning


def test_a_weight_sum_within_the_tolerance_agrees_and_one_beyond_it_does_not(write_csv, valid_rows):
    # stratum b has 100 workplaces: weights summing to 99.5 are 0.5 % off, to 98 are 2 % off
    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 100})
    for row, weight in zip(rows[3:], ["33", "33", "33.5"]):
        row["weight"] = weight
    assert weight_sums(load_microdata(write_csv(rows, columns=STRATA_COLUMNS))).mismatches == []
    rows[5]["weight"] = "32"
    assert [s.stratum for s in weight_sums(load_microdata(write_csv(rows, columns=STRATA_COLUMNS))).mismatches] == ["b"]


def test_without_stratum_population_the_weights_are_not_checked(write_csv, valid_rows):
    frame = load_microdata(write_csv(with_strata(valid_rows, "aaabbb"), columns=HEADER + ["stratum"]))
    assert weight_sums(frame) is None and weight_sum_warning(frame) is None


def test_the_warning_names_five_strata_and_counts_the_rest(write_csv):
    rows = with_strata([workplace(f"A{i}") for i in range(7)], "abcdefg", {s: 100 for s in "abcdefg"})
    warning = weight_sum_warning(load_microdata(write_csv(rows, columns=STRATA_COLUMNS)))
    assert "all 7 strata: 'a' (weights sum to 10, stratum_population 100)" in warning
    assert "'e' (weights sum to 10, stratum_population 100) and 2 more;" in warning and "'f'" not in warning


def test_strata_weighted_out_of_proportion_are_said_to_change_shares(write_csv, valid_rows):
    # a: 30 of 30 (ratio 1); b: 30 of 60 (ratio 0.5)
    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 60})
    warning = weight_sum_warning(load_microdata(write_csv(rows, columns=STRATA_COLUMNS)))
    assert "(0.5 to 1 times)" in warning and "which changes shares too" in warning


def test_a_stratum_name_in_the_warning_is_escaped_for_the_terminal(write_csv, valid_rows):
    rows = with_strata(valid_rows, ["a"] * 3 + ["b\x1b[31m"] * 3, {"a": 30, "b\x1b[31m": 120})
    warning = weight_sum_warning(load_microdata(write_csv(rows, columns=STRATA_COLUMNS)))
    assert "\x1b" not in warning and "'b\\x1b[31m'" in warning


def test_check_data_prints_the_warning_and_still_succeeds(write_csv, valid_rows, monkeypatch, capsys):
    from innobarometer.data import microdata

    rows = with_strata(valid_rows, "aaabbb", {"a": 30, "b": 120})
    monkeypatch.setenv("INNOBAROMETER_DATA", str(write_csv(rows, columns=STRATA_COLUMNS)))
    assert microdata.main() == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("6 rows valid against data/codebook/.") and lines[1].startswith("Warning: the weights do not add up")
