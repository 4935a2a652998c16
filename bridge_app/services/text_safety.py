"""Text that came from a meeting, made safe for the formats that could execute it.

Markdown renderers pass raw HTML through, so a transcript line such as
`<img src=x onerror=...>` would run in whoever previews the exported .md. Every `&`, `<` and
`>` is written as its entity instead: Markdown shows them as the characters, no renderer
sees a tag. (The exporter emits no HTML of its own in Markdown, so nothing legitimate is lost.)
"""

from __future__ import annotations


def escape_markdown_html(markdown: str) -> str:
    """The Markdown with every HTML-significant character as an entity."""
    return markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
