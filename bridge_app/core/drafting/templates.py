"""Contract templates: one list of clause specs per contract type.

Each clause is a Jinja2 template plus metadata: its key, heading and the term slots it
``needs``. Inside a template:

* ``t.<name>`` is a filled value (a string, or a list of strings for list slots). Reading it
  records the clause as using that value, so provenance is exactly what the text shows. A value
  the meeting did not settle reads as a ``[[MISSING: …]]`` placeholder, a contested one as
  ``[[CONFLICT: …]]``.
* ``has.<name>`` says whether the meeting gave anything for it (settled or contested), so
  optional terms can be left out of the wording without a placeholder.
* ``role_1`` / ``role_2`` are the defined terms of the two parties; ``meeting_title`` and
  ``meeting_date`` describe the meeting; ``letter(n)`` gives ``a``, ``b``, …

A line break in a rendered clause separates paragraphs; blank lines are dropped.
The wording is the project's own plain-English drafting, kept deliberately short.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, StrictUndefined, Template

from bridge_app.core.drafting.model import ContractType


@dataclass(frozen=True, slots=True)
class ClauseSpec:
    """A clause template and what it needs to be complete."""

    key: str
    heading: str
    source: str
    needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContractTemplate:
    """A contract type: its title, the defined terms of its two parties, and its clauses."""

    type: ContractType
    title: str
    roles: tuple[str, str]
    clauses: tuple[ClauseSpec, ...]


_PARTIES_SIDED = """
This {{ title }}{% if short != title %} (this "{{ short }}"){% endif %} \
is made as of {{ t.effective_date }} (the "Effective Date") \
between:
(1) {{ t.party_1 }} (the "{{ role_1 }}"); and
(2) {{ t.party_2 }} (the "{{ role_2 }}"),
each a "Party" and together the "Parties".
"""

_GOVERNING_LAW = """
This {{ short }} and any dispute arising out of or in connection with it are governed by the laws \
of {{ t.governing_law }}. The courts of {{ t.governing_law }} have exclusive jurisdiction over any \
such dispute.
"""

_GENERAL = """
This {{ short }} may be signed in counterparts, each of which is an original and all of which \
together are one instrument. Electronic signatures are binding.
No amendment of this {{ short }} is effective unless it is in writing and signed by both Parties.
If any provision of this {{ short }} is held invalid, the remaining provisions continue in full \
force.
"""

_OBLIGATIONS = """
{% if has.obligations %}
The Parties agreed on the following responsibilities, each to be performed by the person or \
Party named:
{% for o in t.obligations %}
({{ letter(loop.index) }}) {{ o }}{{ ";" if not loop.last else "." }}
{% endfor %}
{% else %}
No further responsibilities were allocated at the meeting. Each Party shall co-operate in good \
faith to allow the other to perform this {{ short }}.
{% endif %}
"""

NDA = ContractTemplate(
    type="nda",
    title="Mutual Non-Disclosure Agreement",
    roles=("Party", "Party"),
    clauses=(
        ClauseSpec(
            "parties",
            "Parties",
            """
This Mutual Non-Disclosure Agreement (this "Agreement") is made as of {{ t.effective_date }} \
(the "Effective Date") between {{ t.party_1 }} and {{ t.party_2 }} (each a "Party" and together \
the "Parties").
""",
            needs=("party_1", "party_2", "effective_date"),
        ),
        ClauseSpec(
            "purpose",
            "Purpose",
            """
The Parties intend to share information with each other to evaluate and pursue the business \
relationship discussed at the meeting "{{ meeting_title }}" held on {{ meeting_date }} \
(the "Purpose").
""",
        ),
        ClauseSpec(
            "definitions",
            "Confidential Information",
            """
"Confidential Information" means all non-public information that a Party (the "Disclosing \
Party") makes available to the other Party (the "Receiving Party") in connection with the \
Purpose, in any form, whether or not it is marked as confidential, including business plans, \
prices, technical data, customer information and the terms of this Agreement.
""",
        ),
        ClauseSpec(
            "obligations",
            "Obligations of the Receiving Party",
            """
The Receiving Party shall:
(a) use Confidential Information only for the Purpose;
(b) not disclose Confidential Information to anyone other than its employees, officers and \
professional advisers who need to know it for the Purpose and who are bound by duties of \
confidentiality at least as protective as this Agreement; and
(c) protect Confidential Information with at least the degree of care it uses for its own \
information of a similar nature, and never less than reasonable care.
""",
        ),
        ClauseSpec(
            "exclusions",
            "Exclusions",
            """
The obligations in this Agreement do not apply to information that the Receiving Party can show:
(a) is or becomes public other than through a breach of this Agreement;
(b) was lawfully known to it before disclosure by the Disclosing Party;
(c) was received from a third party entitled to disclose it without restriction; or
(d) was developed independently without use of Confidential Information.
The Receiving Party may disclose Confidential Information where required by law or by a court, \
provided that, where lawful, it first notifies the Disclosing Party.
""",
        ),
        ClauseSpec(
            "term",
            "Term and Confidentiality Period",
            """
This Agreement applies to Confidential Information disclosed on or after the Effective Date\
{% if has.term %} and during a period of {{ t.term }}{% endif %}. The obligations of the Receiving \
Party in respect of each item of Confidential Information continue for {{ t.confidentiality_period \
}} from the date of its disclosure.
""",
            needs=("confidentiality_period",),
        ),
        ClauseSpec(
            "return",
            "Return of Information",
            """
On the Disclosing Party's written request, the Receiving Party shall promptly return or destroy \
the Confidential Information of the Disclosing Party, except for copies it must keep by law, \
which remain subject to this Agreement.
""",
        ),
        ClauseSpec(
            "no-licence",
            "No Licence and No Commitment",
            """
All Confidential Information remains the property of the Disclosing Party. Nothing in this \
Agreement grants a licence to any intellectual property or obliges either Party to enter into \
any further transaction.
""",
        ),
        ClauseSpec("governing-law", "Governing Law", _GOVERNING_LAW, needs=("governing_law",)),
        ClauseSpec("general", "General", _GENERAL),
    ),
)

SOW = ContractTemplate(
    type="sow",
    title="Statement of Work",
    roles=("Client", "Provider"),
    clauses=(
        ClauseSpec(
            "parties", "Parties", _PARTIES_SIDED, needs=("party_1", "party_2", "effective_date")
        ),
        ClauseSpec(
            "background",
            "Background",
            """
This Statement of Work records the professional services that the Parties agreed at the meeting \
"{{ meeting_title }}" held on {{ meeting_date }}. The Provider shall perform the services \
described below (the "Services") for the Client on the terms of this Statement of Work.
""",
        ),
        ClauseSpec(
            "deliverables",
            "Services and Deliverables",
            """
As part of the Services, the Provider shall deliver the following (each a "Deliverable"):
{% for d in t.deliverables %}
({{ letter(loop.index) }}) {{ d }}{{ ";" if not loop.last else "." }}
{% endfor %}
""",
            needs=("deliverables",),
        ),
        ClauseSpec("responsibilities", "Responsibilities", _OBLIGATIONS),
        ClauseSpec(
            "schedule",
            "Schedule",
            """
The Services start on {{ t.start_date }}\
{% if has.end_date %} and shall be completed by {{ t.end_date }}\
{% elif has.term %} and continue for {{ t.term }}{% endif %}.
""",
            needs=("start_date",),
        ),
        ClauseSpec(
            "fees",
            "Fees",
            """
In consideration of the Services, the Client shall pay the Provider {{ t.price }}\
{% if has.quantity %} for {{ t.quantity }}{% endif %} (the "Fees"). The Fees are exclusive of \
applicable taxes.
""",
            needs=("price",),
        ),
        ClauseSpec(
            "payment",
            "Invoicing and Payment",
            """
The Provider shall invoice the Fees as they fall due. The Client shall pay each undisputed \
invoice {{ t.payment_terms }}.
""",
            needs=("payment_terms",),
        ),
        ClauseSpec(
            "acceptance",
            "Acceptance",
            """
The Client shall review each Deliverable within ten business days of receipt and either accept \
it or describe in writing how it fails to meet this Statement of Work. The Provider shall then \
correct the Deliverable and resubmit it. A Deliverable is accepted when the Client confirms it \
or the review period ends without a written description of a failure.
""",
        ),
        ClauseSpec(
            "confidentiality",
            "Confidentiality",
            """
Each Party shall keep confidential all non-public information received from the other Party \
under this Statement of Work and use it only to perform or receive the Services.
""",
        ),
        ClauseSpec("governing-law", "Governing Law", _GOVERNING_LAW, needs=("governing_law",)),
        ClauseSpec("general", "General", _GENERAL),
    ),
)

MSA_AMENDMENT = ContractTemplate(
    type="msa-amendment",
    title="Amendment to Master Services Agreement",
    roles=("Customer", "Provider"),
    clauses=(
        ClauseSpec(
            "parties", "Parties", _PARTIES_SIDED, needs=("party_1", "party_2", "effective_date")
        ),
        ClauseSpec(
            "background",
            "Background",
            """
The Parties are parties to a master services agreement (the "Master Agreement"). At the meeting \
"{{ meeting_title }}" held on {{ meeting_date }} they agreed to amend the Master Agreement as set \
out in this {{ short }}. Capitalised terms not defined here have the meaning given in the Master \
Agreement.
""",
        ),
        ClauseSpec(
            "amendments",
            "Amendments",
            """
With effect from the Effective Date, the Master Agreement is amended as follows:
{% if not has.amended_terms %}
(a) {{ t.amended_terms }}.
{% endif %}
{% set n = namespace(i=0) %}
{% if has.price %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the fees payable by the Customer are {{ t.price }}\
{% if has.quantity %} for {{ t.quantity }}{% endif %};
{% endif %}
{% if has.payment_terms %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the Customer shall pay each undisputed invoice {{ t.payment_terms }};
{% endif %}
{% if has.end_date %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the term of the Master Agreement is extended to end on {{ t.end_date }};
{% elif has.term %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the term of the Master Agreement is {{ t.term }};
{% endif %}
{% if has.start_date %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the amended services start on {{ t.start_date }};
{% endif %}
{% if has.deliverables %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the services under the Master Agreement include: \
{{ t.deliverables | join("; ") }};
{% endif %}
""",
            needs=("amended_terms",),
        ),
        ClauseSpec("responsibilities", "Responsibilities", _OBLIGATIONS),
        ClauseSpec(
            "effect",
            "Effect of this Amendment",
            """
Except as amended by this {{ short }}, the Master Agreement continues in full force and effect. \
If this {{ short }} and the Master Agreement conflict, this {{ short }} prevails.
""",
        ),
        ClauseSpec(
            "governing-law",
            "Governing Law",
            """
{% if has.governing_law %}This {{ short }} is governed by the laws of {{ t.governing_law }}.\
{% else %}This {{ short }} is governed by the law that governs the Master Agreement.{% endif %}
""",
        ),
        ClauseSpec("general", "General", _GENERAL),
    ),
)

TERM_SHEET = ContractTemplate(
    type="term-sheet",
    title="Term Sheet",
    roles=("Buyer", "Seller"),
    clauses=(
        ClauseSpec(
            "parties",
            "Parties",
            """
This {{ title }} (this "{{ short }}") summarises the principal terms discussed at the meeting \
"{{ meeting_title }}" held on {{ meeting_date }} between {{ t.party_1 }} (the "{{ role_1 }}") and \
{{ t.party_2 }} (the "{{ role_2 }}").
""",
            needs=("party_1", "party_2"),
        ),
        ClauseSpec(
            "status",
            "Nature of this Term Sheet",
            """
Except for the clauses headed "Confidentiality" and "Governing Law", this {{ short }} is not \
legally binding. A binding agreement will exist only when definitive documents are signed by \
both Parties.
""",
        ),
        ClauseSpec(
            "principal-terms",
            "Principal Terms",
            """
Price: {{ t.price }}
{% if has.quantity %}Quantity: {{ t.quantity }}
{% endif %}
{% if has.payment_terms %}Payment terms: payment {{ t.payment_terms }}
{% endif %}
{% if has.start_date %}Start date: {{ t.start_date }}
{% endif %}
{% if has.end_date %}End date: {{ t.end_date }}
{% endif %}
{% if has.term %}Term: {{ t.term }}
{% endif %}
{% if has.deliverables %}Scope: {{ t.deliverables | join("; ") }}
{% endif %}
""",
            needs=("price",),
        ),
        ClauseSpec(
            "agreed-points",
            "Other Agreed Points",
            """
{% if has.decisions %}
{% for d in t.decisions %}
({{ letter(loop.index) }}) {{ d }}
{% endfor %}
{% else %}
No other points were agreed at the meeting.
{% endif %}
""",
        ),
        ClauseSpec("next-steps", "Next Steps", _OBLIGATIONS),
        ClauseSpec(
            "confidentiality",
            "Confidentiality",
            """
Each Party shall keep the existence and content of this {{ short }} confidential\
{% if has.confidentiality_period %} for {{ t.confidentiality_period }}{% endif %}, except as \
required by law.
""",
        ),
        ClauseSpec(
            "governing-law",
            "Governing Law",
            """
{% if has.governing_law %}This {{ short }} is governed by the laws of {{ t.governing_law }}.\
{% else %}The governing law of the definitive documents is to be agreed.{% endif %}
""",
        ),
    ),
)

ORDER_FORM = ContractTemplate(
    type="order-form",
    title="Order Form",
    roles=("Customer", "Vendor"),
    clauses=(
        ClauseSpec(
            "parties", "Parties", _PARTIES_SIDED, needs=("party_1", "party_2", "effective_date")
        ),
        ClauseSpec(
            "order",
            "Order",
            """
The Customer orders from the Vendor\
{% if has.quantity %} {{ t.quantity }}{% endif %}\
{% if has.deliverables %}, consisting of: {{ t.deliverables | join("; ") }},{% endif %} \
for a total price of {{ t.price }} (the "Price"), as agreed at the meeting \
"{{ meeting_title }}" held on {{ meeting_date }}.
""",
            needs=("price",),
        ),
        ClauseSpec(
            "service-term",
            "Start and Term",
            """
Delivery or service starts on {{ t.start_date }}\
{% if has.end_date %} and ends on {{ t.end_date }}\
{% elif has.term %} and continues for {{ t.term }}{% endif %}.
""",
            needs=("start_date",),
        ),
        ClauseSpec(
            "payment",
            "Payment",
            """
The Vendor shall invoice the Price on the Effective Date. The Customer shall pay each undisputed \
invoice {{ t.payment_terms }}. The Price is exclusive of applicable taxes.
""",
            needs=("payment_terms",),
        ),
        ClauseSpec("responsibilities", "Responsibilities", _OBLIGATIONS),
        ClauseSpec("governing-law", "Governing Law", _GOVERNING_LAW, needs=("governing_law",)),
        ClauseSpec("general", "General", _GENERAL),
    ),
)

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
