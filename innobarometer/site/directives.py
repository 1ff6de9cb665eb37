"""The book's directives, `{data-note}`, `{verification-table}`, `{paste-figure}` and `{paste-md}`,
and the pages that paste numbers and figures from other pages' executions."""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from innobarometer.paths import RECORDED_STATISTICS
from innobarometer.site import print_edition
from innobarometer.text.formatting import number
from innobarometer.text.language import _

# Pages whose content comes from other pages' executions: pasted glue and the verification table.
CROSS_DOCUMENT_GLUE = re.compile(r"\{(?:glue[^}]*|eval)\}`[^`]*::|\{(?:paste-figure|paste-md)\}\s+\S*::|:doc:|\{verification-table\}")


def pastes_from_other_pages(env, docname: str) -> bool:
    source = Path(env.doc2path(docname))
    return source.suffix == ".md" and bool(CROSS_DOCUMENT_GLUE.search(source.read_text(encoding="utf-8")))


def pasting_pages_last(app, env, docnames: list[str]) -> None:
    """Read the pages that paste from other pages after those pages (Sphinx's `env-before-read-docs`
    lets the order be changed): a figure is pasted as it is read, from the glue cache that myst-nb
    writes as it reads the notebook."""
    pasting = [d for d in docnames if pastes_from_other_pages(env, d)]
    docnames[:] = [d for d in docnames if d not in pasting] + pasting


def pages_pasting_from_other_pages(app, env, added, changed, removed) -> list[str]:
    """Re-read pages that paste glue from another page whenever any page changed.

    Sphinx does not know that a pasted number depends on another page's execution.
    """
    if not (added or changed or removed):
        return []
    return [docname for docname in env.found_docs if pastes_from_other_pages(env, docname)]


class DataNote(SphinxDirective):
    """`{data-note}`: the standing note on where a page's numbers come from (synthetic or real).

    `{data-note} verification` gives the verification page's version: what a match proves.
    Both are written in the language of the edition being built.
    """

    optional_arguments = 1

    def run(self):
        from innobarometer.presentation.notes import data_note

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
    """The comparison, from the statistics record the execution wrote. A Sphinx build of the pages
    alone (`jupyter-book build`, `make translations`' extraction) has none: the page then says
    where the comparison comes from (the book's own build stops at its audit without the record)."""
    placeholders = list(doctree.findall(verification_placeholder))
    if not placeholders:
        return
    from innobarometer.data import published
    from innobarometer.estimates import statistics_record
    from innobarometer.presentation import verification

    if not RECORDED_STATISTICS.exists():
        for placeholder in placeholders:
            placeholder.replace_self(nodes.paragraph("", _("Sammenligningen laves, når bogen bygges med make book.")))
        return
    stats = statistics_record.read(RECORDED_STATISTICS)
    table = verification.comparison(stats, published.facts())
    for placeholder in placeholders:
        if app.builder.format == "latex":
            placeholder.replace_self(print_edition.verification_appendix(table, published.facts(), verification.status_labels()))
        else:
            placeholder.replace_self(verification_web(table, published.facts(), verification.status_labels()))


def verification_web(table, facts, status_labels) -> list[nodes.Node]:
    """The comparison for the web: each published figure by name, with its statistic's id, then
    the statistics without a published counterpart, folded away for the analyst who wants them."""
    compared, unpublished = table[table["status"] != "unpublished"], table[table["status"] == "unpublished"]
    parts = [verification_table_node(compared, facts, status_labels)]
    if len(unpublished):
        count = len(unpublished)
        summary = (
            _("{count} beregnet tal uden offentliggjort modstykke (også i statistics.csv)")
            if count == 1
            else _("{count} beregnede tal uden offentliggjort modstykke (også i statistics.csv)")
        ).format(count=number(count))
        parts += [
            nodes.raw("", f'<details class="unpublished-statistics"><summary>{html.escape(summary)}</summary>', format="html"),
            unpublished_table_node(unpublished),
            nodes.raw("", "</details>", format="html"),
        ]
    return parts


def verification_table_node(table, facts, status_labels) -> nodes.table:
    """The comparison with the public record as a docutils table: each published figure named in
    the edition's language over its statistic's id, sources as links."""
    from innobarometer.data.published import measures
    from innobarometer.presentation.verification import comparison_headings

    headers = comparison_headings()
    body = []
    for row in table.itertuples():
        statistic = row.statistic + ("" if row.field == "value" else f" ({row.field})")
        name = [nodes.paragraph("", measures(facts.loc[row.fact])), nodes.paragraph("", "", nodes.literal(text=statistic), classes=["statistic-id"])]
        source = nodes.reference("", _("kilde"), refuri=row.source) if row.source else nodes.Text("")
        body.append([name, nodes.Text(row.computed), nodes.Text(row.published), source, nodes.Text(status_labels[row.status])])
    node = _table(headers, body, widths=(30, 10, 14, 16, 14))
    node["classes"].append("comparison")  # laid out in two lines per row on a phone (book.css)
    return node


def unpublished_table_node(table) -> nodes.table:
    """The statistics without a published counterpart: id and computed value."""
    body = [[nodes.literal(text=row.statistic), nodes.Text(row.computed)] for row in table.itertuples()]
    return _table([_("Statistik"), _("Beregnet")], body, widths=(40, 10))


def _table(headers: list[str], rows: list[list], widths: tuple[int, ...]) -> nodes.table:
    """A verification table; a cell is one inline node or a list of paragraphs."""
    node = nodes.table(classes=["verification"])
    group = nodes.tgroup(cols=len(headers))
    node += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    head += _row([nodes.Text(h) for h in headers])
    for cells in rows:
        body += _row(cells)
    return node


def _row(cells) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += content if isinstance(content, list) else nodes.paragraph("", "", content)
        row += entry
    return row


def pasting_across_pages(directive):
    """myst-nb's `{glue:figure}` or `{glue:md}` as a directive of the book's, which also pastes
    what another page glued: `page.md::key`.

    myst-nb's own directives paste from the page's notebook only; they are left as they are. What another page glued is what
    myst-nb cached as it read that page (`<page>.glue.json`, which its cross-page roles read too);
    the pasting page is read after it (`pasting_pages_last`). The other page's output is lent to
    the directive while it runs; it is not saved with this page's glue data.
    """
    from myst_nb.ext.glue.crossref import read_glue_cache

    class AcrossPages(directive):
        def run(self):
            page, separator, name = self.arguments[0].rpartition("::")
            if not separator:
                return super().run()
            env = self.document.settings.env
            glued = self.document["nb_renderer"].renderer.nb_client.glue_data
            docname = env.path2doc(env.relfn2path(page, env.docname)[1]) or page
            cached = read_glue_cache(env.mystnb_config.output_folder, docname)
            key = self.arguments[0] = f"{page}::{name}"
            if name in cached:
                glued[key] = cached[name]
            try:
                return super().run()
            finally:
                glued.pop(key, None)

    AcrossPages.__name__ = f"{directive.__name__}AcrossPages"
    return AcrossPages


def pasted_figure_directive():
    """`{paste-figure}`: `{glue:figure}` across pages (`pasting_across_pages`), with the figure's message title above
    its chart, `:title: key`, and under the title what the chart is, `:subtitle: key` (an
    illustration from a stand-in, say): texts glued on the page the figure comes from."""
    from docutils.parsers.rst import directives as options
    from myst_nb.ext.glue.directives import PasteFigureDirective
    from myst_nb.ext.glue.utils import create_pending_glue_ref

    class PastedFigure(pasting_across_pages(PasteFigureDirective)):
        option_spec = PasteFigureDirective.option_spec | {"title": options.unchanged_required, "subtitle": options.unchanged_required}

        def run(self):
            texts = [(self.options.pop(option, None), f"figure-{option}") for option in ("title", "subtitle")]
            page = self.arguments[0].rpartition("::")[0]
            pasted = super().run()
            if page and pasted and isinstance(pasted[0], nodes.figure):
                for position, (name, style) in enumerate((name, style) for name, style in texts if name):
                    reference = create_pending_glue_ref(
                        self.document, self.source, self.line, page,
                        name, inline=True, gtype="text", fmt_spec="s",
                    )
                    pasted[0].insert(position, nodes.paragraph("", "", reference, classes=[style]))
            return pasted

    return PastedFigure


def pasted_markdown_directive():
    """`{paste-md}`: `{glue:md}` across pages (`pasting_across_pages`)."""
    from myst_nb.ext.glue.directives import PasteMarkdownDirective

    return pasting_across_pages(PasteMarkdownDirective)
