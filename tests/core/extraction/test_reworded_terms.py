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


def test_one_ninety_thousand_is_shorthand_hundreds():
    from bridge_app.core.extraction.numbers import find_numbers

    said = "One ninety thousand and eighty. Yeah, that's what I make it too."
    assert [n.value for n in find_numbers(said)] == [190080.0]
    assert [n.value for n in find_numbers("a one fifty thousand deal")] == [150000.0]


def test_users_at_a_figure_is_the_unit_price_not_the_total():
    items = _call(
        ("Hal", "Our list rate is twenty-nine pounds per user per month."),
        ("Gus", "Twenty-four pounds a user and you have a deal."),
        ("Hal", "Twenty-four is fine."),
        (
            "Hal",
            "So two hundred and twenty users at twenty-four pounds a month over thirty-six "
            "months, which gives a total contract value of one hundred and ninety thousand "
            "and eighty pounds.",
        ),
        ("Gus", "One ninety thousand and eighty. Yeah, that's what I make it too."),
        ("Hal", "I'll get the order form over to you by Friday, 220 users at £24, three years."),
    )
    assert _value(items, "price") == {"amount": 190080.0, "currency": "GBP"}


def test_once_a_month_is_a_frequency_not_a_period():
    items = _call(
        ("Hal", "Our standard notice is sixty days."),
        ("Gus", "Could we make that thirty?"),
        ("Hal", "Thirty days' notice is fine by me."),
        ("Hal", "Billing is yearly in advance, with forty-five days to pay."),
        ("Gus", "Any chance of sixty? Our payment run only happens once a month."),
        ("Hal", "I can't stretch to sixty. Forty-five is as far as I can go on that."),
        ("Gus", "OK, we can live with forty-five."),
    )
    assert _value(items, "payment_terms")["days"] == 45  # type: ignore[index]
    assert _value(items, "notice_period")["days"] == 30  # type: ignore[index]


def test_a_date_that_suits_the_other_side_is_agreed():
    items = _call(
        ("Mads", "The subscription itself would begin on the 1st of October."),
        ("Giulia", "October 1st suits us, the season is winding down by then."),
    )
    assert _value(items, "start_date") == "2026-10-01"


def test_thirty_six_months_says_back_three_years():
    items = _call(
        ("Hana", "On the term, our standard commitment is two years."),
        ("Tessa", "Would you hold eight forty for three years?"),
        (
            "Declan",
            "Three years at a fixed rate... yes, I can do that. Thirty-six months, no uplift.",
        ),
    )
    assert _value(items, "term")["days"] == 1095  # type: ignore[index]


def test_the_all_in_figure_is_the_total_not_its_parts():
    items = _call(
        ("Niamh", "Three and a half percent on the base gives £27,324 a month."),
        ("Harriet", "OK, agreed."),
        ("Omar", "Twenty-seven three twenty-four, yep, that's what I've got too."),
        (
            "Niamh",
            "All in, that's £32,274 a month going forward: a base of twenty-seven three "
            "twenty-four, plus four nine fifty for out-of-hours.",
        ),
        ("Harriet", "Thirty-two thousand two hundred and seventy-four a month. Yes, that's right."),
        ("Niamh", "Last one from us: we'd like to bring payment in from sixty days to thirty."),
    )
    assert _value(items, "price")["amount"] == 32274  # type: ignore[index]


def test_from_sixty_days_to_thirty_is_a_day_count():
    kinds = _mentions("We'd like to bring payment in from sixty days to thirty.")
    assert ("payment_terms", {"days": 30, "text": "thirty days"}, "days") in kinds


def test_a_date_said_back_goes_to_the_term_that_offered_it():
    items = _call(
        (
            "Ruth",
            "We could start on Monday the 8th of June and finish on Friday the 18th of December.",
        ),
        ("Orla", "The 8th of June is good. The 18th of December is tight, but it's fine, yes."),
    )
    assert _value(items, "start_date") == "2026-06-08"
    assert _value(items, "end_date") == "2026-12-18"


def test_no_need_to_overthink_is_no_refusal():
    items = _call(
        ("Ruth", "And contract-wise, Irish law and the Irish courts, I presume?"),
        ("Fergal", "Irish law, yes. No need to overthink that one."),
    )
    assert _value(items, "governing_law") == {"text": "Ireland"}


def test_we_can_sign_that_accepts():
    items = _call(
        ("Jordan", "What if we say five years for the confidentiality period?"),
        ("Tobias", "Five years, plus that carve-out for the coating recipes. We can sign that."),
    )
    assert _value(items, "confidentiality_period")["days"] == 1825  # type: ignore[index]


def test_back_dated_to_is_the_effective_date_and_leases_that_run_are_context():
    items = _call(
        ("Hamish", "Confidentiality for three years. Most store leases run for ten years."),
        ("Priya", "Three years. We can accept that."),
        ("Hamish", "And I'd like it back-dated to the first of October."),
        ("Priya", "The first of October, no problem."),
    )
    assert _value(items, "confidentiality_period")["days"] == 1095  # type: ignore[index]
    assert _value(items, "effective_date") == "2026-10-01"
    assert _value(items, "end_date") is None


def test_nine_pounds_fifty_is_one_amount():
    kinds = _mentions("Our list price is nine pounds fifty per user per month.")
    assert kinds == [
        ("unit_price", {"amount": 9.5, "currency": "GBP", "per": "user/month"}, "money")
    ]


def test_a_unit_price_said_back_late_is_not_a_new_total():
    items = _call(
        ("Beth", "Our list price is nine pounds fifty per user per month."),
        ("Maggie", "We've been quoted seven pounds a user by another rota app."),
        ("Beth", "On a one-year term I could do eight twenty-five."),
        ("Maggie", "And on three years? Would you go to seven fifty?"),
        ("Beth", "Seven fifty I can't do. On a three-year term I can do seven seventy-five."),
        ("Maggie", "Then yes. Seven seventy-five per user, three-year term."),
        ("Beth", "So 320 users at £7.75 a month for 36 months comes to £89,280 over the term."),
        ("Maggie", "Eighty-nine thousand two hundred and eighty. Yes, that's what I get."),
        ("Beth", "We also have a premium support tier. That's twelve hundred pounds a year."),
        *[("Tariq", "Where is the data kept?"), ("Cal", "In the UK.")] * 11,
        ("Beth", "You'll have the order form by Friday: 320 users at seven seventy-five."),
    )
    assert _value(items, "unit_price")["amount"] == 7.75  # type: ignore[index]
    assert _value(items, "price")["amount"] == 89280  # type: ignore[index]
    said = [h["value"] for it in _live(items, "price") for h in it.values["negotiation"]]
    assert {"amount": 775.0, "currency": "GBP", "per": "year"} not in said


def test_one_twenty_with_a_hyphen_is_a_hundred_and_twenty():
    from bridge_app.core.extraction.numbers import find_numbers

    assert [n.value for n in find_numbers("So one-twenty vehicles on this order.")] == [120.0]


def test_an_assent_then_the_figure_said_back_accepts_it():
    items = _call(
        ("Priya", "Our list price is forty-four dollars per vehicle per month."),
        (
            "Dana",
            "A hundred and twenty trucks. We were hoping for something closer to thirty-five.",
        ),
        ("Priya", "On a three-year term I could do thirty-six fifty."),
        ("Dana", "Then let's lock that in. Three years, thirty-six fifty a truck a month."),
    )
    assert _value(items, "unit_price")["amount"] == 36.5  # type: ignore[index]
    counts = [
        h["value"] for it in items if "quantity" in it.values for h in it.values["negotiation"]
    ]
    assert {"value": 35.0, "unit": "trucks"} not in counts
    assert _value(items, "term")["days"] == 1095  # type: ignore[index]


def test_a_contract_under_victorian_law_offers_that_law():
    items = _call(
        ("Priya", "Our standard paper is governed by New South Wales law."),
        ("Dana", "Our head contract says suppliers have to contract under Victorian law."),
        ("Priya", "Legal already has a Victorian version. Victoria's fine."),
    )
    assert _value(items, "governing_law") == {"text": "Victoria"}


def test_a_count_given_altogether_and_noted_is_agreed():
    items = _call(
        ("Eirik", "How many probes are you thinking?"),
        ("Annina", "Two hundred and forty altogether."),
        ("Eirik", "Two hundred and forty probes. Noted."),
    )
    assert _value(items, "quantity")["value"] == 240  # type: ignore[index]


def test_the_monday_after_the_twenty_first_is_the_start():
    kinds = _mentions("And then the subscription starts on the Monday after, the twenty-first.")
    assert ("start_date", "2026-04-21", "date") in kinds


def test_from_a_company_we_sent_names_that_party():
    from bridge_app.core.extraction.party_collect import _deal_doers

    said = segs(("Eirik", "So, from Kaldmark we sent you the quote on Friday."))
    assert list(_deal_doers(said, frozenset({"eirik"}))) == ["Kaldmark"]


def test_i_am_is_no_part_of_a_company_name():
    from bridge_app.core.extraction.party_names import _clean_name

    assert _clean_name("Switzerland I'm") == "Switzerland"


def test_no_before_what_is_left_out_refuses_nothing():
    from bridge_app.core.extraction.negotiation import stance

    assert stance("Sixty days, no guarantee.") == "neutral"
    assert stance("No, that is too low.") == "reject"
    assert stance("We have no room to move on that.") == "reject"


def test_an_earlier_law_said_back_as_acceptable_is_agreed():
    items = _call(
        ("Ebba", "Governing law. We normally contract under Swedish law."),
        (
            "Grant",
            "We'd want New South Wales. Every supplier contract we've got is New South Wales.",
        ),
        ("Leilani", "Or New Zealand law, since half the territory is mine?"),
        ("Grant", "Let's not make it harder, Leilani."),
        (
            "Johan",
            "New South Wales is acceptable to them, if disputes go to arbitration in Singapore.",
        ),
        ("Grant", "Singapore arbitration is fine by us."),
    )
    assert _value(items, "governing_law") == {"text": "New South Wales"}


def test_a_turn_that_names_payment_answers_payment_not_an_earlier_cure_period():
    items = _call(
        ("Petra", "To fix a breach you get a hundred and twenty days' cure period."),
        ("Grant", "A hundred and twenty days' cure period is fine."),
        ("Petra", "Payment terms. For distributors we normally do thirty days."),
        ("Grant", "We pay our suppliers at ninety."),
        ("Petra", "Ninety is too long for us. Seventy-five?"),
        ("Grant", "Seventy-five days. Okay."),
    )
    assert _value(items, "payment_terms")["days"] == 75  # type: ignore[index]
    assert _value(items, "cure_period")["days"] == 120  # type: ignore[index]
