"""The English edition's translation: one gettext catalogue per page, `locale/en/LC_MESSAGES/<page>.po`.

`python -m innobarometer.site.translations` (`make translations`) extracts every page's messages with
Sphinx's gettext builder and merges them into the catalogues with Babel: a new paragraph comes in
untranslated, a changed one keeps its old translation marked fuzzy, a removed one goes. Translate
the empty and fuzzy entries, then build; the English edition's Sphinx build compiles the
catalogues itself. `--check` changes nothing and fails, naming them, on messages without a
translation, fuzzy ones, and catalogues that the pages have left behind.

A message is a paragraph, heading, list item or caption of a page's own Markdown, or a text its
code marks `_("…")` (innobarometer.text.language translates those as the notebook runs in English).
The kit's and the chapter's code mark their texts the same way; each package has a catalogue of
its own: the kit's travels with it (`innobarometer/locale/en/LC_MESSAGES/innobarometer.po`), the
chapter's is beside its pages' (`locale/en/LC_MESSAGES/organiser_smartere.po`).
A translation names a glued value as its page does: `{eval}`key`` (its own page's) or
`{eval}`../notebooks/innovationstyper.md::key`` (another page's).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from innobarometer.data.publication import identity, said
from innobarometer.paths import BUILD, ROOT, toc_files
from innobarometer.text.escape import printable
from innobarometer.text.language import DANISH

CATALOGUES = ROOT / "locale" / "en" / "LC_MESSAGES"
#: The kit's own catalogue travels with the kit: `innobarometer/locale/en/LC_MESSAGES/innobarometer.po`.
KIT = "innobarometer"
KIT_CATALOGUES = ROOT / KIT / "locale" / "en" / "LC_MESSAGES"
EXTRACTED = BUILD / "gettext"
#: Blocks that are not messages: what only the English edition has (a quote's translation, in
#: English already), and a quote in its original language (`:::{div} language-da`), which
#: both editions print as it was said.
NOT_MESSAGES = re.compile(r"^(:{3,})\{(?:only\} en|div\} language-\w+)\n.*?^\1\n", re.MULTILINE | re.DOTALL)


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(page: Path) -> str:
    """A page's Danish Markdown, where every message must be found: its code and the blocks that
    are not messages left out (a table glued from code is made in both languages already)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    markdown = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    return folded(NOT_MESSAGES.sub("", markdown + "\n"))


#: A block that pastes what the code glued: its text (a table's cells) is located at this line.
GLUED_BLOCK = re.compile(r"^\s*(`{3,}|:{3,})\{(?:glue|paste-md)\}\s")
#: The opening line of a code cell and of a displayed formula.
CODE_CELL = re.compile(r"^(`{3,})\{code-cell\}")
MATH = re.compile(r"^\s*\$\$")


def not_prose_lines(page: Path) -> set[int]:
    """The lines of a page whose text is not its own prose: a glued block's (what the code made,
    in the edition's language already), a code cell's with its outputs (the same), and a
    displayed formula's (the same in every language)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found, closing = set(), None
    for number, line in enumerate(lines, start=1):
        if closing is not None:
            found.add(number)
            if line.strip() == closing:
                closing = None
        elif GLUED_BLOCK.match(line):
            found.add(number)
        elif match := CODE_CELL.match(line):
            found.add(number)
            closing = match[1]
        elif MATH.match(line):
            found.add(number)
            closing = "$$" if line.strip() == "$$" else None
    return found


def extracted() -> dict[str, Catalog]:
    """Every page's messages as Sphinx's gettext builder extracts them, keyed by page (book/index)."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--builder", "custom", "--custom-builder", "gettext",
        "--path-output", str(EXTRACTED), "-W", "-n", "--keep-going",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"extracting the pages' messages failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    templates = {}
    for page in toc_files():
        name = page.relative_to(ROOT).with_suffix("").as_posix()
        with open(EXTRACTED / "_build" / "gettext" / f"{name}.pot", "rb") as file:
            template = read_po(file)
        own, not_prose = page_text(page), not_prose_lines(page)
        kept = Catalog(locale="en", domain=name)
        for message in template:
            lines = {line for _, line in message.locations}
            if message.id and folded(message.id) in own and not lines <= not_prose:
                kept.add(message.id, locations=[(f"{name}.md", None)])
        for message in code_messages(page):
            kept.add(message, locations=[(f"{name}.md", None)], auto_comments=["in the code"])
        templates[name] = kept
    for package in packages():
        templates[package] = package_messages(package)
    return templates


def packages() -> list[str]:
    """The packages whose code writes prose: the kit and the chapter's own."""
    return [KIT, identity()["chapter"]]


def package_messages(package: str) -> Catalog:
    """The texts a package's code marks for translation, `_("…")`."""
    found = Catalog(locale="en", domain=package)
    for path in sorted((ROOT / package).rglob("*.py")):
        for message in marked_texts(path.read_text(encoding="utf-8")):
            found.add(message, locations=[(path.relative_to(ROOT).as_posix(), None)])
    return found


def marked_texts(code: str) -> list[str]:
    """The texts Python code marks for translation, `_("…")`, in order, once each: read from its
    syntax tree, so that a mark inside an f-string counts too (Babel's extractor misses those)."""
    import ast

    calls = [
        node
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
        and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ]
    return list(dict.fromkeys(call.args[0].value for call in sorted(calls, key=lambda call: (call.lineno, call.col_offset))))


def code_messages(page: Path) -> list[str]:
    """The texts a notebook's code marks for translation, `_("…")`."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return marked_texts(code)


def catalogue_path(name: str) -> Path:
    return (KIT_CATALOGUES if name == KIT else CATALOGUES) / f"{name}.po"


def read_catalogue(name: str) -> Catalog:
    path = catalogue_path(name)
    if not path.exists():
        return Catalog(locale="en", domain=name, project=said("title", DANISH), copyright_holder=f"{said('publisher', DANISH)} (original)")
    with open(path, "rb") as file:
        return read_po(file, locale="en")


def catalogue_bytes(catalogue: Catalog) -> bytes:
    for message in catalogue:
        message.flags = {flag for flag in message.flags if flag == "fuzzy"}  # no format flags: these are not format strings
    output = io.BytesIO()
    write_po(output, catalogue, width=100, omit_header=False, include_previous=True)
    return output.getvalue()


HEADER = "# The English edition's translation of a page of the book (innobarometer/site/translations.py)."
KIT_HEADER = "# The English of the texts the publication kit writes (innobarometer/site/translations.py)."


def updated(name: str, template: Catalog) -> Catalog:
    catalogue = read_catalogue(name)
    catalogue.update(template, update_header_comment=False, update_creation_date=False)
    catalogue.header_comment = KIT_HEADER if name == KIT else HEADER
    catalogue.project, catalogue.version = (KIT if name == KIT else said("title", DANISH)), "1"
    catalogue.msgid_bugs_address = catalogue.last_translator = "the editors of the book"
    catalogue.language_team = "English"
    catalogue.obsolete.clear()  # a removed paragraph's translation goes with it
    return catalogue


def problems(name: str, catalogue: Catalog) -> list[str]:
    """The messages of a catalogue that the English edition would show in Danish."""
    found = []
    for message in catalogue:
        if not message.id:
            continue
        if not message.string:
            found.append(f"{name}.po: untranslated: {printable(message.id[:80])!r}")
        elif message.fuzzy:
            found.append(f"{name}.po: fuzzy (its Danish changed; check the translation): {printable(message.id[:80])!r}")
    return found


def main(arguments: list[str]) -> int:
    check = "--check" in arguments
    found = []
    for name, template in extracted().items():
        catalogue = updated(name, template)
        content = catalogue_bytes(catalogue)
        path = catalogue_path(name)
        if check:
            if not path.exists() or path.read_bytes() != content:
                found.append(f"{name}.po: behind its page: run `make translations`")
        elif not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            print(f"updated {path.relative_to(ROOT)}")
        found += problems(name, catalogue)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
