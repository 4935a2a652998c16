"""The amendment to a master services agreement: its clauses."""

from __future__ import annotations

from bridge_app.core.drafting.templates.clauses import (
    CAP,
    GENERAL_CLAUSE,
    NOTICE,
    OBLIGATIONS,
    OTHER_TERMS_CLAUSE,
    PARTIES_CLAUSE,
    ClauseSpec,
    ContractTemplate,
)

MSA_AMENDMENT = ContractTemplate(
    type="msa-amendment",
    title="Amendment to Master Services Agreement",
    roles=("Customer", "Provider"),
    clauses=(
        PARTIES_CLAUSE,
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
{% if has.payment_schedule %}{% set n.i = n.i + 1 %}
({{ letter(n.i) }}) the Provider shall invoice the fees {{ t.payment_schedule_intro }}: \
{{ t.payment_schedule | join("; ") }};
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
        ClauseSpec("responsibilities", "Responsibilities", OBLIGATIONS),
        ClauseSpec(
            "precedence",
            "Effect and Order of Precedence",
            """
Except as amended by this {{ short }}, the Master Agreement continues in full force and effect, \
and references in it to "this Agreement" include this {{ short }}. If this {{ short }} and the \
Master Agreement conflict, this {{ short }} prevails; if a statement of work or order made under \
the Master Agreement conflicts with either, this {{ short }} and then the Master Agreement \
prevail over it.
""",
        ),
        ClauseSpec(
            "change-control",
            "Change Control",
            """
Any further change to the services or fees under the Master Agreement takes effect only when \
both Parties have signed a written change order or amendment that states the change and its \
effect on the schedule and the fees.
""",
        ),
        ClauseSpec(
            "term-termination",
            "Term and Termination",
            """
{% if has.end_date %}The term of the Master Agreement, as amended, ends on {{ t.end_date }}\
{% elif has.term %}The term of the Master Agreement, as amended, is {{ t.term }}\
{% else %}The term of the Master Agreement is not changed by this {{ short }}{% endif %}. \
Either Party may terminate the amended services by written notice if the other Party commits a \
material breach and fails to remedy it within __NOTICE__ of receiving notice of it. \
Termination of the amended services alone does not end the Master Agreement.
""".replace("__NOTICE__", NOTICE),
        ),
        ClauseSpec(
            "ip",
            "Intellectual Property",
            """
The provisions of the Master Agreement on intellectual property apply to everything the \
Provider delivers under the amended services. Where the Master Agreement is silent, the \
Customer owns, on payment, the deliverables made specifically for it, and the Provider keeps \
its pre-existing materials and grants the Customer a non-exclusive, perpetual, royalty-free \
licence to use them as part of those deliverables.
""",
        ),
        ClauseSpec(
            "warranties",
            "Warranties",
            """
The Provider warrants that it will perform the amended services with reasonable skill and care \
by suitably qualified people. Each Party warrants that it has the power and authority to enter \
into this {{ short }}. The warranties in the Master Agreement otherwise apply unchanged.
""",
        ),
        ClauseSpec(
            "limitation-of-liability",
            "Limitation of Liability",
            """
This {{ short }} does not increase either Party's liability under the Master Agreement. The \
limits of liability in the Master Agreement apply to the amended services; where the Master \
Agreement sets no limit, each Party's total liability arising out of or in connection with the \
amended services is limited to __CAP__, except for liability that cannot be limited by law.
""".replace("__CAP__", CAP),
        ),
        OTHER_TERMS_CLAUSE,
        ClauseSpec(
            "governing-law",
            "Governing Law",
            """
{% if has.governing_law %}This {{ short }} is governed by the laws of {{ t.governing_law }}.\
{% else %}This {{ short }} is governed by the law that governs the Master Agreement.{% endif %}
""",
        ),
        GENERAL_CLAUSE,
    ),
)
