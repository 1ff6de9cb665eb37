"""Strings from outside the repository (file names, column names, values) made safe for where
they land: the terminal, MyST (and so HTML and LaTeX), CSV opened in a spreadsheet.

HTML and LaTeX need nothing here: text reaches them as docutils text nodes or through
`html.escape`, which every writer escapes for its format.
"""

from __future__ import annotations

import re

#: Cells a spreadsheet runs as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(text: object) -> str:
    """Text safe to print on a terminal or on one line: invisible characters escaped (\\x1b, \\n).

    A file or column name may hold escape sequences, line breaks or bidirectional overrides
    that would rewrite what a terminal shows, or end a line of markup.
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def myst_text(text: object) -> str:
    """Text that MyST shows literally, as plain text, whatever characters it holds.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows it for each), so
    no backtick, bracket, brace, dollar, colon fence or HTML tag takes effect; invisible
    characters are shown escaped first, since a line break could end the paragraph around it.
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", printable(text))


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
