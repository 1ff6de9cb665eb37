"""What every page of the web edition carries beyond its content: description, PDF link, the
other edition's page, the executed notebook to download, the root page, theme texts and search."""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes

from innobarometer.paths import pdf_name
from innobarometer.site import editions, source_archive
from innobarometer.site.framework import add_danish_search_count, add_danish_to_copy_button
from innobarometer.site.site_assets import DESIGN_ASSETS
from innobarometer.text.language import LANGUAGES, _, language


def finish_site(app, exception) -> None:
    """After the pages: each notebook's executed .ipynb, the root page, Danish in the copy button
    and in the search page's count of results."""
    if exception is not None or app.builder.format != "html":
        return
    copy_executed_notebooks(app)
    write_root_redirect(app)
    add_danish_to_copy_button(Path(app.outdir) / "_static" / "copybutton.js")
    add_danish_search_count(Path(app.outdir) / "_static" / "translations.js")


def page_context(app, pagename, templatename, context, doctree) -> None:
    """Every page: a link to the PDF edition, a description, and not sphinx-design's assets (vega
    is loaded by figures.js when a reader asks a chart for what only vega can draw)."""
    if doctree is not None:
        context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(page_description(doctree))}">'
    for key in ("script_files", "css_files"):
        if key in context:  # in place: the builder's list
            context[key][:] = [f for f in context[key] if Path(str(f.filename)).name not in DESIGN_ASSETS]
    href = context["pathto"](pdf_name(app.config.language), 1)
    download = _("Download kapitlet som PDF")
    context["theme_announcement"] = f'<a class="pdf-download" href="{href}" download>{download}</a>' + edition_switch(pagename)
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{edition}" href="{edition_page(pagename, edition)}">' for edition in LANGUAGES
    )


#: The link to the other edition, in the other edition's language.
OTHER_EDITION = {"da": ("en", "Read in English"), "en": ("da", "Læs på dansk")}


def site_root(pagename: str) -> str:
    """The way up from a page of the edition being built to the site's root ('' or '../...')."""
    return "../" * (pagename.count("/") + editions.FOLDER[language()].count("/"))


def edition_page(pagename: str, language: str) -> str:
    """The address of this page in an edition, relative to this page in the current edition."""
    return html.escape(f"{site_root(pagename)}{editions.FOLDER[language]}{pagename}.html")


def edition_switch(pagename: str) -> str:
    """A link to the same page in the other edition, marked with that edition's language."""
    other, label = OTHER_EDITION[language()]
    return f' <a class="edition-switch" href="{edition_page(pagename, other)}" hreflang="{other}" lang="{other}">{label}</a>'


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
    return root_description()


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
        f'<h2 id="kor-selv">{_("Kør selv")}</h2>\n'
        f'<p><a class="figure-tool" href="{name}.ipynb" download>{_("Download notesbogen")} (.ipynb)</a> '
        + _("med koden og dens resultater fra denne udgave.") + "</p>\n<p>"
        + f'<a class="figure-tool" href="{site_root(docname)}{source_archive.NAME}" download>{_("Hent bogens kildekode")}</a> '
        + f"({source_archive.NAME}), "
        + _("og åbn notesbogen i JupyterLab med én kommando i dens mappe "
               "(den installerer de faste versioner første gang):") + "</p>\n"
        f"<pre><code>make lab NOTEBOOK={source}.md</code></pre>\n"
        + (choosing_the_data(source) if reads_microdata(doctree) else "")
        + "</aside>"
    )
    doctree.append(nodes.raw("", markup, format="html"))


def reads_microdata(doctree) -> bool:
    """Whether the page's code loads the microdata (the cases and the development over time use
    published numbers only, so which data file is chosen does not concern them)."""
    return any("load_microdata(" in block.astext() for block in doctree.findall(nodes.literal_block))


def choosing_the_data(source: str) -> str:
    """The "Kør selv" paragraph on which data the notebook reads and how to choose another file."""
    return (
        f"<p>{html.escape(data_switch_note())} "
        + _("Miljøvariablen <code>INNOBAROMETER_DATA</code> vælger mikrodatafilen, fx")
        + f" <code>INNOBAROMETER_DATA={_('/sti/til/data.csv')} make lab NOTEBOOK={source}.md</code> "
        + _("(se <code>innobarometer/paths.py</code>).") + "</p>\n"
    )


def write_root_redirect(app) -> None:
    """The edition's root page: to the first page, in its language, with the book's icon and
    description (the table-of-contents extension's bare redirect has neither, so browsers ask
    for /favicon.ico and get a 404)."""
    first = html.escape(f"{app.config.root_doc}.html")
    title = html.escape(app.config.html_title)  # the book's title (Jupyter Book leaves `project` unset)
    (Path(app.outdir) / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Refresh" content="0; url={first}">\n<title>{title}</title>\n'
        f'<meta name="description" content="{html.escape(root_description())}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="_static/favicon.svg">\n</head>\n'
        f'<body><main><p><a href="{first}">{_("Gå til")} {title}</a></p></main></body>\n</html>\n',
        encoding="utf-8",
    )


def root_description() -> str:
    from innobarometer.data.publication import said

    return f"{said('title')}: {said('subtitle')}."


def data_switch_note() -> str:
    """Which data this edition's numbers come from, for the "Kør selv" ("Run it yourself") note."""
    from innobarometer.paths import uses_synthetic_data
    from innobarometer.presentation.notes import file_label

    if uses_synthetic_data():
        return _("Uden andet valg regner notesbogen på bogens syntetiske datasæt.")
    return _("Denne udgave er beregnet fra mikrodatafilen {file}.").format(file=file_label())


def copy_executed_notebooks(app) -> None:
    """Each notebook page's executed notebook, next to the page, as it reads in any Jupyter
    (`downloads.runnable_anywhere`): its code cells with the outputs of this edition's
    execution, from its execution cache (myst-nb's own copy has no outputs)."""
    import nbformat
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    from innobarometer.paths import execution_cache
    from innobarometer.site.downloads import runnable_anywhere

    cache = get_cache(str(execution_cache(app.config.language)))
    for docname in sorted(app.env.found_docs):
        if not is_notebook(app.env, docname):
            continue
        path = Path(app.env.doc2path(docname))
        source = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))  # as written, its cells' tags kept
        _, notebook = cache.merge_match_into_notebook(source, cell_meta=[])  # no run timings: same bytes each build
        notebook = runnable_anywhere(notebook, app.config.language)
        nbformat.write(notebook, Path(app.outdir) / f"{docname}.ipynb")


def theme_options(app, config) -> None:
    """The theme's options that Jupyter Book's _config.yml cannot set: the search text in the
    edition's language, and no download menu (it offers the Markdown source and a browser print;
    notebook pages offer their notebook, every page the PDF)."""
    config.html_theme_options.update({"search_bar_text": _("Søg i bogen …"), "use_download_button": False})
    # No top navbar: its hidden menu button came first in the page, so the theme scripts bound
    # the visible one in the article header to nothing, and it repeated the search box.
    config.html_theme_options.update({f"navbar_{part}": [] for part in ("start", "center", "end", "persistent")})
