"""The term sheet's clauses."""

from __future__ import annotations

from bridge_app.core.drafting.templates.clauses import OBLIGATIONS, ClauseSpec, ContractTemplate

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
{% if has.payment_schedule %}Invoicing: {{ t.payment_schedule_intro }}: \
{{ t.payment_schedule | join("; ") }}
{% endif %}
{% if has.governing_law %}Governing law: {{ t.governing_law }}
{% endif %}
{% for o in t.other_terms if has.other_terms %}{{ o }}
{% endfor %}
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
        ClauseSpec("next-steps", "Next Steps", OBLIGATIONS),
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
