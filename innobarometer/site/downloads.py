"""A notebook as the site offers it for download: executed, and readable in any Jupyter.

The notebooks are MyST Markdown, and the book reads MyST; a downloaded `.ipynb` may be opened in
plain JupyterLab or turned into HTML by nbconvert, which read CommonMark and draw what their own
renderers know. So each download is made plain:

- the values the prose pastes (`{eval}`name``) are written in, from what the notebook glued;
- MyST that CommonMark does not know is written as Markdown: an admonition as a block quote under
  its title, a span with a class as its text (print-only matter left out);
- a chart's output keeps its Vega-Lite and its PNG and loses the site's HTML, which calls the
  site's script and which JupyterLab would prefer to either;
- in the English edition, every paragraph, heading and list item is the English of the
  catalogues (the same translation the English pages show).
"""

from __future__ import annotations

import re

from innobarometer.site.editions import EDITION_TAGS
from innobarometer.site.translations import folded
from innobarometer.text.language import DANISH, _, speaking, translations

#: A value the prose pastes: `{eval}`name`` (or another page's, `{eval}`page.md::name``).
EVAL = re.compile(r"\{eval\}`(?:[^`]*?::)?([\w.]+)`")
#: A span with a class, `[text]{.web-only}`; and a class given to a link, `[title](url){.language-da}`.
SPAN = re.compile(r"\[([^\]]*)\]\{\.([\w-]+)\}")
LINK_CLASS = re.compile(r"(\]\([^)]*\))\{\.[\w-]+\}")
#: An admonition: its fence, its kind, its title, its options and its body.
ADMONITION = re.compile(r"^(:{3,})\{(admonition|important|note|tip|warning)\}[ \t]*([^\n]*)\n((?::\w+:[^\n]*\n)*)(.*?)\n\1[ \t]*$", re.MULTILINE | re.DOTALL)


def admonition_title(kind: str, language: str) -> str:
    """An admonition's own title in an edition's language ('' for a kind without one)."""
    with speaking(language):
        return {"important": _("Vigtigt"), "note": _("Note"), "tip": _("Tip"), "warning": _("Advarsel")}.get(kind, "")


def runnable_anywhere(notebook, language: str):
    """The executed notebook as its download: plain Markdown in the edition's language, values
    written in, charts that JupyterLab and nbconvert draw. Same input, same bytes."""
    values = glued_texts(notebook)
    catalogue = translations(language) if language != DANISH else {}  # the catalogues' messages, folded as Sphinx folds them
    kept = []
    for number, cell in enumerate(notebook.cells):
        if "print-only" in cell.metadata.get("tags", []):
            continue
        cell.metadata.pop("tags", None) if set(cell.metadata.get("tags", [])) <= set(EDITION_TAGS) else None
        cell.id = f"cell-{number}"  # the reader gives new random ids on every read
        if cell.cell_type == "markdown":
            source = translated(cell.source, catalogue) if catalogue else cell.source
            cell.source = plain_markdown(EVAL.sub(lambda m: values.get(m[1], m[0]), source), language)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            # The print edition's chart: vl-convert names each execution's font subsets differently,
            # and the reader of a notebook needs none.
            for mime in [m for m in data if m.endswith("application/pdf")]:
                del data[mime]
            if "innobarometerEmbed" in data.get("text/html", ""):
                del data["text/html"]  # the site's drawing: JupyterLab draws the Vega-Lite or the PNG
            if "text/markdown" in data:
                data["text/markdown"] = plain_markdown(data["text/markdown"], language)
        kept.append(cell)
    notebook.cells = kept
    return notebook


def glued_texts(notebook) -> dict[str, str]:
    """What the notebook glued, by name, as text to write into prose (Markdown where it is)."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            prefix = record.get("mime_prefix", "")
            data = {mime.removeprefix(prefix): value for mime, value in output.get("data", {}).items()}
            text = data.get("text/markdown", data.get("text/plain"))
            if isinstance(text, str):
                found[record["name"]] = text
    return found


def plain_markdown(source: str, language: str) -> str:
    """MyST as Markdown that any Jupyter reads (see the module's docstring)."""

    def quoted(match: re.Match) -> str:
        title = match[3].strip() or admonition_title(match[2], language)
        body = match[5].strip("\n")
        lines = ([f"**{title}**", ""] if title else []) + body.splitlines()
        return "\n".join(f"> {line}".rstrip() for line in lines)

    source = ADMONITION.sub(quoted, source)
    source = SPAN.sub(lambda m: "" if m[2] == "print-only" else m[1], source)
    return LINK_CLASS.sub(r"\1", source)


#: How a block of Markdown opens: a heading, a list item; a fence of code or of a formula, whose
#: lines are kept as they are; a directive's opening and closing, its option lines.
HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
ITEM = re.compile(r"^(\s*(?:[-*+]|\d+\.)\s+)")
VERBATIM = re.compile(r"^\s*(`{3,}|~{3,}|\$\$)")
DIRECTIVE = re.compile(r"^\s*:{3,}(\{[\w:-]+\})?.*$|^\s*:\w+:")


def translated(source: str, catalogue: dict[str, str]) -> str:
    """A Markdown cell with each paragraph, heading and list item replaced by its translation;
    code and formulas as they are, and a directive's options too."""
    out, block, verbatim = [], [], None

    def flush():
        if block:
            out.extend(translated_block(block, catalogue))
            block.clear()

    for line in source.splitlines():
        if verbatim:
            out.append(line)
            if line.strip() == verbatim:
                verbatim = None
            continue
        opening = VERBATIM.match(line)
        if opening or DIRECTIVE.match(line) or not line.strip():
            flush()
            if opening and not (opening[1] == "$$" and line.strip() != "$$"):
                verbatim = opening[1]
            out.append(directive_opening(line, catalogue) if DIRECTIVE.match(line) else line)
            continue
        if HEADING.match(line) or ITEM.match(line):
            flush()
        block.append(line)
        if HEADING.match(line):
            flush()
    flush()
    return "\n".join(out)


def directive_opening(line: str, catalogue: dict[str, str]) -> str:
    """`:::{admonition} Title` with its title translated."""
    match = re.match(r"^(\s*:{3,}\{[\w:-]+\}\s*)(.*)$", line)
    if not match or not match[2]:
        return line
    return match[1] + catalogue.get(folded(match[2]), match[2])


def translated_block(lines: list[str], catalogue: dict[str, str]) -> list[str]:
    """A heading, a list item (with its continuation lines) or a paragraph, in translation."""
    first = lines[0]
    heading = HEADING.match(first)
    if heading:
        return [heading[1] + catalogue.get(folded(heading[2]), heading[2])]
    item = ITEM.match(first)
    lead = item[1] if item else ""
    text = folded(" ".join(lines)[len(lead):] if item else " ".join(lines))
    if text in catalogue:
        return [lead + catalogue[text]]
    return lines
