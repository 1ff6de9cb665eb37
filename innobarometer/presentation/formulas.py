"""The formulas of the web edition, written as MathML when the book is built.

The reader's browser draws MathML itself: no script to run, nothing loaded from another host
(Sphinx's default renderer, MathJax, comes from a CDN and weighs a megabyte). Registered as
Sphinx's HTML math renderer `mathml` (`html_math_renderer` in _config.yml); the PDF typesets the
same LaTeX with LaTeX.
"""

from __future__ import annotations

from docutils import nodes


def mathml(latex: str, display: bool) -> str:
    from latex2mathml.converter import convert

    return convert(latex, display="block" if display else "inline")


def visit_inline(self, node) -> None:
    self.body.append(mathml(node.astext(), display=False))
    raise nodes.SkipNode


def visit_block(self, node) -> None:
    # Focusable: a formula wider than a phone's column scrolls within itself, by keyboard too.
    self.body.append(f'<div class="math notranslate" tabindex="0">{mathml(node.astext(), display=True)}</div>\n')
    raise nodes.SkipNode


def setup(app) -> None:
    app.add_html_math_renderer("mathml", (visit_inline, None), (visit_block, None))
