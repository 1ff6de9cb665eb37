"""A notebook's download reads in any Jupyter (innobarometer.site.downloads), on small notebooks built in the test."""

import nbformat

from innobarometer.site import downloads
from innobarometer.site.downloads import runnable_anywhere

HIDDEN = "application/papermill.record/"


def glued(name: str, text: str):
    return nbformat.v4.new_output("display_data", data={HIDDEN + "text/plain": text}, metadata={"scrapbook": {"name": name, "mime_prefix": HIDDEN}})


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def code(*outputs, tags=()):
    return nbformat.v4.new_code_cell("x = 1", outputs=list(outputs), metadata={"tags": list(tags)} if tags else {})


def markdown(source: str, tags=()):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})


def test_the_prose_has_the_glued_values_written_in():
    made = runnable_anywhere(notebook(code(glued("share", "70 %")), markdown("Andelen er {eval}`share`.")), "da")
    assert made.cells[1].source == "Andelen er 70 %."


def test_a_translation_s_value_from_its_page_is_written_in_too(monkeypatch):
    monkeypatch.setattr(downloads, "translations", lambda language: {"Andelen er {eval}`share`.": "The share is {eval}`x.md::share`."})
    made = runnable_anywhere(notebook(code(glued("share", "70%")), markdown("Andelen er\n{eval}`share`.")), "en")
    assert made.cells[1].source == "The share is 70%."


def test_an_english_download_has_every_paragraph_heading_and_item_in_english_and_formulas_as_they_are(monkeypatch):
    catalogue = {"Formlerne": "The formulas", "Et afsnit over to linjer.": "A paragraph over two lines.", "Et punkt.": "An item."}
    monkeypatch.setattr(downloads, "translations", lambda language: catalogue)
    source = "## Formlerne\n\nEt afsnit\nover to linjer.\n\n- Et punkt.\n\n$$\n\\hat p = 1\n$$\n\n```sh\nmake lab\n```"
    made = runnable_anywhere(notebook(markdown(source)), "en")
    assert made.cells[0].source == "## The formulas\n\nA paragraph over two lines.\n\n- An item.\n\n$$\n\\hat p = 1\n$$\n\n```sh\nmake lab\n```"


def test_an_admonition_is_a_block_quote_under_its_title_in_cells_and_outputs():
    box = ":::{admonition} Offentliggjorte tal\n:class: tip\nTallene er offentliggjorte.\n:::"
    output = nbformat.v4.new_output("display_data", data={"text/markdown": ":::{important}\nVigtigt at vide.\n:::"})
    made = runnable_anywhere(notebook(markdown(box), code(output)), "da")
    assert made.cells[0].source == "> **Offentliggjorte tal**\n>\n> Tallene er offentliggjorte."
    assert made.cells[1].outputs[0].data["text/markdown"] == "> **Vigtigt**\n>\n> Vigtigt at vide."


def test_a_span_keeps_its_text_unless_it_is_print_only_and_a_link_loses_its_class():
    made = runnable_anywhere(notebook(markdown("Se [her]{.web-only}[i bogen]{.print-only} og [kilden](https://x.dk){.language-da}.")), "da")
    assert made.cells[0].source == "Se her og [kilden](https://x.dk)."


def test_print_only_cells_are_left_out_and_edition_tags_dropped():
    made = runnable_anywhere(notebook(markdown("Kun på tryk.", tags=["print-only"]), markdown("På nettet.", tags=["web-only"])), "da")
    assert [cell.source for cell in made.cells] == ["På nettet."] and "tags" not in made.cells[0].metadata


def test_a_chart_keeps_its_vega_lite_and_png_and_loses_the_site_s_drawing_and_the_pdf():
    data = {"text/html": '<div></div><script>innobarometerEmbed("#c", {});</script>', "application/pdf": "JVBE", "image/png": "iVBO",
            "application/vnd.vegalite.v6+json": {}, "text/plain": "Søjlediagram"}
    made = runnable_anywhere(notebook(code(nbformat.v4.new_output("display_data", data=data))), "da")
    assert set(made.cells[0].outputs[0].data) == {"image/png", "application/vnd.vegalite.v6+json", "text/plain"}


def test_a_table_s_html_is_kept():
    data = {"text/html": "<table><tr><td>70 %</td></tr></table>", "text/plain": "70 %"}
    made = runnable_anywhere(notebook(code(nbformat.v4.new_output("display_data", data=data))), "da")
    assert made.cells[0].outputs[0].data["text/html"] == data["text/html"]
