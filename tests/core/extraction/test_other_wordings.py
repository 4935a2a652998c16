"""More terms said the way other calls say them: the wording of the twin meetings written in
session 11 (each case failed on that session's starting code, or guards a fix of it). Invented
companies and people."""

from __future__ import annotations

from bridge_app.core.extraction.negotiation import stance
from bridge_app.core.extraction.numbers import find_numbers

from .test_reworded_terms import _call, _live, _mentions, _value


def test_one_ninety_thousand_is_shorthand_hundreds():
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


def test_no_before_what_is_left_out_refuses_nothing():
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


def test_square_metres_are_an_area_not_units_ordered():
    kinds = _mentions("Fourteen hundred square metres, and up to six operatives on the rota.")
    assert not [k for k in kinds if k[0] == "quantity"]


def test_a_price_on_the_money_scale_is_not_a_percentage():
    items = _call(
        ("Callum", "Our proposal is one hundred and forty-eight thousand."),
        ("Marcus", "One twenty-eight, and we pay thirty percent at kickoff."),
        (
            "Callum",
            "I can't get to one twenty-eight. I could do one thirty-two, if it's thirty "
            "percent at kickoff.",
        ),
        ("Marcus", "Then let's lock that in. A hundred and thirty-two thousand, fixed."),
        ("Callum", "Locked in. Travel at cost, capped at six thousand."),
        ("Marcus", "Fine by us."),
    )
    assert _value(items, "price")["amount"] == 132000  # type: ignore[index]


def test_grand_as_fine_is_no_figure_and_finished_by_is_the_end():
    assert not find_numbers("Grand. From my side, you'll have the spec by Friday.")
    items = _call(
        (
            "Declan",
            "The team could start on Monday the 4th of May, and we'd have it "
            "finished by Friday the 30th of October.",
        ),
        ("Aoife", "That works. Fourth of May to the thirtieth of October, yes."),
        ("Declan", "Contract-wise, Irish law and the Irish courts?"),
        ("Ronan", "Irish law, yes. No argument there."),
    )
    assert _value(items, "end_date") == "2026-10-30"
    assert _value(items, "governing_law") == {"text": "Ireland"}


def test_a_total_with_a_comma_after_thousand_read_back_in_shorthand_is_agreed():
    assert [n.value for n in find_numbers("two hundred and seventy thousand, three hundred")] == [
        270300.0
    ]
    items = _call(
        ("Imogen", "The twelve months barely cover our costs. Could we settle on two?"),
        ("Hamish", "Two years. Go on, fine."),
        (
            "Imogen",
            "So the new annual total is two hundred and seventy thousand, three hundred "
            "and sixty pounds.",
        ),
        ("Hamish", "Two seventy, three sixty a year. Yes."),
    )
    assert _value(items, "price")["amount"] == 270360  # type: ignore[index]


def test_us_dollars_are_no_australian_dollars_and_a_value_concluded_with_then_is_agreed():
    from bridge_app.core.extraction.money_values import meeting_dollar

    assert meeting_dollar(["Our proposal was three hundred and forty thousand US dollars."]) == (
        "USD"
    )
    items = _call(
        ("Aiko", "Our fiscal year starts on the first of April, that makes the budget easier."),
        ("Sigrid", "April first for the licence start, then."),
    )
    assert _value(items, "start_date") == "2026-04-01"


def test_a_corrected_date_keeps_its_term_and_a_diary_date_is_none():
    items = _call(
        ("Joost", "When can Japanese actually start?"),
        (
            "Ines",
            "I'd say the first of May. Actually, no, sorry, my lead is away until the "
            "eighth. Let's say Monday the eighteenth of May, new fee from that date.",
        ),
        ("Joost", "The eighteenth is OK."),
    )
    assert _value(items, "start_date") == "2026-05-18"
    assert _value(items, "end_date") is None


def test_all_in_is_the_price_and_a_new_clause_leaves_the_context_behind():
    kinds = _mentions("Is that twelve thousand six hundred all in, or does the QA come on top?")
    assert kinds[0][0] != "other_amount"
    said = (
        "It runs on from the end of the current term in April, so the retainer goes through "
        "to the end of October 2028."
    )
    from bridge_app.core.extraction.mention_dates import date_mentions

    october = [d for d in date_mentions(said, None) if d.value == "2028-10-31"]
    assert october and not october[0].context


def test_no_problem_for_us_said_back_with_a_later_sentence_accepts():
    items = _call(
        ("Mads", "One more point. Our standard terms are under Danish law."),
        ("Thomas", "We would want Swiss law. Our lawyer will insist on it."),
        ("Mads", "Swiss law is no problem for us. We have other customers in Switzerland."),
    )
    assert _value(items, "governing_law") == {"text": "Switzerland"}


def test_the_unit_price_said_at_the_end_is_no_total_and_the_next_year_is_a_window():
    items = _call(
        (
            "Imogen",
            "Three hundred users at A$18 a month over thirty-six months, that's a total "
            "contract value of A$194,400.",
        ),
        ("Rosalind", "Let me check. Yes, A$194,400."),
        ("Imogen", "Great. I'll send the order form: 300 seats at A$18 a seat."),
    )
    assert _value(items, "price")["amount"] == 194400  # type: ignore[index]
    kinds = _mentions("I'd say the NDA covers what we share over the next year.")
    assert ("term", {"days": 365, "text": "year"}, "duration") in kinds


def test_a_term_you_take_instead_of_the_standard_one_is_the_offer():
    kinds = _mentions("If you take a three-year term instead of the standard one year, I'll do 33.")
    assert ("term", {"days": 1095, "text": "three-year"}, "duration") in kinds
    items = _call(
        (
            "Rafferty",
            "If you take a three-year term instead of the standard one year, I'll do thirty-three.",
        ),
        ("Bronwyn", "OK, done. Thirty-three a user a month, for three years."),
        ("Solene", "We'd like to move payment from thirty days to sixty."),
        ("Tobias", "That one I can't do. Our cash cycle is built around thirty."),
        ("Solene", "Worth a try. Thirty days stays, then."),
    )
    assert _value(items, "term")["days"] == 1095  # type: ignore[index]
    assert _value(items, "payment_terms")["days"] == 30  # type: ignore[index]


def test_obligations_to_last_three_years_and_a_clause_in_brackets_parks_no_term():
    items = _call(
        ("Morag", "On confidentiality, we'd want the obligations to last three years."),
        ("Tobias", "Three is longer than we normally give. Would you take two?"),
        ("Morag", "Our agreements with the cask suppliers run five years, and three is short."),
        ("Tobias", "Alright, I won't fight it. Three years."),
        ("Morag", "Effective date, then. Could the NDA start on Monday the 20th of April?"),
        ("Tobias", "The 20th of April. Yes, fine."),
        ("Morag", "I'll send the draft with the non-circumvention clause in square brackets."),
    )
    assert _value(items, "confidentiality_period")["days"] == 1095  # type: ignore[index]
    assert _value(items, "start_date") == "2026-04-20"


def test_a_handover_somewhere_around_a_date_is_an_estimate():
    kinds = _mentions("Sixteen weeks puts the handover somewhere around the end of August.")
    assert not [k for k in kinds if k[2] == "date" and k[0]]
