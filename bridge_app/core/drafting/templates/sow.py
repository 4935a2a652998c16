"""The statement of work's clauses."""

from __future__ import annotations

from bridge_app.core.drafting.templates.clauses import (
    CHANGE_CONTROL,
    GENERAL_CLAUSE,
    GOVERNING_LAW_CLAUSE,
    IP_DELIVERABLES,
    LIABILITY,
    OBLIGATIONS,
    OTHER_TERMS_CLAUSE,
    PARTIES_CLAUSE,
    PAYMENT_SCHEDULE,
    PRECEDENCE,
    TERM_TERMINATION,
    WARRANTIES,
    ClauseSpec,
    ContractTemplate,
)

SOW = ContractTemplate(
    type="sow",
    title="Statement of Work",
    roles=("Client", "Provider"),
    clauses=(
        PARTIES_CLAUSE,
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
        ClauseSpec("responsibilities", "Responsibilities", OBLIGATIONS),
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
        ClauseSpec("payment", "Invoicing and Payment", PAYMENT_SCHEDULE, needs=("payment_terms",)),
        ClauseSpec(
            "acceptance",
            "Acceptance",
            """
The Client shall review each Deliverable within {{ pb.acceptance_days }} business days of \
receipt and either accept it or describe in writing how it fails to meet this Statement of \
Work. The Provider shall then correct the Deliverable and resubmit it. A Deliverable is \
accepted when the Client confirms it or the review period ends without a written description \
of a failure.
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
        ClauseSpec("change-control", "Change Control", CHANGE_CONTROL),
        ClauseSpec("ip", "Intellectual Property in Deliverables", IP_DELIVERABLES),
        ClauseSpec("warranties", "Warranties", WARRANTIES),
        ClauseSpec("limitation-of-liability", "Limitation of Liability", LIABILITY),
        ClauseSpec("term-termination", "Term and Termination", TERM_TERMINATION),
        ClauseSpec("precedence", "Order of Precedence", PRECEDENCE),
        OTHER_TERMS_CLAUSE,
        GOVERNING_LAW_CLAUSE,
        GENERAL_CLAUSE,
    ),
)
