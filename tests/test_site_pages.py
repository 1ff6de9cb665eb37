"""The site's own pages and files (innobarometer.site_pages), on small notebooks built in the test."""

import nbformat

from innobarometer.site_pages import drawn_in_language

HIDDEN = "application/papermill.record/"


def glued(name: str, text: str, drawn: bool):
    prefix = "" if drawn else HIDDEN
    return nbformat.v4.new_output("display_data", data={prefix + "text/plain": text}, metadata={"scrapbook": {"name": name, "mime_prefix": prefix}})


def test_the_english_download_draws_the_english_value_where_the_danish_one_was_drawn():
    outputs = [glued("share", "70 %", drawn=True), glued("share_en", "70%", drawn=False)]
    drawn_in_language(outputs, "en")
    assert outputs[0].data == {HIDDEN + "text/plain": "70 %"} and outputs[0].metadata["scrapbook"]["mime_prefix"] == HIDDEN
    assert outputs[1].data == {"text/plain": "70%"} and outputs[1].metadata["scrapbook"]["mime_prefix"] == ""


def test_a_value_glued_without_being_drawn_stays_undrawn_in_both_editions():
    outputs = [glued("n", "2.362", drawn=False), glued("n_en", "2,362", drawn=False)]
    drawn_in_language(outputs, "en")
    assert [o.metadata["scrapbook"]["mime_prefix"] for o in outputs] == [HIDDEN, HIDDEN]


def test_the_danish_download_is_left_as_executed():
    outputs = [glued("share", "70 %", drawn=True), glued("share_en", "70%", drawn=False)]
    drawn_in_language(outputs, "da")
    assert outputs[0].data == {"text/plain": "70 %"} and outputs[1].data == {HIDDEN + "text/plain": "70%"}
