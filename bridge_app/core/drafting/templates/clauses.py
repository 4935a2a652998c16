"""The clause spec and contract template shapes, and the clause wording several contract types
share (parties, governing law, general, obligations, term and termination, liability …).
"""

from __future__ import annotations

from dataclasses import dataclass

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


PARTIES_SIDED = """
This {{ title }}{% if short != title %} (this "{{ short }}"){% endif %} \
is made as of {{ t.effective_date }} (the "Effective Date") \
between:
(1) {{ t.party_1 }} (the "{{ role_1 }}"); and
(2) {{ t.party_2 }} (the "{{ role_2 }}"),
each a "Party" and together the "Parties".
"""

LAW = "{% if has.governing_law %}{{ t.governing_law }}{% else %}{{ pb.governing_law }}{% endif %}"
GOVERNING_LAW = (
    """
This {{ short }} and any dispute arising out of or in connection with it are governed by the laws \
of """
    + LAW
    + """. The courts of """
    + LAW
    + """ have exclusive jurisdiction over any such dispute.
"""
)

GENERAL = """
This {{ short }} may be signed in counterparts, each of which is an original and all of which \
together are one instrument. Electronic signatures are binding.
No amendment of this {{ short }} is effective unless it is in writing and signed by both Parties.
If any provision of this {{ short }} is held invalid, the remaining provisions continue in full \
force.
"""

OBLIGATIONS = """
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

OTHER_TERMS = """
{% if has.other_terms %}
The Parties also agreed the following terms, which form part of this {{ short }}:
{% for o in t.other_terms %}
({{ letter(loop.index) }}) {{ o }}{{ ";" if not loop.last else "." }}
{% endfor %}
{% endif %}
"""

PRECEDENCE = """
This Statement of Work is made under any master or framework agreement in force between the \
Parties (the "Master Agreement"). If this Statement of Work and the Master Agreement conflict, \
this Statement of Work prevails, but only for the Services. Where no Master Agreement is in \
force, this Statement of Work is the entire agreement between the Parties about the Services \
and replaces all earlier discussions about them.
"""

CHANGE_CONTROL = """
Either Party may propose a change to the Services, the Deliverables, the schedule or the Fees by \
a written request describing the change. A change takes effect only when both Parties have signed \
a written change order that states the change and its effect on the schedule and the Fees. Until \
then, the Provider shall continue to perform the Services unchanged.
"""

# Terms the meeting may settle, else the playbook's position.
NOTICE = (
    "{% if has.notice_period %}{{ t.notice_period }}{% else %}{{ pb.notice_days }} days{% endif %}"
)
CAP = "{% if has.liability_cap %}{{ t.liability_cap }}{% else %}{{ pb.liability_cap }}{% endif %}"
RENEWAL = "{% if has.renewal_period %}{{ t.renewal_period }}{% else %}{{ pb.renewal }}{% endif %}"

TERM_TERMINATION = """
This {{ short }} starts on the Effective Date and continues until the Services are completed and \
the Fees paid, unless terminated earlier under this clause. Either Party may terminate this \
{{ short }} by written notice if the other Party commits a material breach and fails to remedy it \
within __NOTICE__ of receiving notice of it. The Client may terminate this {{ short }} for \
convenience on __NOTICE__' written notice, and shall then pay for the Services performed up to \
the date of termination.
""".replace("__NOTICE__", NOTICE)

IP_DELIVERABLES = """
On payment of the Fees in full, the Client owns each Deliverable and the intellectual property \
rights in it. The Provider keeps its materials that existed before this {{ short }} or were made \
independently of it, and its general know-how, and grants the Client a non-exclusive, perpetual, \
royalty-free licence to use those materials as part of the Deliverables.
"""

WARRANTIES = """
The Provider warrants that it will perform the Services with reasonable skill and care by \
suitably qualified people, and that each Deliverable, when accepted, will conform to this \
{{ short }}. Each Party warrants that it has the power and authority to enter into this \
{{ short }}. No other warranty is given, whether express or implied.
"""

LIABILITY = """
Each Party's total liability arising out of or in connection with this {{ short }}, whether in \
contract, tort or otherwise, is limited to __CAP__. Neither Party is liable for \
indirect or consequential loss, or for loss of profit, revenue or data. These limits do not \
apply to liability for death or personal injury caused by negligence, to fraud, or to any \
liability that cannot be limited by law.
""".replace("__CAP__", CAP)

PAYMENT_SCHEDULE = """
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

# Clauses several contract types use as they are.
PARTIES_CLAUSE = ClauseSpec(
    "parties", "Parties", PARTIES_SIDED, needs=("party_1", "party_2", "effective_date")
)
OTHER_TERMS_CLAUSE = ClauseSpec(
    "other-terms", "Additional Agreed Terms", OTHER_TERMS, optional=True
)
GOVERNING_LAW_CLAUSE = ClauseSpec(
    "governing-law", "Governing Law", GOVERNING_LAW, needs=("governing_law",)
)
GENERAL_CLAUSE = ClauseSpec("general", "General", GENERAL)
