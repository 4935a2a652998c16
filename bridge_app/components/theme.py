"""The theme and the few colour overrides that WCAG 2.2 AA contrast needs.

Radix's step-9 solids (green, red, blue) under white text and its step-11 text on tinted
backgrounds (amber, orange badges and callouts) fall below 4.5:1; these rules move them one or
two steps darker. Checked by axe-core in the browser tests (tests/e2e/test_review.py).
"""

from __future__ import annotations

import reflex as rx

THEME = rx.theme(accent_color="indigo", gray_color="slate", radius="medium")

A11Y_CSS = """
.rt-BaseButton.rt-variant-solid:where([data-accent-color="green"], [data-accent-color="red"],
  [data-accent-color="blue"], [data-accent-color="orange"], [data-accent-color="grass"]) {
  --accent-9: var(--accent-11);
  --accent-10: var(--accent-12);
}
.rt-Badge, .rt-CalloutRoot, .rt-Badge[data-accent-color], .rt-CalloutRoot[data-accent-color],
.rt-BaseButton:where(.rt-variant-soft, .rt-variant-outline, .rt-variant-surface,
  .rt-variant-ghost), .rt-BaseButton[data-accent-color]:where(.rt-variant-soft,
  .rt-variant-outline, .rt-variant-surface, .rt-variant-ghost) {
  --accent-a11: var(--accent-12);
  --accent-11: var(--accent-12);
}
.rt-Text[data-accent-color]:not([data-accent-color="gray"]),
.rt-Code[data-accent-color]:not([data-accent-color="gray"]) {
  color: var(--accent-12);
}
.link-button {
  display: inline-flex; align-items: center; min-height: 2rem; padding: 0 0.75rem;
  border-radius: var(--radius-2); border: 1px solid var(--accent-a8);
  color: var(--accent-12); text-decoration: none; font-weight: 500;
}
.link-button:hover { background: var(--accent-a3); }
.link-button:focus-visible, .evidence-pick:focus-visible, .ack:focus-visible {
  outline: 2px solid var(--accent-9); outline-offset: 2px;
}
html { scroll-padding-top: 5rem; }
/* A long export file name wraps inside its button instead of widening a phone's page. */
.export-row .rt-BaseButton.download-link {
  height: auto; flex-shrink: 1; min-height: var(--base-button-height); padding-block: 0.25rem;
  white-space: normal; overflow-wrap: anywhere; text-align: left; max-width: 100%;
}
.export-row { flex-wrap: wrap; max-width: 100%; }
/* Radix tables scroll inside their own (unfocusable) scroll area; the page wraps each table
   in a keyboard-reachable region that scrolls instead (WCAG 2.1.1; axe
   scrollable-region-focusable). */
.rt-TableRoot > .rt-ScrollAreaRoot,
.rt-TableRoot > .rt-ScrollAreaRoot > .rt-ScrollAreaViewport { overflow: visible !important; }
"""


def a11y_style() -> rx.Component:
    """A <style> element with the contrast overrides (added to every page's head)."""
    return rx.el.style(A11Y_CSS)
