"""The product's closed vocabularies, each defined once: the core, the tables' CHECK
constraints, the API's shapes and the UI all import them from here.

Each vocabulary is a `Literal` type (for type checking) and a tuple of its values in display
order (for validation, constraints and menus); `get_args` keeps the two the same list.
"""

from __future__ import annotations

from typing import Literal, get_args

ContractType = Literal["nda", "sow", "msa-amendment", "term-sheet", "order-form"]
CONTRACT_TYPES: tuple[ContractType, ...] = get_args(ContractType)

# What an extracted item is.
ItemKind = Literal["decision", "action_item", "agreed_term", "open_question"]
ITEM_KINDS: tuple[ItemKind, ...] = get_args(ItemKind)

# A person's review of an extracted item.
ReviewStatus = Literal["proposed", "accepted", "rejected", "edited"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)

# How bad a QA finding is; a blocker stops approval.
Severity = Literal["blocker", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

# What a QA check found (each code's severity and meaning: core/drafting/qa/__init__.py);
# the review (core/review/findings.py) says each one in plain words.
QACode = Literal[
    "missing_required_term",
    "placeholder_left",
    "value_mismatch",
    "source_missing",
    "conflicting_items",
    "end_before_start",
    "date_in_past",
    "amount_without_currency",
    "currency_mismatch",
    "party_name_inconsistent",
    "defined_term_inconsistent",
    "obligation_unassigned",
    "unreviewed_items",
    "open_question",
    "extra_party",
    "obligation_party_unknown",
    "first_person_text",
    "term_not_in_contract",
    "playbook_deviation",
    "playbook_forbidden_text",
    "counterparty_change",
    "clause_edited",
]
QA_CODES: tuple[QACode, ...] = get_args(QACode)

Role = Literal["admin", "legal", "ops", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)

ExportFormat = Literal["docx", "pdf", "md", "html"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

# Keys of Item.values, and the shape of each value. Drafting fills clauses from these.
#   price / fee:            {"amount": 45000.0, "currency": "USD"}
#   quantity:               {"value": 20.0, "unit": "licenses"}
#   payment_terms:          {"text": "net 30", "days": 30}
#   start_date / end_date / effective_date: "2026-03-01" (ISO date)
#   duration / term / confidentiality_period: {"days": 365, "text": "12 months"}
#   deliverable:            {"text": "migration plan"}
#   governing_law:          {"text": "New York"}
#   party:                  {"name": "Acme Corp", "role": "client"}
#   unit_price:             {"amount": 38.0, "currency": "USD", "per": "seat/month"}
#   price may carry "per" too ("month", "year", "seat/month") for a recurring amount
#   rate:                   {"amount": 850.0, "currency": "GBP"} (a day or hourly rate)
#   renewal_period / notice_period / cure_period / non_solicit_period / return_period:
#                           {"days": 60, "text": "sixty days"}
#   liability_cap:          {"amount": 1e6, "currency": "USD"} or {"multiple_of_fees": 2.0, "text"}
#   territory:              {"text": "Sweden, Norway", "places": ["Sweden", "Norway"]}
#   exclusivity:            {"exclusive": true, "text": "exclusive"}
# Every negotiated term also carries values["negotiation"]: each value said for it, with its
# state (proposed, countered, accepted, withdrawn, parked) and who said it.
TERM_KEYS: tuple[str, ...] = (
    "party",
    "effective_date",
    "start_date",
    "end_date",
    "price",
    "fee",
    "quantity",
    "payment_terms",
    "duration",
    "term",
    "deliverable",
    "governing_law",
    "confidentiality_period",
    "unit_price",
    "rate",
    "renewal_period",
    "notice_period",
    "cure_period",
    "non_solicit_period",
    "return_period",
    "liability_cap",
    "territory",
    "exclusivity",
)

# ISO 4217 codes the product recognises in text, and the symbols that stand for one of them.
CURRENCY_CODES: tuple[str, ...] = (
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CHF",
    "CAD",
    "AUD",
    "INR",
    "CNY",
    "SEK",
    "NOK",
    "DKK",
)
CURRENCY_SYMBOLS: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
