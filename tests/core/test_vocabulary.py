"""Each vocabulary is defined once: the core, the tables and the API use the same values."""

from __future__ import annotations

from typing import get_args

from bridge_app.core import vocabulary
from bridge_app.core.drafting import model as drafting_model
from bridge_app.core.extraction import model as extraction_model
from bridge_app.models import tables
from bridge_app.models.api import DraftCreate, ExportCreate


def _check_values(table: type, name: str) -> set[str]:
    constraint = next(c for c in table.__table__.constraints if c.name == name)
    text = str(constraint.sqltext)
    return {part.strip(" '") for part in text[text.index("(") + 1 : text.rindex(")")].split(",")}


def test_the_tables_check_constraints_come_from_the_vocabulary() -> None:
    assert _check_values(tables.Decision, "ck_decisions_kind") == set(vocabulary.ITEM_KINDS)
    assert _check_values(tables.Decision, "ck_decisions_review") == set(vocabulary.REVIEW_STATUSES)
    assert _check_values(tables.QAFinding, "ck_qa_severity") == set(vocabulary.SEVERITIES)
    assert _check_values(tables.Membership, "ck_memberships_role") == set(vocabulary.ROLES)
    assert _check_values(tables.Export, "ck_exports_format") == set(vocabulary.EXPORT_FORMATS)


def test_the_core_and_the_api_use_the_same_literals() -> None:
    assert extraction_model.ITEM_KINDS is vocabulary.ITEM_KINDS
    assert drafting_model.ContractType is vocabulary.ContractType
    assert set(get_args(DraftCreate.model_fields["contract_type"].annotation)) == set(
        vocabulary.CONTRACT_TYPES
    )
    export_format = ExportCreate.model_fields["format"].annotation
    assert set(get_args(export_format)) == set(vocabulary.EXPORT_FORMATS)


def test_currency_symbols_name_known_codes() -> None:
    assert set(vocabulary.CURRENCY_SYMBOLS.values()) <= set(vocabulary.CURRENCY_CODES)
