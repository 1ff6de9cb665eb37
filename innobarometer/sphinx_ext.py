"""Sphinx extension: serve the vega bundle from the site itself, so charts draw with no network."""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from innobarometer.charts import LOCALE
from innobarometer.paths import PDF_NAME

BUNDLE = "innobarometer/vega-bundle.js"


def own_scripts() -> str:
    """The book's figure and share behaviour, and the embed options every chart uses."""
    import vl_convert

    options = {
        "renderer": "svg",  # the SVG renderer turns a chart's description into an ARIA label
        "formatLocale": vl_convert.get_format_locale(LOCALE),
        "timeFormatLocale": vl_convert.get_time_format_locale(LOCALE),
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "i18n": {"SVG_ACTION": "Gem som SVG", "PNG_ACTION": "Gem som PNG", "CLICK_TO_VIEW_ACTIONS": "Vis handlinger"},
    }
    scripts = [(Path(__file__).parent / "static" / name).read_text(encoding="utf-8") for name in ("figures.js", "accessibility.js")]
    return "\n".join(scripts) + f"\nwindow.innobarometerEmbedOptions = {json.dumps(options)};\n"


def write_bundle(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / BUNDLE
    import vl_convert

    # Bundling takes seconds: keep vl-convert's part by version; our own script is appended each time.
    cache = Path(app.doctreedir) / f"vega-bundle-{vl_convert.__version__}.js"
    if not cache.exists():
        cache.write_text("(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(cache.read_text(encoding="utf-8") + own_scripts(), encoding="utf-8")


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
    """`{data-note}`: the standing note on where a page's numbers come from (synthetic or real)."""

    def run(self):
        from innobarometer.notes import data_note

        container = nodes.container()
        self.state.nested_parse(StringList(data_note().splitlines(), source=self.get_source_info()[0]), self.content_offset, container)
        return container.children


LONG_TABLE_ROWS = 12
COLUMN_PADDING = 3  # characters' worth of LaTeX's space between columns


def print_edition(app, doctree, docname) -> None:
    """Make the LaTeX doctree a publication rather than a printed web page.

    Code cells' source stays in the web edition only (the PDF shows what it computes); share
    links point into the web page and mean nothing on paper; every table may break across
    pages when it is long.
    """
    if app.builder.format != "latex":
        return
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.container) and "cell_input" in n["classes"])):
        node.parent.remove(node)
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.reference) and "share" in n["classes"])):
        paragraph = node.parent
        paragraph.remove(node)
        if isinstance(paragraph, nodes.paragraph) and not paragraph.astext().strip():
            paragraph.parent.remove(paragraph)
    for table in doctree.findall(nodes.table):
        table["classes"].append("colwidths-given")
        if len(list(table.findall(nodes.row))) > LONG_TABLE_ROWS:
            table["classes"].append("longtable")
        for colspec, width in zip(table.findall(nodes.colspec), column_widths(table)):
            colspec["colwidth"] = width


def column_widths(table: nodes.table) -> list[int]:
    """Relative column widths from the longest word and the typical cell length of each column,
    so that numbers stay on one line and text columns get the room."""
    rows = [row for row in table.findall(nodes.row)]
    columns = max(len(row.children) for row in rows)
    widths = []
    for i in range(columns):
        # The body only: headers may wrap. Non-breaking spaces keep "< 0,001" and "70 %" whole.
        cells = [row.children[i].astext() for row in rows[1:] if i < len(row.children)] or [""]
        longest_word = max((len(w) for cell in cells for w in cell.split(" ")), default=1)
        typical = sorted(len(cell) for cell in cells)[len(cells) // 2]
        widths.append(max(longest_word, min(typical, 24), 4) + COLUMN_PADDING)
    return widths


def page_context(app, pagename, templatename, context, doctree) -> None:
    """Every page: a link to the PDF edition, and no live-code (thebe) scripts.

    Jupyter Book always loads sphinx-thebe, which names a CDN and declares its globals twice
    (a console error on every page); the static book runs no code, so it is left out.
    """
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [f for f in context[key] if "thebe" not in str(f.filename) and "THEBE" not in str(getattr(f, "attributes", {}).get("body", ""))]
    href = context["pathto"](PDF_NAME, 1)
    context["theme_announcement"] = f'<a class="pdf-download" href="{href}" download>Download kapitlet som PDF</a>'


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
        placeholder.replace_self(verification_table_node(table, verification.STATUS_DA))


def verification_table_node(table, status_labels) -> nodes.table:
    """The comparison as a docutils table (typeset by every builder), sources as links."""
    headers = ["Statistik", "Beregnet", "Offentliggjort", "Kilde", "Status"]
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
        source = nodes.reference("", "kilde", refuri=row.source) if row.source else nodes.Text("")
        body += _row([nodes.literal(text=statistic), nodes.Text(row.computed), nodes.Text(row.published), source, nodes.Text(status_labels[row.status])])
    return node


def _row(cells) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", content)
        row += entry
    return row


def setup(app):
    app.add_node(verification_placeholder)
    app.add_directive("verification-table", VerificationTable)
    app.connect("doctree-resolved", fill_verification_tables)
    app.connect("html-page-context", page_context)
    app.connect("doctree-resolved", print_edition)
    app.add_directive("data-note", DataNote)
    app.add_js_file(BUNDLE)
    app.connect("build-finished", write_bundle)
    app.connect("env-get-outdated", pages_pasting_from_other_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
