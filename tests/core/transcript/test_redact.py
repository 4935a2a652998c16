"""PII redaction before storage, with a report of what was removed and where."""

from __future__ import annotations

import pytest

from bridge_app.core.transcript import parse_transcript
from bridge_app.core.transcript.redact import iban_valid, luhn_valid

TRANSCRIPT = """WEBVTT

c1
00:00:01.000 --> 00:00:05.000
<v Alice Grant>Send it to alice.grant@acme-legal.example.com and call me on (650) 253-0000.

c2
00:00:05.000 --> 00:00:09.000
<v Bob Ndlovu>Pay to IBAN DE89 3704 0044 0532 0130 00, or charge card 4111 1111 1111 1111.

c3
00:00:09.000 --> 00:00:12.000
<v Alice Grant>My SSN is 078-05-1120 and my NI number is AB 12 34 56 C.

c4
00:00:12.000 --> 00:00:16.000
<v Bob Ndlovu>The price is 189 dollars per unit, 250 units, order 4111111111111112, due 2024-03-05.
"""


def redacted(**kwargs):
    return parse_transcript(TRANSCRIPT.encode(), redact=True, **kwargs)


def test_all_kinds_are_removed_and_reported():
    t = redacted()
    texts = [s.text for s in t.segments]
    assert texts[0] == "Send it to [EMAIL] and call me on [PHONE]."
    assert texts[1] == "Pay to IBAN [IBAN], or charge card [CARD]."
    assert texts[2] == "My SSN is [NATIONAL_ID] and my NI number is [NATIONAL_ID]."
    # Prices, quantities, dates and a number failing the Luhn check stay.
    assert texts[3] == (
        "The price is 189 dollars per unit, 250 units, order 4111111111111112, due 2024-03-05."
    )
    kinds = [(r.segment_id, r.kind) for r in t.redactions]
    assert kinds == [
        ("c1", "email"),
        ("c1", "phone"),
        ("c2", "iban"),
        ("c2", "card"),
        ("c3", "national_id"),
        ("c3", "national_id"),
    ]
    segments = {s.segment_id: s for s in t.segments}
    for item in t.redactions:
        # The report points at the placeholder in the stored text; the PII is nowhere.
        assert segments[item.segment_id].text[item.start_char : item.end_char] == item.replacement
    dump = str(t.to_dict())
    for secret in ("alice.grant@", "253-0000", "DE89", "4111 1111", "078-05-1120", "AB 12 34"):
        assert secret not in dump
    assert any("redacted 6 item(s)" in w for w in t.warnings)


def test_kinds_are_configurable_per_upload():
    t = redacted(redact_kinds=["email"])
    assert [r.kind for r in t.redactions] == ["email"]
    assert "(650) 253-0000" in t.segments[0].text


def test_no_redaction_by_default():
    t = parse_transcript(TRANSCRIPT.encode())
    assert t.redactions == ()
    assert "alice.grant@acme-legal.example.com" in t.segments[0].text


def test_phone_region_matters_for_national_numbers():
    data = b"Ola Berg: ring meg paa 22 12 34 56 i morgen\n"
    assert parse_transcript(data, redact=True, default_region="NO").redactions
    assert not parse_transcript(data, redact=True, default_region="US").redactions


@pytest.mark.parametrize(
    ("number", "valid"),
    [("4111111111111111", True), ("5500005555555559", True), ("4111111111111112", False)],
)
def test_luhn(number, valid):
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE89370400440532013000", True),
        ("GB82WEST12345698765432", True),
        ("GB82WEST12345698765433", False),
        ("DE8937040044053201300", False),
    ],
)
def test_iban(iban, valid):
    assert iban_valid(iban) is valid
