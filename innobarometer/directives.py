"""The book's directives, `{data-note}` and `{verification-table}`, and the pages that paste
numbers from other pages' executions."""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from innobarometer import print_edition
from innobarometer.editions import text

# Pages whose content comes from other pages' executions: pasted glue and the verification table.
CROSS_DOCUMENT_GLUE = re.compile(r"\{glue[^}]*\}`[^`]*::|:doc:|\{verification-table\}")


def pages_pasting_from_other_pages(app, env, added, changed, removed) -> list[str]:
    """Re-read pages that paste glue from another page whenever any page changed.

    Sphinx does not know that a pasted number depends on another page's execution.
    """
    if not (added or changed or removed):
        return []
    pasting = []
    for docname in env.found_docs:
        source = Path(env.doc2path(docname))
        if source.suffix == ".md" and CROSS_DOCUMENT_GLUE.search(source.read_text(encoding="utf-8")):
            pasting.append(docname)
    return pasting


class DataNote(SphinxDirective):
    """`{data-note}`: the standing note on where a page's numbers come from (synthetic or real).

    `{data-note} verification` gives the verification page's version: what a match proves.
    Both are written in the language of the edition being built.
    """

    optional_arguments = 1

    def run(self):
        from innobarometer.notes import data_note

        container = nodes.container()
        page = self.arguments[0] if self.arguments else ""
        self.state.nested_parse(StringList(data_note(page).splitlines(), source=self.get_source_info()[0]), self.content_offset, container)
        if not page:
            for node in container.children:
                node["classes"].append(print_edition.DATA_NOTE)  # said once in print
        return container.children


class verification_placeholder(nodes.General, nodes.Element):
    """Where the verification table goes once every notebook has run."""


class VerificationTable(SphinxDirective):
    """`{verification-table}`: computed statistics against the public record, from this build."""

    def run(self):
        return [verification_placeholder()]


def fill_verification_tables(app, doctree, docname) -> None:
    placeholders = list(doctree.findall(verification_placeholder))
    if not placeholders:
        return
    from innobarometer import published, statistics, verification

    executed = Path(app.outdir).parent / "jupyter_execute"
    stats = statistics.collect(executed).set_index("id")
    table = verification.comparison(stats, published.facts())
    for placeholder in placeholders:
        if app.builder.format == "latex":
            placeholder.replace_self(print_edition.verification_appendix(table, published.facts(), verification.status_labels()))
        else:
            placeholder.replace_self(verification_table_node(table, verification.status_labels()))


def verification_table_node(table, status_labels) -> nodes.table:
    """The comparison as a docutils table (typeset by every builder), sources as links."""
    from innobarometer.verification import comparison_headings

    headers = [text("Statistik", "Statistic"), *comparison_headings()]
    node = nodes.table(classes=["verification"])
    group = nodes.tgroup(cols=len(headers))
    node += group
    for width in (30, 10, 14, 16, 14):
        group += nodes.colspec(colwidth=width)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    head += _row([nodes.Text(h) for h in headers])
    for row in table.itertuples():
        statistic = row.statistic + ("" if row.field == "value" else f" ({row.field})")
        source = nodes.reference("", text("kilde", "source"), refuri=row.source) if row.source else nodes.Text("")
        body += _row([nodes.literal(text=statistic), nodes.Text(row.computed), nodes.Text(row.published), source, nodes.Text(status_labels[row.status])])
    return node


def _row(cells) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", content)
        row += entry
    return row
