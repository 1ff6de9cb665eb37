"""The book's Sphinx extension: wires the site's assets, pages, directives and print edition;
what replaces a part of the framework is in `framework`, each with why."""

from __future__ import annotations

from innobarometer.presentation import formulas
from innobarometer.site import directives, editions, framework, print_edition, site_assets, site_pages


def edition_tag(app, config) -> None:
    """The edition's language as a tag, for what only one edition has: `:::{only} en`."""
    app.tags.add(config.language)


def toc_captions_in_the_editions_language(app, doctree) -> None:
    """The parts of the table of contents under their names in the edition's language (`toc_captions`)."""
    from sphinx import addnodes

    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption") in app.config.toc_captions:
            toctree["caption"] = app.config.toc_captions[toctree["caption"]]


def setup(app):
    app.connect("doctree-resolved", framework.code_toggles_named_by_their_text)
    app.connect("config-inited", editions.edition_language_matches)
    app.connect("config-inited", site_pages.theme_options)
    app.connect("config-inited", edition_tag)
    app.add_config_value("toc_captions", {}, "env")
    app.connect("doctree-read", toc_captions_in_the_editions_language)
    app.add_search_language(framework.danish_search_language())
    app.add_builder(framework.HTMLBuilder, override=True)
    app.connect("doctree-resolved", site_pages.run_it_yourself)
    app.connect("doctree-resolved", editions.quotes_once)
    app.add_node(directives.verification_placeholder)
    app.add_directive("verification-table", directives.VerificationTable)
    app.connect("doctree-resolved", directives.fill_verification_tables)
    app.connect("html-page-context", site_pages.page_context)
    print_edition.setup(app)
    formulas.setup(app)
    app.add_directive("data-note", directives.DataNote)
    app.add_role("eval", framework.pasted_value_role(), override=True)
    app.add_js_file(site_assets.BOOK_SCRIPT)
    app.connect("builder-inited", site_assets.write_scripts)
    app.connect("build-finished", site_assets.remove_unused_static_files)
    app.connect("build-finished", site_pages.finish_site)
    app.connect("env-get-outdated", directives.pages_pasting_from_other_pages)
    app.connect("env-before-read-docs", directives.pasting_pages_last)
    app.add_directive("paste-figure", directives.pasted_figure_directive())
    app.add_directive("paste-md", directives.pasted_markdown_directive())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
