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


def myst_code(text: object) -> str:
    """Text as a MyST code span, shown literally and as it is: no smart quotes in HTML, no TeX
    ligatures in the PDF (a file's name with quotes or backticks). The fence is one backtick
    longer than the longest run inside; a space pads a span that starts or ends with one."""
    shown = printable(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
