"""Terms and parties said the way other calls say them (the business twins' kinds of wording):
all but the SOW-pair case were misread before session 10. Invented companies and people."""

from __future__ import annotations

from datetime import date

from bridge_app.core.extraction import extract_items
from bridge_app.core.extraction.mentions import segment_mentions
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.money_amounts import find_money

from .helpers import segs

MEETING = date(2026, 4, 16)


def _live(items: list[Item], key: str) -> list[Item]:
    return [
        it
        for it in items
        if it.kind == "agreed_term" and key in it.values and it.superseded_by is None
    ]


def _value(items: list[Item], key: str) -> object:
    found = _live(items, key)
    return found[-1].values[key] if found else None


def _call(*lines: tuple[str, str]) -> list[Item]:
    """A contract talk: the tracker reads terms only where a meeting talks about a contract."""
    opening = ("Host", "Let's go through the terms of the agreement.")
    return extract_items(segs(opening, *lines), meeting_date=MEETING)


def _mentions(text: str) -> list[tuple[object, object, str]]:
    return [(m.key, m.value, m.kind) for m in segment_mentions(text, MEETING, None, False)]


def test_a_bare_thirty_after_a_three_year_term_is_not_thirty_years():
    items = _call(
        ("Ana", "The contract term is three years."),
        ("Ben", "Three years is fine."),
        ("Ana", "When the three years are up, our standard notice is sixty days."),
        ("Ben", "Could we make that thirty?"),
        ("Ana", "Thirty days' notice is fine by me."),
    )
    assert _value(items, "term") == {"days": 1095, "text": "three years"}


def test_a_period_after_a_price_is_its_rate():
    kinds = _mentions("Twenty-four pounds a month over thirty-six months, that's the deal.")
    assert not [k for k in kinds if k[2] == "duration" and k[1] == {"days": 30, "text": "a month"}]


def test_australian_dollars_in_the_chat_reading():
    [money] = find_money("Done. A$8.40 per user per month.")
    assert (money.amount, money.currency) == (8.4, "AUD")
    [plain] = find_money("That is $9.80 a user.", dollar="AUD")
    assert plain.currency == "AUD"


def test_a_bare_number_repeating_a_day_count_is_that_day_term():
    items = _call(
        ("Lia", "Our fee is seventy-nine thousand, fixed."),
        ("Tom", "Seventy-nine thousand works. Payment at thirty days?"),
        ("Lia", "Thirty is fine."),
        (
            "Tom",
            "Accounts payable says new vendors go on the forty-five-day payment run. "
            "Can we make it forty-five?",
        ),
        ("Lia", "Fine, net forty-five."),
    )
    assert _value(items, "price")["amount"] == 79000  # type: ignore[index]
    assert _value(items, "payment_terms")["days"] == 45  # type: ignore[index]


def test_marking_a_term_open_parks_it():
    items = _call(
        ("Cal", "Our paper says British Columbia law."),
        (
            "Lu",
            "We'd want Ontario. Can your counsel and ours settle the governing law between them?",
        ),
        ("Cal", "Sure, we'll mark it as open in the draft."),
    )
    assert _value(items, "governing_law") is None


def test_phases_lead_times_and_consequences_are_not_the_duration():
    for text in (
        "We've sized it at eleven weeks all in, with a two-week discovery sprint up front.",
        "The first shipment takes six weeks by sea.",
        "It would stretch us to five months easily.",
    ):
        durations = [k for k in segment_mentions(text, MEETING, None, False)]
        offered = [m for m in durations if m.kind == "duration" and not m.context]
        assert [m.value["days"] for m in offered] in ([77], []), text  # type: ignore[index]


def test_dates_said_with_a_weekday_or_backdated():
    assert ("start_date", "2026-06-08", "date") in _mentions(
        "On dates, we'd propose starting on Monday the 8th of June."
    )
    keys = {m[0] for m in _mentions("Can we date it back to September 1st?")}
    assert keys == {"effective_date"}


def test_payment_within_days_of_an_invoice():
    assert ("payment_terms", {"days": 21, "text": "twenty-one days"}, "days") in _mentions(
        "On payment, we pay suppliers within twenty-one days of a valid invoice."
    )


def test_agreed_dates_give_the_duration_when_no_length_is_agreed():
    items = _call(
        ("Fe", "We propose a start date of the 8th of June."),
        ("Ao", "The 8th of June works for us."),
        ("Fe", "And the end date would be the 18th of December."),
        ("Ao", "The 18th of December is fine."),
    )
    assert _value(items, "duration") == {"days": 194, "text": "2026-06-08 to 2026-12-18"}


def test_a_disclosure_window_is_not_the_confidentiality_period():
    items = _call(
        ("Ma", "Confidentiality for four years?"),
        ("Ka", "Four years, agreed."),
        (
            "Ma",
            "And for what's covered, I'd suggest anything we exchange over the next "
            "eighteen months.",
        ),
        ("Ka", "Eighteen months of disclosures, agreed."),
    )
    assert _value(items, "confidentiality_period")["days"] == 1460  # type: ignore[index]


def test_a_cure_period_named_in_the_same_turn():
    items = _call(
        ("Pe", "Our standard with every supplier is seventy-five days."),
        ("Mo", "Forty-five days from invoice, we can live with that."),
        ("Pe", "Agreed. If you miss the minimum, how long do you get?"),
        ("Jo", "With time to catch up, please. A hundred and twenty days."),
        ("Mo", "That's reasonable."),
    )
    assert _value(items, "payment_terms")["days"] == 45  # type: ignore[index]


def test_in_principle_yes_accepts_despite_a_check_with_counsel():
    items = _call(
        ("Jo", "What about Irish law?"),
        ("Mo", "I'll just double-check with our counsel, but in principle, yes, Ireland."),
    )
    assert _value(items, "governing_law") == {"text": "Ireland"}


def test_a_comparison_named_as_a_reference_point_is_no_offer():
    items = _call(
        ("Pr", "Our number was a hundred and forty-five thousand US dollars a year."),
        (
            "Ma",
            "Just as a reference point, our weather data provider charges us about "
            "ninety-five thousand euros.",
        ),
        ("Ha", "We could do a hundred and twenty-five."),
        ("Ma", "Then you've got a deal at US$125,000 a year."),
    )
    assert _value(items, "price") == {"amount": 125000.0, "currency": "USD", "per": "year"}


def _parties(lines: list[tuple[str, str]]) -> dict[str, str | None]:
    items = _call(*lines)
    return {p.values["party"]["name"]: p.values["party"]["role"] for p in _live(items, "party")}


def test_companies_named_in_passing_and_the_offering_side():
    parties = _parties(
        [
            ("Mads", "Hi Lorenzo. So, Varmedal sent over the metering quote on Friday."),
            ("Giulia", "One change: Ginestrelli Hotels has decided to add the Verona property."),
            ("Mads", "Then the order form is for 240 meters at forty-seven euros."),
            ("Giulia", "Forty-seven works for us."),
        ]
    )
    assert parties == {"Ginestrelli Hotels": "buyer", "Varmedal": "seller"}


def test_a_speaker_on_a_company_side_and_the_sow_pair():
    parties = _parties(
        [
            ("Hana", "Hana, I'll be running delivery on the Brisk Lantern side."),
            ("Callum", "I'm Callum, account director at Brisk Lantern Software."),
            ("Desmond", "Desmond, I look after operations systems at Tallowmere Freight."),
            ("Lucia", "Callum, the proposal you sent over for the SOW has eighty-eight thousand."),
            ("Callum", "That's right, our fee is eighty-eight thousand, and we'll deliver in May."),
            ("Lucia", "Our budget is seventy-five. Could you do eighty?"),
            ("Callum", "Eighty works for us."),
        ]
    )
    assert parties == {"Brisk Lantern Software": "provider", "Tallowmere Freight": "client"}


def test_a_person_from_a_country_is_no_company():
    parties = _parties(
        [
            ("Tevita", "Hi, I'm Tevita, calling from New Zealand about the NDA."),
            ("Fiona", "Welcome. Quenby Creameries is the only side opening its books."),
        ]
    )
    assert "New Zealand" not in parties


def test_payable_within_a_deadline_a_site_visit_and_a_comparison():
    assert ("payment_terms", {"days": 45, "text": "forty-five days"}, "days") in _mentions(
        "We'd invoice quarterly in advance, payable within forty-five days."
    )
    assert not [k for k in _mentions("It won't clear customs before the end of February.") if k[0]]
    assert ("start_date", "2026-09-21", "date") not in _mentions(
        "We can have a team on site from the 21st of September."
    )
    found = segment_mentions(
        "A couple of our supply agreements run for five years.", MEETING, None, False
    )
    assert all(m.context for m in found if m.kind == "duration")
    [clause] = segment_mentions("A no-approach clause, six months.", MEETING, None, False)
    assert clause.key == "non_solicit_period"


def test_distribution_frame_our_side_and_a_colleague_at_work():
    parties = _parties(
        [
            (
                "Sanne",
                "We want a term sheet for Kestrzyn Agro to distribute the Groenmeer "
                "Biologicals range in Poland.",
            ),
            ("Agnieszka", "Good. What minimum do you have in mind?"),
            ("Sanne", "On our side, Groenmeer will also put money into the launch."),
        ]
    )
    assert parties == {"Kestrzyn Agro": "buyer", "Groenmeer Biologicals": "seller"}
    parties = _parties(
        [
            (
                "Tessa",
                "Tessa here, I run operations at Kestrel Bay Veterinary Group, and "
                "Marcus looks after IT across all our clinics.",
            ),
            ("Declan", "So the aim today is to get the Rostavale order form signed."),
            ("Marcus", "We need 120 users at eight dollars forty a month."),
            ("Declan", "Eight forty works for us."),
        ]
    )
    assert parties == {"Kestrel Bay Veterinary Group": "buyer", "Rostavale": "seller"}
