"""Verification: computed statistics against the published facts, at the published precision."""

import re

import pandas as pd
import pytest
from docutils import nodes

from innobarometer.data import published
from innobarometer.presentation.verification import LANGUAGE_ENV, comparison, failed, main, matches, report, status_labels
from innobarometer.site.directives import verification_table_node, verification_web
from innobarometer.text.language import speaking


def facts(*rows) -> pd.DataFrame:
    columns = ["id", "statistic_id", "statistic_field", "value", "lower", "upper", "unit", "precision", "source_url", "measures_da", "measures_en"]
    return pd.DataFrame(rows, columns=columns).assign(source_name="Eksempelkilde").set_index("id")


def stats(**values) -> pd.DataFrame:
    return pd.DataFrame({"value": list(values.values()), "n": [100] * len(values)}, index=list(values))


def status(table, statistic):
    return table.set_index("statistic").loc[statistic, "status"]


PROCESS = ("f1", "process", "value", 0.70, None, None, "share", 0.01, "https://example.org/a", "Andel med procesinnovation", "Share with process innovation")


def test_value_that_rounds_to_the_published_one_matches():
    assert status(comparison(stats(process=0.7049), facts(PROCESS)), "process") == "match"


def test_value_that_rounds_elsewhere_differs():
    table = comparison(stats(process=0.7051), facts(PROCESS))
    assert status(table, "process") == "mismatch" and failed(table)


def test_bound_is_lower_inclusive_and_upper_exclusive():
    bound = ("f2", "communication", "value", None, 0.40, 0.50, "share", None, "https://example.org/b", "Andel", "Share")
    assert status(comparison(stats(communication=0.40), facts(bound)), "communication") == "match"
    assert status(comparison(stats(communication=0.50), facts(bound)), "communication") == "mismatch"


def test_published_fact_without_computed_statistic_is_missing_and_fails():
    table = comparison(stats(other=0.3), facts(PROCESS))
    assert status(table, "process") == "missing" and failed(table)


def test_statistic_without_published_counterpart_is_listed_but_never_verified():
    table = comparison(stats(process=0.70, product=0.2), facts(PROCESS))
    assert status(table, "product") == "unpublished" and not failed(table)


def test_counts_compare_exactly():
    count = ("f3", "process", "n", 100, None, None, "count", 1, "https://example.org/c", "Antal", "Count")
    table = comparison(stats(process=0.7), facts(count))
    assert table.query("field == 'n'").set_index("statistic").loc["process", "status"] == "match"
    # the share itself has no published counterpart here, so it is listed as unpublished
    assert table.query("field == 'value'").set_index("statistic").loc["process", "status"] == "unpublished"


def test_a_suppressed_statistic_with_a_published_counterpart_is_marked_suppressed_and_fails():
    facts = published.facts()
    fact_id = facts[facts["statistic_id"] == "workplaces_innovated_any.region"].index[0]
    stats = pd.DataFrame({"value": [float("nan")], "n": [0]}, index=pd.Index(["workplaces_innovated_any.region"], name="id"))
    table = comparison(stats, facts.loc[[fact_id]])
    assert table.loc[0, "status"] == "suppressed" and table.loc[0, "computed"] == "–" and failed(table)


def test_every_status_has_a_label_in_each_language():
    danish = status_labels()
    with speaking("en"):
        english = status_labels()
    assert danish["match"] == "Gengivet" and english["match"] == "Reproduced"
    assert set(danish) == set(english) and all(english.values()) and not set(danish.values()) & set(english.values())


def test_the_web_table_has_english_headings_and_source_links_in_the_english_edition():
    table = comparison(stats(process=0.7049), facts(PROCESS))
    with speaking("en"):
        node = verification_table_node(table, facts(PROCESS), status_labels())
    rows = list(node.findall(nodes.row))
    assert [e.astext() for e in rows[0].children] == ["Published figure", "Computed", "Published", "Source", "Status"]
    assert rows[1].children[3].astext() == "source" and rows[1].children[4].astext() == "Reproduced"


def test_the_web_table_keeps_its_danish_headings_in_the_danish_edition():
    node = verification_table_node(comparison(stats(process=0.7049), facts(PROCESS)), facts(PROCESS), status_labels())
    assert [e.astext() for e in next(node.findall(nodes.row)).children] == ["Offentliggjort tal", "Beregnet", "Offentliggjort", "Kilde", "Status"]


def test_the_web_table_names_each_published_figure_over_its_statistics_id():
    node = verification_table_node(comparison(stats(process=0.7049), facts(PROCESS)), facts(PROCESS), status_labels())
    name = list(node.findall(nodes.row))[1].children[0]
    assert [p.astext() for p in name.findall(nodes.paragraph)] == ["Andel med procesinnovation", "process"]


def test_statistics_without_a_published_counterpart_are_folded_away_on_the_web():
    parts = verification_web(comparison(stats(process=0.70, product=0.2), facts(PROCESS)), facts(PROCESS), status_labels())
    compared, opening, folded, closing = parts
    assert "product" not in compared.astext() and "product" in folded.astext()
    assert opening.astext().startswith('<details class="unpublished-statistics"><summary>1 beregnet tal') and closing.astext() == "</details>"


def test_a_share_on_a_rounding_tie_is_compared_as_the_page_prints_it():
    from innobarometer.text.formatting import percent

    # 0.295 prints as 30 %; float division gives 29.4999..., which round() made 29
    share = ("f4", "process", "value", 0.30, None, None, "share", 0.01, "https://example.org/s", "Andel", "Share")
    table = comparison(stats(process=0.295), facts(share))
    assert percent(0.295) == "30\u00a0%" and table.set_index("statistic").loc["process", "status"] == "match"


def test_ties_are_rounded_to_even_in_print_and_in_the_comparison_alike():
    from innobarometer.text.formatting import in_steps_of, percent

    for hundredths in range(1, 100):
        share = hundredths / 100 + 0.005
        assert percent(share) == f"{in_steps_of(share, 0.01)}\u00a0%", share


# The terminal report (`make verify`): one language, each share with its spread, the rule stated.

COUNT = ("f5", "process", "n", 100, None, None, "count", 1, "https://example.org/a", "Antal svar", "Responses")


def estimates(**rows) -> pd.DataFrame:
    """Statistics as the record has them: id=(value, se, ci_low, ci_high), from 100 respondents."""
    columns = ["value", "se", "ci_low", "ci_high"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns).assign(n=100, suppressed=False, source="synthetic")
    return table.rename_axis("id")


def line_of(report_text: str, statistic: str) -> str:
    return next(line for line in report_text.splitlines() if line.startswith(statistic + " "))


def statistics_file(tmp_path) -> str:
    from innobarometer.estimates import statistics_record

    path = tmp_path / "statistics.csv"
    statistics_record.write(estimates(workplaces_innovated_process=(0.7049, 0.0123, 0.68, 0.729)).reset_index(), path)
    return str(path)


def test_the_report_is_in_danish_with_danish_numbers_by_default():
    shown = report(estimates(process=(0.7049, 0.0123, 0.68, 0.729)), facts(PROCESS))
    assert "Beregnet" in shown and "Offentliggjort" in shown and "70,5\u00a0%" in shown
    assert "Computed" not in shown and "70.5%" not in shown


def test_the_report_is_in_english_with_english_numbers_in_english():
    with speaking("en"):
        shown = report(estimates(process=(0.7049, 0.0123, 0.68, 0.729)), facts(PROCESS))
    assert "Computed" in shown and "Published" in shown and "70.5%" in shown
    assert "Beregnet" not in shown and "70,5" not in shown


def test_the_language_option_chooses_the_reports_language(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    main(["--language", "en", statistics_file(tmp_path)])
    shown = capsys.readouterr().out
    assert "Computed" in shown and "Beregnet" not in shown


def test_the_language_environment_variable_chooses_the_reports_language(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "en")
    main([statistics_file(tmp_path)])
    shown = capsys.readouterr().out
    assert "Computed" in shown and "Beregnet" not in shown


def test_the_language_option_wins_over_the_environment_variable(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "en")
    main(["--language", "da", statistics_file(tmp_path)])
    assert "Beregnet" in capsys.readouterr().out


def test_an_unknown_language_is_refused_naming_the_languages(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "fr")
    with pytest.raises(SystemExit) as exit_:
        main([statistics_file(tmp_path)])
    assert exit_.value.code != 0 and "da, en" in capsys.readouterr().err


def test_a_failed_verification_says_so_in_the_reports_language(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    # the real public record has figures this small file lacks: they are missing
    assert main(["--language", "en", statistics_file(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "VERIFICATION FAILED" in error and "FEJLEDE" not in error


def test_each_share_is_shown_with_its_standard_error_and_interval():
    line = line_of(report(estimates(process=(0.7049, 0.0123, 0.68, 0.729)), facts(PROCESS)), "process")
    assert re.fullmatch(r"process\s+70,5\u00a0%\s+1,23\s+68,0–72,9\u00a0%\s+70\u00a0%\s+\[1\]", line)


def test_a_share_without_a_published_counterpart_is_shown_with_its_spread_too():
    line = line_of(report(estimates(process=(0.7049, 0.0123, 0.68, 0.729), product=(0.2, 0.0094, 0.182, 0.219)), facts(PROCESS)), "product")
    assert re.fullmatch(r"product\s+20,0\u00a0%\s+0,94\s+18,2–21,9\u00a0%", line)


def test_a_count_is_shown_without_a_standard_error_or_interval():
    line = line_of(report(estimates(process=(0.7049, 0.0123, 0.68, 0.729)), facts(COUNT)), "process (n)")
    assert re.fullmatch(r"process \(n\)\s+100\s+100\s+\[1\]", line)


def test_the_report_states_the_rule_it_matches_by_with_ties_as_they_are_decided():
    shown = " ".join(report(estimates(process=(0.7049, 0.0123, 0.68, 0.729)), facts(PROCESS)).split())
    assert "afrundet til det offentliggjorte tals præcision" in shown
    assert "28,5 % bliver 28 %, 29,5 % bliver 30 %" in shown and "rummer sin nedre grænse, men ikke sin øvre" in shown
    published_as = lambda value: pd.Series({"value": value, "precision": 0.01})  # noqa: E731
    assert matches(0.285, published_as(0.28)) and matches(0.295, published_as(0.30))


def test_a_suppressed_statistic_shows_nothing_its_record_might_hold():
    hidden = estimates(process=(float("nan"), 0.0123, 0.68, 0.729)).assign(suppressed=True, n=3)
    shown = report(hidden, facts(PROCESS))
    assert re.fullmatch(r"process\s+–\s+70\u00a0%\s+\[1\]", line_of(shown, "process"))
    assert "1,23" not in shown and "68,0" not in shown and "72,9" not in shown


def test_the_report_fits_a_100_column_terminal_breaking_a_long_id_after_a_dot():
    long_id = "innovations_improved_quality.product+service+process+communication.kommune.a_very_long_subgroup_name"
    shown = report(estimates(process=(0.7049, 0.0123, 0.68, 0.729), **{long_id: (0.5, 0.01, 0.48, 0.52)}), facts(PROCESS))
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 100
    start = next(i for i, line in enumerate(lines) if line.startswith("innovations_improved_quality."))
    pieces = [lines[start].split()[0]] + [line.strip() for line in lines[start + 1:start + 3]]
    assert "".join(pieces) == long_id and pieces[0].endswith(".")


def test_values_from_outside_reach_the_terminal_escaped():
    outside = estimates(**{"process\x1b[2J": (0.5, 0.01, 0.48, 0.52)}).assign(source="microdata:a\x1b]0;title\x07.csv")
    shown = report(outside, facts(PROCESS))
    assert "\x1b" not in shown and "\x07" not in shown
    assert "process\\x1b[2J" in shown and "a\\x1b]0;title\\x07.csv" in shown


def _page_with_the_comparison():
    from docutils import nodes
    from docutils.utils import new_document

    from innobarometer.site.directives import verification_placeholder

    page = new_document("verifikation")
    page += verification_placeholder()
    return page, nodes


def test_a_sphinx_build_of_the_pages_alone_says_where_the_comparison_comes_from(tmp_path, monkeypatch):
    # `jupyter-book build` or `make translations` read the pages without the book's execution
    from types import SimpleNamespace

    from innobarometer.site import directives

    monkeypatch.setattr(directives, "RECORDED_STATISTICS", tmp_path / "statistics.csv")
    page, nodes = _page_with_the_comparison()
    directives.fill_verification_tables(SimpleNamespace(builder=SimpleNamespace(format="html")), page, "book/verifikation")
    assert [p.astext() for p in page.findall(nodes.paragraph)] == ["Sammenligningen laves, når bogen bygges med make book."]
