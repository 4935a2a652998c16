"""Drafting, QA and redlines: contracts that trace back to the meeting (pure core).

``make_draft`` fills a contract template from a meeting's reviewed items, recording for every
value the item(s), segments and quotes it came from; ``run_qa`` checks a draft version against
the current items; ``redline`` compares two versions word by word.
"""

from bridge_app.core.drafting.contract_type import pick_contract_type
from bridge_app.core.drafting.draft import make_draft, regenerate
from bridge_app.core.drafting.model import (
    Clause,
    ContractType,
    Draft,
    Finding,
    Party,
    Provenance,
    Quote,
    TypePick,
)
from bridge_app.core.drafting.qa import can_approve, qa_report, run_qa
from bridge_app.core.drafting.redline import RedlineOp, redline, redline_drafts, redline_html
from bridge_app.core.drafting.templates import TEMPLATES
from bridge_app.core.vocabulary import CONTRACT_TYPES

__all__ = [
    "CONTRACT_TYPES",
    "TEMPLATES",
    "Clause",
    "ContractType",
    "Draft",
    "Finding",
    "Party",
    "Provenance",
    "Quote",
    "RedlineOp",
    "TypePick",
    "can_approve",
    "make_draft",
    "pick_contract_type",
    "qa_report",
    "redline",
    "redline_drafts",
    "redline_html",
    "regenerate",
    "run_qa",
]
