"""The print edition's doctree changes: which matter is printed, typography, table layout."""

from types import SimpleNamespace

import pandas as pd
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

from innobarometer.data import published
from innobarometer.text.language import speaking
from innobarometer.site.print_edition import (
    CHARACTER_EM,
    TABLE_SIZES,
    drop_other_edition,
    cover_data_note,
    keep_pasted_values_literal,
    start_appendices,
    table_layout,
    text_table,
    typeset_number_ranges,
    typeset_table,
    unpublished_sentence,
    verification_appendix,
)
from innobarometer.presentation.verification import comparison, status_labels


def document(*children) -> nodes.document:
    doc = new_document("test")
    doc.extend(children)
    return doc


def app(builder_format: str):
    return SimpleNamespace(builder=SimpleNamespace(format=builder_format, name=builder_format))


def both_editions() -> nodes.document:
    return document(
        nodes.paragraph("", "", nodes.Text("Figuren. "), nodes.inline("", "Menuen skifter.", classes=["web-only"]), nodes.inline("", "Tabellen viser.", classes=["print-only"]))
    )


def test_print_drops_web_only_matter_and_keeps_print_wording():
    doc = both_editions()
    drop_other_edition(app("latex"), doc, "page")
    assert doc.astext() == "Figuren. Tabellen viser."


def test_web_drops_print_wording_and_keeps_its_controls():
    doc = both_editions()
    drop_other_edition(app("html"), doc, "page")
    assert doc.astext() == "Figuren. Menuen skifter."


def test_the_translation_catalogues_see_both_editions_matter():
    doc = both_editions()
    drop_other_edition(app("gettext"), doc, "page")
    assert doc.astext() == "Figuren. Menuen skifter.Tabellen viser."


def test_number_ranges_take_an_en_dash_but_code_and_printed_addresses_are_left_alone():
    url = "https://example.org/2015-2016"
    doc = document(
        nodes.paragraph("", "i 2015-2016, 68-72 %, 15-29-årige"),
        nodes.literal_block("", "seed 2015-2016"),
        nodes.paragraph("", "", nodes.reference("", url, refuri=url)),
    )
    typeset_number_ranges(doc)
    assert doc[0].astext() == "i 2015–2016, 68–72 %, 15–29-årige"
    assert doc[1].astext() == "seed 2015-2016"
    assert doc[2].astext() == url


def test_appendices_start_before_the_first_appendix_document():
    doc = document(addnodes.start_of_file(docname="chapter"), addnodes.start_of_file(docname="method"), addnodes.start_of_file(docname="checks"))
    start_appendices(doc, ["method", "checks"])
    assert [n.astext() if isinstance(n, nodes.raw) else n["docname"] for n in doc.children] == ["chapter", "\\appendix\n", "method", "checks"]


def rows(table: nodes.table) -> list[nodes.row]:
    return list(table.findall(nodes.row))


def test_a_number_column_is_as_wide_as_its_longest_entry_and_text_takes_the_rest():
    table = text_table(["Type", "Andel"], [["Proces- eller organisatorisk innovation", "70 %"], ["Service", "100 %"]], right_aligned={1})
    size, widths, numbers = table_layout(rows(table))
    line_em = dict((s, e) for s, e, _ in TABLE_SIZES)[size]
    assert numbers == [False, True]
    assert widths[1] * line_em == len("Andel") * CHARACTER_EM  # the header's word is the longest entry
    assert widths[0] > widths[1]


def test_every_text_column_is_at_least_as_wide_as_its_longest_word():
    long_word = "Kommunikationsinnovation"
    table = text_table(["A", "B", "C"], [[long_word, "kort tekst " * 20, "mere tekst " * 20]], right_aligned=set())
    size, widths, _ = table_layout(rows(table))
    line_em = dict((s, e) for s, e, _ in TABLE_SIZES)[size]
    assert widths[0] * line_em >= len(long_word) * CHARACTER_EM


def test_a_table_too_wide_for_small_type_is_set_smaller():
    headers = [f"Kolonne{i}" for i in range(9)]
    table = text_table(headers, [["Proces/organisation"] + ["100,000"] * 8], right_aligned=set(range(1, 9)))
    assert table_layout(rows(table))[0] == "footnotesize"


def test_a_table_taller_than_a_page_section_may_break_across_pages_and_a_short_one_may_not():
    long = text_table(["Antagelse", "Begrundelse"], [["a", "en lang begrundelse " * 12]] * 12, right_aligned=set())
    short = text_table(["Type", "Andel"], [["Service", "43 %"]], right_aligned={1})
    for table in (long, short):
        document(table)
        typeset_table(table)
    assert "longtable" in long["classes"] and "longtable" not in short["classes"]


def test_a_table_gets_its_column_specification_and_type_size_just_before_it():
    table = text_table(["Type", "Andel"], [["Service", "43 %"]], right_aligned={1})
    doc = document(table)
    typeset_table(table)
    spec = next(doc.findall(addnodes.tabular_col_spec))["spec"]
    assert spec.startswith("\\TextColumn{") and "\\NumberColumn{" in spec
    assert doc[0].astext().startswith("\\begingroup\\let\\printtablesize\\small") and doc[-1].astext() == "\\endgroup\n"


def test_the_mark_of_an_uncertain_estimate_hangs_so_numbers_still_line_up():
    table = text_table(["Type", "Andel"], [["Service", "43 %"], ["Produkt", "76 %*"]], right_aligned={1})
    document(table)
    typeset_table(table)
    cell = rows(table)[2].children[1]
    assert cell.astext().startswith("76 %") and "\\rlap{*}" in [n.astext() for n in cell.findall(nodes.raw)]


def comparison_with_one_unpublished():
    stats = pd.DataFrame({"value": [0.70, 0.2], "n": [2362, 2362]}, index=["workplaces_innovated_process", "other"])
    facts = published.facts()
    return comparison(stats, facts.loc[["ed2_workplaces_innovated_process"]]), facts


def test_the_english_verification_appendix_names_figures_and_headings_in_english():
    table, facts = comparison_with_one_unpublished()
    with speaking("en"):
        printed, note = verification_appendix(table, facts, status_labels())
    head, row = rows(printed)
    assert [e.astext() for e in head.children] == ["Published figure", "Computed", "Published", "Source", "Status"]
    assert row.children[0].astext() == "Share of workplaces with process or organisational innovation, 2015-2016"
    assert row.children[3].astext() == "Innovationsbarometeret: Organiser smartere"  # sources stay as published
    assert note.astext() == "A further 1 computed figure has no published counterpart and is not part of the comparison."


def test_the_danish_verification_appendix_is_unchanged():
    table, facts = comparison_with_one_unpublished()
    printed, note = verification_appendix(table, facts, status_labels())
    assert [e.astext() for e in rows(printed)[0].children] == ["Offentliggjort tal", "Beregnet", "Offentliggjort", "Kilde", "Status"]
    assert note.astext() == "Yderligere 1 beregnet tal har intet offentliggjort modstykke og indgår ikke i sammenligningen."


def test_english_counts_of_unpublished_figures_agree_with_their_verb():
    with speaking("en"):
        assert unpublished_sentence(2).startswith("A further 2 computed figures have no published counterpart and are")


def test_a_pasted_file_name_keeps_its_backtick_and_straight_quote_in_print():
    pasted = nodes.inline("", "", nodes.Text("wp`dq'sq.csv"), classes=["pasted-text"])
    doc = document(nodes.paragraph("", "", nodes.Text("Fra 'prosa' "), pasted))
    keep_pasted_values_literal(doc)
    assert [n.astext() for n in pasted.children] == ["wp", r"\textasciigrave{}", "dq", r"\textquotesingle{}", "sq.csv"]
    assert doc.astext().startswith("Fra 'prosa' ")  # the page's own prose is typeset as written


def test_a_pasted_file_name_keeps_its_doubled_commas_and_angle_brackets_in_print():
    # the fonts' TeX ligatures print ,, as „ and << >> as « » (seen in the PDF for such a name)
    pasted = nodes.inline("", "", nodes.Text("a,,b<<c>>d, e.csv"), classes=["pasted-text"])
    keep_pasted_values_literal(document(nodes.paragraph("", "", pasted)))
    assert "".join(n.astext() for n in pasted.children) == r"a,\kern0pt{},b\textless{}\textless{}c\textgreater{}\textgreater{}d, e.csv"


def test_the_cover_names_a_file_with_doubled_commas_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("INNOBAROMETER_DATA", str(tmp_path / "eksport,,2024.csv"))
    config = SimpleNamespace(language="da", latex_elements={})
    cover_data_note(None, config)
    assert r"eksport,\kern0pt{},2024.csv" in config.latex_elements["preamble"]
