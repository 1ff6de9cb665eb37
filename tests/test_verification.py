"""Verification: computed statistics against the published facts, at the published precision."""

import pandas as pd
from docutils import nodes

from innobarometer import published
from innobarometer.directives import verification_table_node, verification_web
from innobarometer.editions import speaking
from innobarometer.verification import comparison, failed, status_labels


def facts(*rows) -> pd.DataFrame:
    columns = ["id", "statistic_id", "statistic_field", "value", "lower", "upper", "unit", "precision", "source_url", "measures_da", "measures_en"]
    return pd.DataFrame(rows, columns=columns).set_index("id")


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
    from innobarometer.formatting import percent

    # 0.295 prints as 30 %; float division gives 29.4999..., which round() made 29
    share = ("f4", "process", "value", 0.30, None, None, "share", 0.01, "https://example.org/s", "Andel", "Share")
    table = comparison(stats(process=0.295), facts(share))
    assert percent(0.295) == "30\u00a0%" and table.set_index("statistic").loc["process", "status"] == "match"


def test_ties_are_rounded_to_even_in_print_and_in_the_comparison_alike():
    from innobarometer.formatting import in_steps_of, percent

    for hundredths in range(1, 100):
        share = hundredths / 100 + 0.005
        assert percent(share) == f"{in_steps_of(share, 0.01)}\u00a0%", share
