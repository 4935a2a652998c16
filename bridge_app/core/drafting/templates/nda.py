"""The non-disclosure agreement's clauses."""

from __future__ import annotations

from bridge_app.core.drafting.templates.clauses import (
    GENERAL_CLAUSE,
    GOVERNING_LAW_CLAUSE,
    OTHER_TERMS_CLAUSE,
    ClauseSpec,
    ContractTemplate,
)

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
        OTHER_TERMS_CLAUSE,
        GOVERNING_LAW_CLAUSE,
        GENERAL_CLAUSE,
    ),
)
