"""The site's own assets: one vega for both editions, loaded by the book's script when a reader
asks for it."""

import re

from innobarometer.site_assets import VEGA_BUILD, VEGA_PLACEHOLDER, book_script, vega_runtime


def test_vega_is_the_same_file_in_both_editions_the_charts_carry_their_number_format():
    assert vega_runtime() == VEGA_BUILD.read_text(encoding="utf-8")  # no edition's locale appended


def test_the_book_script_names_vega_with_its_digest():
    script = book_script("vega 1")
    assert VEGA_PLACEHOLDER not in script
    name = re.search(r'"(vega\.js\?v=[0-9a-f]{8})"', script).group(1)
    assert name != re.search(r'"(vega\.js\?v=[0-9a-f]{8})"', book_script("vega 2")).group(1)  # a new vega, a new name
