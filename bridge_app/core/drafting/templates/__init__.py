"""Contract templates: one list of clause specs per contract type, one module each (``nda``,
``sow``, ``msa_amendment``, ``term_sheet``, ``order_form``; shared wording in ``clauses``).

Each clause is a Jinja2 template plus metadata: its key, heading and the term slots it
``needs``. Inside a template:

* ``t.<name>`` is a filled value (a string, or a list of strings for list slots). Reading it
  records the clause as using that value, so provenance is exactly what the text shows. A value
  the meeting did not settle reads as a ``[[MISSING: …]]`` placeholder, a contested one as
  ``[[CONFLICT: …]]``.
* ``has.<name>`` says whether the meeting gave anything for it (settled or contested), so
  optional terms can be left out of the wording without a placeholder.
* ``pb.<name>`` is the organization's playbook position, in words (``pb.payment`` "within 30
  days of the date of invoice", ``pb.liability_cap`` "an amount equal to the Fees", …); a
  position the playbook leaves open reads as a placeholder;
* ``role_1`` / ``role_2`` are the defined terms of the two parties; ``meeting_title`` and
  ``meeting_date`` describe the meeting; ``letter(n)`` gives ``a``, ``b``, …

A line break in a rendered clause separates paragraphs; blank lines are dropped.
The wording is the project's own plain-English drafting, kept deliberately short.
"""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from bridge_app.core.drafting.templates.clauses import ContractTemplate
from bridge_app.core.drafting.templates.msa_amendment import MSA_AMENDMENT
from bridge_app.core.drafting.templates.nda import NDA
from bridge_app.core.drafting.templates.order_form import ORDER_FORM
from bridge_app.core.drafting.templates.sow import SOW
from bridge_app.core.drafting.templates.term_sheet import TERM_SHEET

TEMPLATES: dict[str, ContractTemplate] = {
    t.type: t for t in (NDA, SOW, MSA_AMENDMENT, TERM_SHEET, ORDER_FORM)
}

# Short names used inside each contract ("this Agreement", "this Order Form" …).
SHORT_NAMES: dict[str, str] = {
    "nda": "Agreement",
    "sow": "Statement of Work",
    "msa-amendment": "Amendment",
    "term-sheet": "Term Sheet",
    "order-form": "Order Form",
}


def _letter(n: int) -> str:
    # (a)…(z), then (aa), (ab)…: long SOWs can list more than 26 items.
    out = ""
    n = int(n)
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


_ENV = Environment(
    autoescape=False,  # plain text; the HTML renderer escapes
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_ENV.globals["letter"] = _letter

# Compiled once at import: rendering a draft then costs microseconds per clause.
COMPILED: dict[tuple[str, str], Template] = {
    (tpl.type, spec.key): _ENV.from_string(spec.source)
    for tpl in TEMPLATES.values()
    for spec in tpl.clauses
}

# A playbook's house wording is written by an organization's admins: it runs sandboxed, with the
# same names as the built-in clauses.
_HOUSE_ENV = SandboxedEnvironment(
    autoescape=False,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_HOUSE_ENV.globals["letter"] = _letter
_HOUSE_CACHE: dict[str, Template] = {}


def compile_clause(source: str) -> Template:
    """A playbook's clause wording, compiled in the sandbox (cached by its text)."""
    if source not in _HOUSE_CACHE:
        _HOUSE_CACHE[source] = _HOUSE_ENV.from_string(source)
    return _HOUSE_CACHE[source]
