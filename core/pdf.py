"""The one PDF renderer: HTML to PDF bytes with WeasyPrint."""

from __future__ import annotations


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The HTML document as PDF bytes; `base_url` resolves relative links (images, style sheets)."""
    # WeasyPrint takes about a second to import (fonts, cairo): imported on first use so that
    # processes that never print (the web workers' start, most commands) do not pay for it.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
