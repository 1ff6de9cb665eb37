"""Sphinx extension: serve the vega bundle from the site itself, so charts draw with no network."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from innobarometer import print_edition
from innobarometer.formatting import LOCALE
from innobarometer.paths import PDF_NAME, ROOT

VEGA = "innobarometer/vega.js"
VEGA_BUILD = ROOT / "node_modules" / "vega" / "build" / "vega.min.js"
BOOK_SCRIPT = "innobarometer/book.js"
CHART_MARKER = 'class="innobarometer-chart"'


def vega_runtime() -> str:
    """vega from npm (the version vl-convert compiles for), with Danish number and date formats."""
    import vl_convert

    from innobarometer.charts import format_locale

    return (
        VEGA_BUILD.read_text(encoding="utf-8")
        + f"\nvega.formatLocale({json.dumps(format_locale())});\n"
        f"vega.timeFormatLocale({json.dumps(vl_convert.get_time_format_locale(LOCALE))});\n"
    )


def book_script() -> str:
    """The book's figure, share and accessibility behaviour (every page)."""
    return "\n".join((Path(__file__).parent / "static" / name).read_text(encoding="utf-8") for name in ("figures.js", "accessibility.js"))


def write_scripts(app) -> None:
    """The book's scripts, written before any page so every page links them with the same
    checksum (`?v=`) in a clean and in an incremental build."""
    if app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_static" / "innobarometer"
    shutil.rmtree(folder, ignore_errors=True)  # nothing left over from an earlier build
    folder.mkdir(parents=True)
    (folder / Path(VEGA).name).write_text(vega_runtime(), encoding="utf-8")
    (folder / Path(BOOK_SCRIPT).name).write_text(book_script(), encoding="utf-8")


def finish_site(app, exception) -> None:
    """After the pages: each notebook's executed .ipynb, the root page, Danish in the copy button."""
    if exception is not None or app.builder.format != "html":
        return
    copy_executed_notebooks(app)
    write_root_redirect(app)
    add_danish_to_copy_button(Path(app.outdir) / "_static" / "copybutton.js")


def remove_unused_static_files(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for pattern in UNUSED_STATIC_FILES:
        for path in static.glob(pattern):
            path.unlink()


#: Files the theme and Jupyter Book copy into every site that no page of this book loads.
UNUSED_STATIC_FILES = [
    "scripts/fontawesome.js*",  # replaced by the theme's web font (see _templates/)
    "**/*.map",  # source maps of minified theme scripts
    "sphinx-thebe.*",
    "sphinx-design.min.css",
    "design-tabs.js",
    "*webpack-macros.html",  # template macros, not pages
]


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

    `{data-note} verification` gives the Verifikation page's version: what a match proves.
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


def unused_asset(asset) -> bool:
    """Assets Jupyter Book always loads that no page of this book uses.

    sphinx-thebe (live code) names a CDN and declares its globals twice, a console error on
    every page; sphinx-design's styles and tabs serve directives the book does not use.
    """
    name = str(asset.filename)
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE" in body or "sphinx-design" in name or "design-tabs" in name


def page_context(app, pagename, templatename, context, doctree) -> None:
    """Every page: a link to the PDF edition, a description, and only the assets it uses (vega
    where it has charts)."""
    if doctree is not None:
        context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(page_description(doctree))}">'
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [f for f in context[key] if not unused_asset(f)]  # in place: the builder's list
    if CHART_MARKER in context.get("body", ""):
        app.add_js_file(VEGA)  # called here, it is added to this page only
    href = context["pathto"](PDF_NAME, 1)
    context["theme_announcement"] = f'<a class="pdf-download" href="{href}" download>Download kapitlet som PDF</a>'


DESCRIPTION_LENGTH = 160


def page_description(doctree) -> str:
    """The page's first paragraph of running text (not a note box), cut at a word to ~160 characters."""
    boxed = (nodes.Admonition, nodes.container, nodes.figure, nodes.block_quote, nodes.table)
    for paragraph in doctree.findall(nodes.paragraph):
        parent, inside = paragraph.parent, False
        while parent is not None:
            inside = inside or isinstance(parent, boxed)
            parent = parent.parent
        text = " ".join(paragraph.astext().split())
        if not inside and len(text) > 40:
            return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + " …"
    return ROOT_DESCRIPTION


def is_notebook(env, docname: str) -> bool:
    return "kernelspec" in env.metadata.get(docname, {})


def run_it_yourself(app, doctree, docname) -> None:
    """Every notebook page: its executed notebook to download, and how to run it yourself."""
    if app.builder.format != "html" or not is_notebook(app.env, docname):
        return
    name = html.escape(Path(docname).name)
    source = html.escape(docname)
    markup = (
        '<aside class="run-yourself" aria-labelledby="kor-selv">\n'
        '<h2 id="kor-selv">Kør selv</h2>\n'
        f'<p><a class="figure-tool" href="{name}.ipynb" download>Download notesbogen (.ipynb)</a> '
        "med koden og dens resultater fra denne udgave.</p>\n"
        "<p>Hent bogens kildekode, og kør notesbogen i Jupyter med to kommandoer i dens mappe:</p>\n"
        f"<pre><code>make setup &amp;&amp; .venv/bin/pip install jupyterlab\n.venv/bin/jupyter lab {source}.md</code></pre>\n"
        f"<p>{html.escape(data_switch_note())} Miljøvariablen <code>INNOBAROMETER_DATA</code> vælger "
        "mikrodatafilen, fx "
        f"<code>INNOBAROMETER_DATA=/sti/til/data.csv .venv/bin/jupyter lab {source}.md</code> "
        "(se <code>innobarometer/paths.py</code>).</p>\n</aside>"
    )
    doctree.append(nodes.raw("", markup, format="html"))


COPY_BUTTON_DANISH = """  'da': {
    'copy': 'Kopiér',
    'copy_to_clipboard': 'Kopiér koden',
    'copy_success': 'Kopieret!',
    'copy_failure': 'Kunne ikke kopiere',
  },
"""


def add_danish_to_copy_button(script: Path) -> None:
    """sphinx-copybutton picks its texts by the page's language from a table without Danish: add it."""
    if script.exists():
        text = script.read_text(encoding="utf-8")
        if "'da':" not in text:
            script.write_text(text.replace("const messages = {\n", "const messages = {\n" + COPY_BUTTON_DANISH, 1), encoding="utf-8")


def write_root_redirect(app) -> None:
    """The site's root page: to the first page, in Danish, with the book's icon and description
    (the table-of-contents extension's bare redirect has neither, so browsers ask for
    /favicon.ico and get a 404)."""
    first = html.escape(f"{app.config.root_doc}.html")
    title = html.escape(app.config.project)
    (Path(app.outdir) / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Refresh" content="0; url={first}">\n<title>{title}</title>\n'
        f'<meta name="description" content="{html.escape(ROOT_DESCRIPTION)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="_static/favicon.svg">\n</head>\n'
        f'<body><main><p><a href="{first}">Gå til {title}</a></p></main></body>\n</html>\n',
        encoding="utf-8",
    )


ROOT_DESCRIPTION = "Organiser smartere: et kapitel af Innovationsbarometeret genskabt fra data."


def data_switch_note() -> str:
    """Which data this edition's numbers come from, for the "Kør selv" note."""
    from innobarometer.notes import file_label
    from innobarometer.paths import uses_synthetic_data

    if uses_synthetic_data():
        return "Uden andet valg regner notesbogen på bogens syntetiske datasæt."
    return f"Denne udgave er beregnet fra mikrodatafilen {file_label()}."


def copy_executed_notebooks(app) -> None:
    """Each notebook page's executed notebook, next to the page: its code cells with the outputs
    of this build's execution, from the execution cache (myst-nb's own copy has no outputs)."""
    import nbformat
    from jupyter_cache import get_cache

    from innobarometer.paths import EXECUTION_CACHE

    cache = get_cache(str(EXECUTION_CACHE))
    for docname in sorted(app.env.found_docs):
        if not is_notebook(app.env, docname):
            continue
        source = cache.get_project_notebook(str(Path(app.env.doc2path(docname)))).nb
        _, notebook = cache.merge_match_into_notebook(source, cell_meta=[])  # no run timings: same bytes each build
        for number, cell in enumerate(notebook.cells):
            cell.id = f"cell-{number}"  # the reader gives new random ids on every read
            for output in cell.get("outputs", []):
                # The print edition's chart (also inside glue records): vl-convert names each
                # execution's font subsets differently, and the reader of a notebook needs none.
                data = output.get("data", {})
                for mime in [m for m in data if m.endswith("application/pdf")]:
                    del data[mime]
        nbformat.write(notebook, Path(app.outdir) / f"{docname}.ipynb")


def visit_hidden_code(self, node) -> None:
    """myst-nb's collapsed code cell, named by its visible Danish text alone ("Vis beregningen")."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hidden_code(self, node) -> None:
    self.body.append("</details>\n")


def danish_theme_options(app, config) -> None:
    """The theme's options that Jupyter Book's _config.yml cannot set: Danish search text, and no
    download menu (it offers the Markdown source and a browser print; notebook pages offer
    their notebook, every page the PDF)."""
    config.html_theme_options.update({"search_bar_text": "Søg i bogen …", "use_download_button": False})
    # No top navbar: its hidden menu button came first in the page, so the theme scripts bound
    # the visible one in the article header to nothing, and it repeated the search box.
    config.html_theme_options.update({f"navbar_{part}": [] for part in ("start", "center", "end", "persistent")})


def danish_search_language():
    """Danish search whose stems meet: Snowball's Danish stemmer takes 'kvalitet' to 'kvalit' but
    'kvaliteten' to 'kvalitet', so a reader's 'kvaliteten' found nothing. Stemming twice, in the
    index and in the browser alike, brings the inflected forms to one stem."""
    from sphinx.search import da

    scripts = Path(da.__file__).parent / "minified-js"
    stemmers = "\n".join((scripts / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "danish-stemmer.js"))

    class DanishStemmedTwice(da.SearchDanish):
        js_stemmer_rawcode = ""
        js_stemmer_code = stemmers + (
            "\nvar Stemmer = function () { var once = new DanishStemmer();"
            " this.stemWord = function (word) { return once.stemWord(once.stemWord(word)); }; };\n"
        )

        def stem(self, word: str) -> str:
            return super().stem(super().stem(word))

    return DanishStemmedTwice


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
            placeholder.replace_self(print_edition.verification_appendix(table, published.facts(), verification.STATUS_DA))
        else:
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
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_code, depart_hidden_code))
    app.connect("config-inited", danish_theme_options)
    app.add_search_language(danish_search_language())
    app.connect("doctree-resolved", run_it_yourself)
    app.add_node(verification_placeholder)
    app.add_directive("verification-table", VerificationTable)
    app.connect("doctree-resolved", fill_verification_tables)
    app.connect("html-page-context", page_context)
    print_edition.setup(app)
    app.add_directive("data-note", DataNote)
    app.add_js_file(BOOK_SCRIPT)
    app.connect("builder-inited", write_scripts)
    app.connect("build-finished", remove_unused_static_files)
    app.connect("build-finished", finish_site)
    app.connect("env-get-outdated", pages_pasting_from_other_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
