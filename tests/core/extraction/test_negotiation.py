"""The term model on business talk: one test group per kind of miss (invented sentences)."""

from datetime import date

from bridge_app.core.extraction import extract_items
from bridge_app.core.extraction.commitments import due_date
from bridge_app.core.extraction.mentions import segment_mentions
from bridge_app.core.extraction.model import TERM_KEYS, Item
from bridge_app.core.extraction.negotiation import stance, turn_stance
from bridge_app.core.extraction.numbers import find_numbers, find_ordinals, reading_near

from .helpers import segs

MEETING = date(2026, 5, 12)  # a Tuesday


def _live(items: list[Item], key: str) -> list[Item]:
    return [
        it
        for it in items
        if it.kind == "agreed_term" and key in it.values and it.superseded_by is None
    ]


def _value(items: list[Item], key: str):
    live = _live(items, key)
    if not live:
        return None
    latest = max(live, key=lambda it: max(e.start for e in it.evidence))
    return latest.values[key]


def _intro(a_company: str, b_company: str) -> list[tuple[str, str]]:
    return [
        ("Ann Lee", f"Hi, Ann Lee here, I run operations at {a_company}."),
        ("Bo Park", f"Hello, Bo Park, account lead at {b_company}."),
    ]


# --- 1. numbers said in words or shorthand ---------------------------------------------------


def test_spoken_numbers_and_shorthand_have_the_readings_a_listener_hears():
    def values(text: str) -> list[float]:
        return [n.value for n in find_numbers(text)]

    assert values("we'd pay forty one thousand") == [41000.0]
    assert values("a hundred and twenty units") == [120.0]
    assert values("three point two five million") == [3250000.0]
    assert values("two and a half million") == [2500000.0]
    assert values("43k, 2.4M and 9.5k a month") == [43000.0, 2400000.0, 9500.0]
    assert values("€48.300,00 or €17,50") == [48300.0, 17.5]
    # "fifty-two five" in a talk about 50,000 is 52,500; "nine forty" near 1,000 is 940.
    (n,) = find_numbers("How about fifty-two five?")
    assert reading_near(n, 50000) == 52500.0
    (n,) = find_numbers("nine forty")
    assert reading_near(n, 1000) == 940.0
    assert [d for d, _, _ in find_ordinals("the twenty-second or the 9th")] == [22, 9]


def test_net_days_spoken_and_a_bare_counter_takes_the_term_under_discussion():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Ann Lee", "For payment terms we normally do net ninety on this kind of agreement."),
            ("Bo Park", "Ninety is a lot for us. Could we say thirty?"),
            ("Ann Lee", "Sixty?"),
            ("Bo Park", "Sixty, OK."),
        ),
        meeting_date=MEETING,
    )
    assert _value(items, "payment_terms")["days"] == 60


# --- 2. other dates do not leak into contract dates ------------------------------------------


def test_kickoff_and_deadlines_are_not_contract_dates_and_relative_dates_resolve():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Ann Lee", "Can the agreement be effective as of the first of next month?"),
            ("Bo Park", "The first of June, sure."),
            ("Ann Lee", "We'll hold the kickoff on Monday the 8th of June."),
            ("Bo Park", "And I'll send the signed contract by Friday."),
        ),
        meeting_date=MEETING,
    )
    assert _value(items, "effective_date") == "2026-06-01"
    assert _live(items, "start_date") == [] and _live(items, "end_date") == []


def test_effective_as_of_today_is_the_meeting_date():
    ms = segment_mentions("Let's make the NDA effective as of today.", MEETING, None, False)
    assert [(m.key, m.value) for m in ms] == [("effective_date", "2026-05-12")]


# --- 3. every party gets a role -------------------------------------------------------------


def test_the_side_that_names_the_first_price_is_the_provider():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Bo Park", "For the statement of work our fee would be forty thousand, fixed."),
            ("Ann Lee", "Could you do thirty-eight?"),
            ("Bo Park", "Thirty-eight works."),
        ),
        meeting_date=MEETING,
    )
    roles = {p.values["party"]["name"]: p.values["party"]["role"] for p in _live(items, "party")}
    assert roles == {"Orrin Tools": "client", "Velda Consulting": "provider"}
    assert _value(items, "price")["amount"] == 38000.0


def test_a_deal_frame_names_buyer_and_seller():
    items = extract_items(
        segs(
            ("Cy Moss", "Today is the term sheet for Pellam Foods supplying Arlo Markets."),
            ("Di Roe", "Yes, and the territory is Denmark and Sweden."),
        )
    )
    roles = {p.values["party"]["name"]: p.values["party"]["role"] for p in _live(items, "party")}
    assert roles == {"Pellam Foods": "seller", "Arlo Markets": "buyer"}


# --- 4. distractor periods and a term changed later -----------------------------------------


def test_renewal_notice_and_cure_periods_are_not_the_term_and_a_later_term_wins():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Bo Park", "We'd propose a four-year term for the agreement."),
            ("Ann Lee", "Four years, yes."),
            ("Bo Park", "It renews for one-year periods with ninety days' notice."),
            ("Ann Lee", "Ninety days' notice is fine, and a thirty-day cure period."),
            ("Bo Park", "Thirty days to cure, agreed."),
            (
                "Ann Lee",
                "Sorry, going back to the term: our board caps it at two years. Two years?",
            ),
            ("Bo Park", "OK. Two years then."),
        ),
        meeting_date=MEETING,
    )
    assert _value(items, "term")["days"] == 730
    assert _value(items, "notice_period")["days"] == 90
    assert _value(items, "cure_period")["days"] == 30


# --- 5. the agreed total, not a unit price or an unanswered add-on --------------------------


def test_total_contract_value_beats_the_unit_price_and_add_ons_stay_out():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Software"),
            ("Bo Park", "For the order form, our list price is C$20 per user per month."),
            ("Ann Lee", "Could you do eighteen?"),
            ("Bo Park", "Eighteen works for a two-year subscription."),
            ("Ann Lee", "So 200 users at C$18 for 24 months, that's C$86,400 in total."),
            ("Bo Park", "Yes, C$86,400 total, that matches."),
            ("Bo Park", "We'd also offer a one-time onboarding package for C$3,000."),
            ("Ann Lee", "When can we start?"),
        ),
        meeting_date=MEETING,
    )
    assert _value(items, "price") == {"amount": 86400.0, "currency": "CAD"}
    assert _value(items, "unit_price")["amount"] == 18.0
    assert _value(items, "quantity")["value"] == 200.0


def test_a_comparison_figure_is_never_the_price():
    items = extract_items(
        segs(
            ("Buyer", "Another seller has the same bike listed at $300."),
            ("Seller", "I'm asking $420 for it."),
            ("Buyer", "I'm willing to do 380."),
            ("Seller", "I'll take 380."),
        )
    )
    assert _value(items, "price")["amount"] == 380.0


def test_acceptance_with_a_trailing_condition_or_question_still_accepts():
    items = extract_items(
        segs(
            ("Seller", "The lowest I can go is $150, final offer."),
            ("Buyer", "Okay, that works for me. Can you deliver it on Saturday?"),
        )
    )
    assert _value(items, "price")["amount"] == 150.0
    assert stance("okay I'll take it if you deliver?") == "assent"
    assert turn_stance("Fourteen nine. I'd need my boss to OK that.") == "defer"


# --- 6. commitments, open questions and parked terms ----------------------------------------


def test_team_and_first_person_commitments_with_owner_party_and_due():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Bo Park", "Our fee would be twenty thousand for the statement of work."),
            ("Ann Lee", "Twenty thousand works."),
            ("Ann Lee", "My team will send the data extract by the end of next week."),
            ("Bo Park", "I'm going to draft the plan tomorrow."),
            ("Bo Park", "You'll have the revised SOW from me on Thursday."),
            ("Ann Lee", "I'll be honest, the budget was tight."),
        ),
        meeting_date=MEETING,
    )
    commitments = {(it.owner, it.party, it.due) for it in items if it.kind == "action_item"}
    assert commitments == {
        ("Ann Lee", "Orrin Tools", "2026-05-22"),
        ("Bo Park", "Velda Consulting", "2026-05-13"),
        ("Bo Park", "Velda Consulting", "2026-05-14"),
    }
    assert not any("honest" in it.statement for it in items if it.kind == "action_item")


def test_due_dates_resolve_against_the_meeting_date():
    assert due_date("by the end of next week", MEETING) == ("2026-05-22", "end of next week")
    assert due_date("by Tuesday the 19th", MEETING)[0] == "2026-05-19"
    assert due_date("by the tenth", MEETING)[0] == "2026-06-10"
    assert due_date("on June third", MEETING)[0] == "2026-06-03"
    assert due_date("by Friday", None) is None  # the core never reads the clock
    thursday = date(2026, 11, 26)
    assert due_date("by next Friday", thursday)[0] == "2026-12-04"  # the week after
    assert due_date("by this Friday", thursday)[0] == "2026-11-27"
    assert due_date("by next Monday", thursday)[0] == "2026-11-30"


def test_a_parked_term_is_not_agreed_and_a_question_left_open_is_an_open_question():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Bo Park", "Governing law: our template says Texas."),
            ("Ann Lee", "We'd need Oregon. Let's park governing law for now."),
            ("Ann Lee", "Does the licence cover our contractors as well?"),
            ("Bo Park", "I'm not sure, I'd have to check with legal."),
            ("Ann Lee", "OK, let's leave that open."),
            ("Bo Park", "I'll send the draft by Friday."),
            ("Ann Lee", "And I'll send the user list by Monday."),
        ),
        meeting_date=MEETING,
    )
    assert _live(items, "governing_law") == []
    questions = [it.statement for it in items if it.kind == "open_question"]
    assert any("contractors" in q for q in questions)
    assert any("governing law" in q.lower() and "parked" in q for q in questions)


def test_every_value_keeps_its_negotiation_state_and_new_keys_are_in_the_vocabulary():
    items = extract_items(
        segs(
            *_intro("Orrin Tools", "Velda Consulting"),
            ("Bo Park", "For the agreement we'd want net sixty."),
            ("Ann Lee", "Net thirty is our policy."),
            ("Bo Park", "Net thirty is fine."),
        ),
        meeting_date=MEETING,
    )
    (pay,) = _live(items, "payment_terms")
    states = [(v["value"]["days"], v["state"]) for v in pay.values["negotiation"]]
    assert states == [(60, "countered"), (30, "accepted")]
    for key in ("unit_price", "renewal_period", "notice_period", "liability_cap", "territory"):
        assert key in TERM_KEYS


def test_a_few_days_of_lead_time_are_no_counter_to_payment_terms():
    items = extract_items(
        segs(
            *_intro("Quayside Robotics", "Northwind Supply"),
            ("Ann Lee", "On payment terms we would want net 60 for this contract."),
            ("Bo Park", "What about training?"),
            ("Ann Lee", "Two days would be enough for our team."),
            ("Bo Park", "Good. And net 60 is fine for us."),
        ),
        meeting_date=MEETING,
    )
    assert _value(items, "payment_terms") == {"days": 60, "text": "net 60"}
