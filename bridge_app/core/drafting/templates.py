"""Contract templates: one list of clause specs per contract type.

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

from dataclasses import dataclass

from jinja2 import Environment, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from bridge_app.core.drafting.model import ContractType


@dataclass(frozen=True, slots=True)
class ClauseSpec:
    """A clause template and what it needs to be complete."""

    key: str
    heading: str
    source: str
    needs: tuple[str, ...] = ()
    optional: bool = False  # left out of the contract when it renders empty


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

_LAW = "{% if has.governing_law %}{{ t.governing_law }}{% else %}{{ pb.governing_law }}{% endif %}"
_GOVERNING_LAW = (
    """
This {{ short }} and any dispute arising out of or in connection with it are governed by the laws \
of """
    + _LAW
    + """. The courts of """
    + _LAW
    + """ have exclusive jurisdiction over any such dispute.
"""
)

_GENERAL = """
This {{ short }} may be signed in counterparts, each of which is an original and all of which \
together are one instrument. Electronic signatures are binding.
No amendment of this {{ short }} is effective unless it is in writing and signed by both Parties.
If any provision of this {{ short }} is held invalid, the remaining provisions continue in full \
force.
"""

_OBLIGATIONS = """
{% if has.obligations %}
Each Party shall perform the responsibilities allocated to it at the meeting:
{% for o in t.obligations %}
({{ letter(loop.index) }}) {{ o | trim(".") }}{{ ";" if not loop.last else "." }}
{% endfor %}
{% else %}
No further responsibilities were allocated at the meeting. Each Party shall co-operate in good \
faith to allow the other to perform this {{ short }}.
{% endif %}
"""

_OTHER_TERMS = """
{% if has.other_terms %}
The Parties also agreed the following terms, which form part of this {{ short }}:
{% for o in t.other_terms %}
({{ letter(loop.index) }}) {{ o }}{{ ";" if not loop.last else "." }}
{% endfor %}
{% endif %}
"""

_PRECEDENCE = """
This Statement of Work is made under any master or framework agreement in force between the \
Parties (the "Master Agreement"). If this Statement of Work and the Master Agreement conflict, \
this Statement of Work prevails, but only for the Services. Where no Master Agreement is in \
force, this Statement of Work is the entire agreement between the Parties about the Services \
and replaces all earlier discussions about them.
"""

_CHANGE_CONTROL = """
Either Party may propose a change to the Services, the Deliverables, the schedule or the Fees by \
a written request describing the change. A change takes effect only when both Parties have signed \
a written change order that states the change and its effect on the schedule and the Fees. Until \
then, the Provider shall continue to perform the Services unchanged.
"""

# Terms the meeting may settle, else the playbook's position.
_NOTICE = (
    "{% if has.notice_period %}{{ t.notice_period }}{% else %}{{ pb.notice_days }} days{% endif %}"
)
_CAP = "{% if has.liability_cap %}{{ t.liability_cap }}{% else %}{{ pb.liability_cap }}{% endif %}"
_RENEWAL = "{% if has.renewal_period %}{{ t.renewal_period }}{% else %}{{ pb.renewal }}{% endif %}"

_TERM_TERMINATION = """
This {{ short }} starts on the Effective Date and continues until the Services are completed and \
the Fees paid, unless terminated earlier under this clause. Either Party may terminate this \
{{ short }} by written notice if the other Party commits a material breach and fails to remedy it \
within __NOTICE__ of receiving notice of it. The Client may terminate this {{ short }} for \
convenience on __NOTICE__' written notice, and shall then pay for the Services performed up to \
the date of termination.
""".replace("__NOTICE__", _NOTICE)

_IP_DELIVERABLES = """
On payment of the Fees in full, the Client owns each Deliverable and the intellectual property \
rights in it. The Provider keeps its materials that existed before this {{ short }} or were made \
independently of it, and its general know-how, and grants the Client a non-exclusive, perpetual, \
royalty-free licence to use those materials as part of the Deliverables.
"""

_WARRANTIES = """
The Provider warrants that it will perform the Services with reasonable skill and care by \
suitably qualified people, and that each Deliverable, when accepted, will conform to this \
{{ short }}. Each Party warrants that it has the power and authority to enter into this \
{{ short }}. No other warranty is given, whether express or implied.
"""

_LIABILITY = """
Each Party's total liability arising out of or in connection with this {{ short }}, whether in \
contract, tort or otherwise, is limited to __CAP__. Neither Party is liable for \
indirect or consequential loss, or for loss of profit, revenue or data. These limits do not \
apply to liability for death or personal injury caused by negligence, to fraud, or to any \
liability that cannot be limited by law.
""".replace("__CAP__", _CAP)

_PAYMENT_SCHEDULE = """
{% if has.payment_schedule %}
The {{ seller }} shall invoice the {{ fees }} {{ t.payment_schedule_intro }}:
{% for p in t.payment_schedule %}
({{ letter(loop.index) }}) {{ p }}{{ ";" if not loop.last else "." }}
{% endfor %}
{% else %}
The {{ seller }} shall invoice the {{ fees }} {{ default_invoicing }}.
{% endif %}
The {{ buyer }} shall pay each undisputed invoice \
{% if has.payment_terms %}{{ t.payment_terms }}{% else %}{{ pb.payment }}{% endif %}.
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
Party") or anyone acting for it makes available to the other Party (the "Receiving Party") in \
connection with the Purpose, before or after the Effective Date, in any form and whether or not \
it is marked as confidential. It includes business plans, prices, customer and supplier \
information, technical data, software, know-how, the fact that the Parties are in discussions \
and the terms of this Agreement.
""",
        ),
        ClauseSpec(
            "exclusions",
            "Exclusions",
            """
Confidential Information does not include information that the Receiving Party can show by \
written records:
(a) is or becomes public other than through a breach of this Agreement;
(b) was lawfully known to it, free of any duty of confidence, before the Disclosing Party \
disclosed it;
(c) it received from a third party who was free to disclose it without restriction; or
(d) it developed independently, without using any Confidential Information.
""",
        ),
        ClauseSpec(
            "obligations",
            "Obligations of the Receiving Party",
            """
The Receiving Party shall:
(a) use Confidential Information only for the Purpose;
(b) not disclose Confidential Information to anyone except as this Agreement permits; and
(c) protect Confidential Information with at least the degree of care it uses for its own \
information of a similar nature, and never less than reasonable care, and tell the Disclosing \
Party promptly on becoming aware of any unauthorised use or disclosure.
""",
        ),
        ClauseSpec(
            "permitted-disclosure",
            "Permitted Disclosures",
            """
The Receiving Party may disclose Confidential Information to its officers, employees, \
professional advisers and the officers and employees of its affiliates who need to know it for \
the Purpose, provided that each of them is bound by duties of confidentiality at least as \
protective as this Agreement. The Receiving Party is responsible for any breach of this \
Agreement by a person to whom it discloses Confidential Information.
""",
        ),
        ClauseSpec(
            "compelled-disclosure",
            "Disclosure Required by Law",
            """
The Receiving Party may disclose Confidential Information to the extent required by law, by a \
court or by a regulator or stock exchange with authority over it. Where the law allows, it shall \
first tell the Disclosing Party of the requirement, co-operate with any lawful step the \
Disclosing Party takes to limit the disclosure, and disclose no more than is required.
""",
        ),
        ClauseSpec(
            "return",
            "Return or Destruction",
            """
Within ten business days of the Disclosing Party's written request, or of the end of the \
discussions, the Receiving Party shall return or destroy the Disclosing Party's Confidential \
Information and confirm in writing that it has done so. It may keep copies that it must keep \
by law or that sit in routine electronic back-ups, and those copies remain subject to this \
Agreement for as long as they are kept.
""",
        ),
        ClauseSpec(
            "no-licence",
            "No Licence and No Commitment",
            """
All Confidential Information remains the property of the Disclosing Party. Nothing in this \
Agreement grants the Receiving Party any licence or other right to any intellectual property, \
or obliges either Party to disclose any particular information or to enter into any further \
transaction.
""",
        ),
        ClauseSpec(
            "no-warranty",
            "No Warranty",
            """
Confidential Information is provided as it is. The Disclosing Party gives no warranty about its \
accuracy or completeness, and is not liable for any use the Receiving Party makes of it, except \
as agreed in a later signed agreement.
""",
        ),
        ClauseSpec(
            "remedies",
            "Remedies",
            """
Each Party acknowledges that damages alone may not be an adequate remedy for a breach of this \
Agreement, and that the Disclosing Party is entitled to seek an injunction, specific performance \
or other equitable relief for any threatened or actual breach, in addition to any other remedy.
""",
        ),
        ClauseSpec(
            "term",
            "Term and Survival",
            """
This Agreement applies to Confidential Information disclosed on or after the Effective Date\
{% if has.term %} and during a period of {{ t.term }}{% endif %}. The obligations of the Receiving \
Party in respect of each item of Confidential Information continue for \
{% if has.confidentiality_period %}{{ t.confidentiality_period }}{% else %}{{ pb.confidentiality \
}}{% endif %} from the date of its disclosure, and survive the end of the discussions and of \
this Agreement. Obligations in respect of trade secrets continue for as long as the information \
remains a trade secret.
""",
            needs=("confidentiality_period",),
        ),
        ClauseSpec("other-terms", "Additional Agreed Terms", _OTHER_TERMS, optional=True),
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
        ClauseSpec("payment", "Invoicing and Payment", _PAYMENT_SCHEDULE, needs=("payment_terms",)),
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
        ClauseSpec("change-control", "Change Control", _CHANGE_CONTROL),
        ClauseSpec("ip", "Intellectual Property in Deliverables", _IP_DELIVERABLES),
        ClauseSpec("warranties", "Warranties", _WARRANTIES),
        ClauseSpec("limitation-of-liability", "Limitation of Liability", _LIABILITY),
        ClauseSpec("term-termination", "Term and Termination", _TERM_TERMINATION),
        ClauseSpec("precedence", "Order of Precedence", _PRECEDENCE),
        ClauseSpec("other-terms", "Additional Agreed Terms", _OTHER_TERMS, optional=True),
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
        ClauseSpec("responsibilities", "Responsibilities", _OBLIGATIONS),
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
""".replace("__NOTICE__", _NOTICE),
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
""".replace("__CAP__", _CAP),
        ),
        ClauseSpec("other-terms", "Additional Agreed Terms", _OTHER_TERMS, optional=True),
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
            "subscription-term",
            "Subscription Term",
            """
The subscription and any services ordered start on {{ t.start_date }} and continue \
{% if has.end_date %}until {{ t.end_date }}{% else %}for {{ t.term }}{% endif %} (the \
"Subscription Term"), unless terminated earlier under the Terms.
""",
            needs=("start_date", "term"),
        ),
        ClauseSpec(
            "renewal",
            "Renewal",
            """
At the end of the Subscription Term the subscription renews for successive periods of \
__RENEWAL__ each, unless either Party gives the other written notice of non-renewal at least \
__NOTICE__ before the end of the current period. The Price for a renewal period is the Price \
for the Subscription Term, unless the Vendor gives written notice of a change at least \
__NOTICE__ before that renewal period starts.
""".replace("__RENEWAL__", _RENEWAL).replace("__NOTICE__", _NOTICE),
        ),
        ClauseSpec(
            "usage-limits",
            "Usage Limits",
            """
The Customer may use the ordered services up to \
{% if has.quantity %}{{ t.quantity }}\
{% else %}the quantities stated in this Order Form{% endif %}. \
Use above that limit needs a further order, charged at the same unit rate pro rata for the rest \
of the Subscription Term. The Vendor may verify usage on reasonable notice, no more than once \
a year.
""",
        ),
        ClauseSpec("payment", "Payment", _PAYMENT_SCHEDULE, needs=("payment_terms",)),
        ClauseSpec("responsibilities", "Responsibilities", _OBLIGATIONS),
        ClauseSpec(
            "incorporated-terms",
            "Governing Terms",
            """
This Order Form is governed by and incorporates {{ pb.order_terms }} (the "Terms"). If this Order \
Form and the Terms conflict, this Order Form prevails for the order it describes. Capitalised \
words not defined here have the meaning given in the Terms.
""",
        ),
        ClauseSpec("limitation-of-liability", "Limitation of Liability", _LIABILITY),
        ClauseSpec("other-terms", "Additional Agreed Terms", _OTHER_TERMS, optional=True),
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
