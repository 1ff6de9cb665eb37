"""The print edition: the LaTeX doctree made a typeset chapter rather than a printed web page.

Pages mark what belongs to one edition only with a class: `[...]{.web-only}`, `:::{div} web-only`
or, before a heading, `{rst-class} web-only` for controls, commands and file names;
`[...]{.print-only}` or `:::{div} print-only` for what the print edition says instead. A
notebook tags its cells instead (`web-only`, `print-only`: innobarometer.site.editions.page), since
Jupyter knows none of these. Each builder drops the other edition's matter.
"""

from __future__ import annotations

import math
import re
import statistics

from docutils import nodes
from sphinx import addnodes

from innobarometer.text.formatting import NUMERIC_TEXT, UNCERTAIN_MARK, number
from innobarometer.text.language import _

WEB_ONLY = "web-only"
PRINT_ONLY = "print-only"
DATA_NOTE = "data-note"

#: Tables longer than this many lines break across pages (with the header repeated); shorter
#: ones stay whole.
LONG_TABLE_LINES = 24
#: Width of one character of table text in em, generous so that nothing runs over.
CHARACTER_EM = 0.5
#: The longest a text column asks for before it wraps, in characters.
TEXT_COLUMN_WANTS = 60
#: Table type sizes, widest first, each with the text width in its em (453 pt) and the space
#: between columns in that em (4 pt each side, set in _config.yml), less half an em to spare.
TABLE_SIZES = [("small", 44.8, 0.4), ("footnotesize", 49.8, 0.44)]

#: Where a line may break in a table cell: at spaces and after slashes.
WORD_BREAK = re.compile(r"\s+|(?<=/)")
#: A range of numbers written with a hyphen: 2015-2016, 68-72 %, 15-29-årige.
NUMBER_RANGE = re.compile(r"(?<=\d)-(?=\d)")


def drop_other_edition(app, doctree, docname) -> None:
    """Remove the matter of the edition that is not being built."""
    if app.builder.name == "gettext":
        return  # the catalogues translate both editions' matter
    drop = WEB_ONLY if app.builder.format == "latex" else PRINT_ONLY
    marks = {drop, f"tag_{drop}"}  # a class, or a notebook cell's tag
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.Element) and marks & set(n.get("classes", [])))):
        if node.parent is not None:  # not inside matter removed already
            node.parent.remove(node)


def print_edition(app, doctree, docname) -> None:
    """Make the assembled LaTeX doctree one chapter with appendices.

    Code cells' source stays in the web edition (the PDF shows what it computes); share links
    point into the web page; the data note is said once, at the start.
    """
    if app.builder.format != "latex":
        return
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.container) and "cell_input" in n["classes"])):
        node.parent.remove(node)
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.reference) and "share" in n["classes"])):
        remove_with_empty_paragraph(node)
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.Element) and DATA_NOTE in n.get("classes", [])))[1:]:
        node.parent.remove(node)
    appendices = app.config.print_appendices
    start_appendices(doctree, appendices, part_caption(app, appendices[0]) if appendices else "")
    for table in list(doctree.findall(nodes.table)):
        typeset_table(table)
    keep_pasted_values_literal(doctree)


#: What the fonts' TeX ligatures (`Ligatures=TeX`, which give the prose's ``, '' and the
#: attributions' --- their typographic forms) would change in a literal text, as LaTeX prints it as
#: it is: ` and ' as ‘ and ’, " as ”, << and >> as « and », ,, as „. (Sphinx keeps -- apart.)
LITERAL = {"`": r"\textasciigrave{}", "'": r"\textquotesingle{}", '"': r"\textquotedbl{}", "<": r"\textless{}", ">": r"\textgreater{}", ",": r",\kern0pt{}"}
#: The characters of a literal text to print with LITERAL: a comma only before another.
LIGATURE_PART = re.compile(r"""([`'"<>]|,(?=,))""")


def keep_pasted_values_literal(doctree: nodes.document) -> None:
    """Pasted values (a data file's name among them) are printed as they are, with no TeX
    ligature; the code writes its own texts' quotes typographically already."""
    for pasted in list(doctree.findall(lambda n: isinstance(n, nodes.inline) and "pasted-text" in n["classes"])):
        for text_node in list(pasted.findall(nodes.Text)):
            if LIGATURE_PART.search(text_node):
                parts = LIGATURE_PART.split(str(text_node))  # the text between, then what it split at, in turn
                text_node.parent.replace(text_node, [
                    nodes.raw("", LITERAL[part], format="latex") if i % 2 else nodes.Text(part) for i, part in enumerate(parts) if part
                ])


def remove_with_empty_paragraph(node: nodes.Node) -> None:
    paragraph = node.parent
    paragraph.remove(node)
    if isinstance(paragraph, nodes.paragraph) and not paragraph.astext().strip():
        paragraph.parent.remove(paragraph)


def start_appendices(doctree: nodes.document, appendices: list[str], heading: str = "") -> None:
    r"""Put `\appendix` before the first appendix document, so its sections are lettered A, B, ...,
    on a new page under `heading` (the part's name, also in the contents)."""
    for start in doctree.findall(addnodes.start_of_file):
        if start["docname"] in appendices:
            part = f"\\clearpage\\part*{{{heading}}}\\addcontentsline{{toc}}{{part}}{{{heading}}}\n" if heading else ""
            start.parent.insert(start.parent.index(start), nodes.raw("", part + "\\appendix\n", format="latex"))
            return


def part_caption(app, docname: str) -> str:
    """The name of the part of the table of contents (_toc.yml) that holds `docname`, in the
    edition's language, escaped for LaTeX."""
    from sphinx.util import texescape

    from innobarometer.paths import table_of_contents

    for part in table_of_contents().get("parts", []):
        if any(chapter.get("file") == docname for chapter in part.get("chapters", [])):
            caption = part.get("caption", "")
            return texescape.escape(app.config.toc_captions.get(caption, caption))
    return ""


def typeset_number_ranges(doctree: nodes.document) -> None:
    """Ranges of numbers take an en dash, on the web and in print (2015–2016, 68–72 %), as Danish
    and English typesetting have it; code and printed addresses keep their hyphens. (A hyphen
    also let a phone break a period as '2015-' and '2016'.)"""
    for piece in list(doctree.findall(nodes.Text)):
        if NUMBER_RANGE.search(piece) and not any(is_verbatim(a) for a in ancestors(piece)):
            piece.parent.replace(piece, nodes.Text(NUMBER_RANGE.sub("–", str(piece))))


def is_verbatim(node: nodes.Node) -> bool:
    """Code, raw LaTeX, or a link that prints its own address (a URL in a footnote)."""
    if isinstance(node, nodes.reference):
        return node.astext() == node.get("refuri")
    return isinstance(node, (nodes.literal, nodes.literal_block, nodes.raw))


def ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def typeset_table(table: nodes.table) -> None:
    """Column widths chosen for this table, numbers right-aligned, long tables breaking across pages."""
    rows = list(table.findall(nodes.row))
    allow_breaks_after_slashes(table)
    size, widths, numbers = table_layout(rows)
    hang_marks_in_number_columns(rows, numbers)
    if estimated_lines(rows, widths, dict((s, e) for s, e, _ in TABLE_SIZES)[size]) > LONG_TABLE_LINES:
        table["classes"].append("longtable")
    spec = "".join(f"\\{'NumberColumn' if n else 'TextColumn'}{{{w:.4f}\\linewidth}}" for w, n in zip(widths, numbers))
    parent = table.parent
    index = parent.index(table)
    parent.insert(index + 1, nodes.raw("", "\\endgroup\n", format="latex"))
    parent.insert(index, addnodes.tabular_col_spec(spec=spec))
    parent.insert(index, nodes.raw("", f"\\begingroup\\let\\printtablesize\\{size}\n", format="latex"))


def table_layout(rows: list[nodes.row]) -> tuple[str, list[float], list[bool]]:
    """The type size of a table, its column widths as shares of the line, and which columns hold numbers.

    Numbers go in right-aligned columns as wide as their longest entry, so they never wrap;
    text columns share the rest of the line in proportion to what they ask for, and each is at
    least as wide as its longest word, because nothing in a table is hyphenated. The table takes
    the largest type size at which every column gets its minimum.
    """
    columns = max(len(row.children) for row in rows)
    cells = [[row.children[i] if i < len(row.children) else nodes.entry() for row in rows] for i in range(columns)]
    least, wants, numbers = [], [], []
    for column in cells:
        header, body = cell_text(column[0]), [cell_text(c) for c in column[1:]] or [""]
        longest_word = max(len(w) for text in [header, *body] for w in WORD_BREAK.split(text))
        number = is_number_column(column[1:])
        # A number never wraps; a word in a column of numbers ("ikke testet") may.
        least.append(max([longest_word] + [len(t) for t in body if NUMERIC_TEXT.match(t)]) if number else longest_word)
        wants.append(max(longest_word, min(statistics.median(len(t) for t in body), TEXT_COLUMN_WANTS)))
        numbers.append(number)
    size, line_em, gap_em = next(
        (s for s in TABLE_SIZES if sum(least) * CHARACTER_EM + 2 * columns * s[2] <= s[1]), TABLE_SIZES[-1]
    )
    spare = line_em - 2 * columns * gap_em - sum(least) * CHARACTER_EM
    text_wants = sum(w for w, n in zip(wants, numbers) if not n) or 1
    widths = [
        (CHARACTER_EM * least[i] + (0 if numbers[i] else max(0.0, spare) * wants[i] / text_wants)) / line_em
        for i in range(columns)
    ]
    return size, widths, numbers


def hang_marks_in_number_columns(rows: list[nodes.row], numbers: list[bool]) -> None:
    """Set the mark of an uncertain estimate (76 %*) in the margin of its cell, so that the
    numbers of a column still line up on the right."""
    for row in rows[1:]:
        for entry, number_column in zip(row.children, numbers):
            texts = list(entry.findall(nodes.Text))
            if number_column and texts and str(texts[-1]).endswith(UNCERTAIN_MARK):
                last = texts[-1]
                last.parent.replace(last, [nodes.Text(str(last)[: -len(UNCERTAIN_MARK)]), nodes.raw("", f"\\rlap{{{UNCERTAIN_MARK}}}", format="latex")])


def allow_breaks_after_slashes(table: nodes.table) -> None:
    """Let a line break after a slash in a table (Proces/organisation), as it may at a space."""
    for piece in list(table.findall(nodes.Text)):
        if "/" in piece and isinstance(piece.parent, (nodes.paragraph, nodes.inline, nodes.strong, nodes.emphasis)):
            parts = str(piece).split("/")
            pieces = [nodes.Text(parts[0])]
            for part in parts[1:]:
                pieces += [nodes.Text("/"), nodes.raw("", "\\allowbreak{}", format="latex"), nodes.Text(part)]
            piece.parent.replace(piece, pieces)


def cell_text(entry: nodes.Element) -> str:
    """What a table cell prints in its column: its text without footnotes (they go under the page)
    and without LaTeX inserted here."""
    notes = (nodes.footnote, nodes.footnote_reference, nodes.raw)
    return "".join(t for t in entry.findall(nodes.Text) if not any(isinstance(a, notes) for a in ancestors(t)))


def estimated_lines(rows: list[nodes.row], widths: list[float], line_em: float) -> int:
    """How many lines a table takes at these column widths (each row as tall as its fullest cell)."""
    return sum(
        max(math.ceil(len(cell_text(cell)) * CHARACTER_EM / (width * line_em)) or 1 for cell, width in zip(row.children, widths))
        for row in rows
    )


def is_number_column(entries: list[nodes.entry]) -> bool:
    """A column the source table right-aligns (tables.markdown does so for numbers)."""
    return all("text-right" in e.get("classes", []) for e in entries) and bool(entries)


def verification_appendix(table, facts, status_labels) -> list[nodes.Node]:
    """The comparison with the public record for print: one row per published figure, named in the
    edition's language, and one sentence counting the statistics that have no published counterpart."""
    from innobarometer.data.published import measures  # pandas: only for the verification appendix
    from innobarometer.presentation.verification import comparison_headings

    compared = table[table["status"] != "unpublished"]
    headers = comparison_headings()
    rows = [
        [measures(facts.loc[row.fact]), row.computed, row.published, facts.loc[row.fact, "source_name"], status_labels[row.status]]
        for row in compared.itertuples()
    ]
    node = text_table(headers, rows, right_aligned={1, 2})
    unpublished = int((table["status"] == "unpublished").sum())
    note = nodes.paragraph("", unpublished_sentence(unpublished))
    return [node, note]


def unpublished_sentence(count: int) -> str:
    """How many computed statistics the print comparison leaves out for want of a published counterpart."""
    return (
        _("Yderligere {count} beregnet tal har intet offentliggjort modstykke og indgår ikke i sammenligningen.")
        if count == 1
        else _("Yderligere {count} beregnede tal har intet offentliggjort modstykke og indgår ikke i sammenligningen.")
    ).format(count=number(count))


def text_table(headers: list[str], rows: list[list[str]], right_aligned: set[int]) -> nodes.table:
    """A docutils table of plain text, with the alignment classes Markdown tables get."""
    table = nodes.table()
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _heading in headers:
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    for part, values in [(head, headers)] + [(body, r) for r in rows]:
        row = nodes.row()
        for i, value in enumerate(values):
            entry = nodes.entry(classes=["text-right" if i in right_aligned else "text-left"])
            entry += nodes.paragraph("", str(value))
            row += entry
        part += row
    return table


def cover_data_note(app, config) -> None:
    r"""`\bookdatanote` for the cover: where the numbers come from (the stand-in or a named file),
    in the edition's language, escaped for LaTeX (a file's name comes from outside)."""
    from sphinx.util import texescape

    from innobarometer.presentation.notes import data_note_text
    from innobarometer.text.language import speaking

    texescape.init()  # its tables, which the LaTeX builder sets up only after the configuration
    with speaking(config.language):
        # escape() leaves " for Danish to curl, and ,, to the fonts
        note = re.sub(r",(?=,)", lambda comma: LITERAL[","], texescape.escape(data_note_text()).replace('"', LITERAL['"']))
    config.latex_elements = {**config.latex_elements, "preamble": config.latex_elements.get("preamble", "") + f"\n\\newcommand{{\\bookdatanote}}{{{note}}}\n"}


def setup(app):
    app.add_config_value("print_appendices", [], "env")
    app.connect("config-inited", cover_data_note)
    app.connect("doctree-resolved", drop_other_edition)
    app.connect("doctree-resolved", print_edition)
    app.connect("doctree-resolved", lambda app, doctree, docname: typeset_number_ranges(doctree))  # every builder
