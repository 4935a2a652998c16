"""Commitments said without "I'll" and commitments whose task was said before them (the third
twin set's wording). Invented companies and people."""

from __future__ import annotations

from datetime import date

from bridge_app.core.extraction.commitments import find_commitments
from bridge_app.core.extraction.model import Item

from .helpers import segs

MEETING = date(2026, 5, 4)  # a Monday


def _found(*lines: tuple[str, str]) -> list[Item]:
    return find_commitments(segs(*lines), MEETING, {}, {})


def test_expect_it_from_us_is_a_commitment_with_its_due_date():
    [item] = _found(("Priya", "Brilliant. Expect the order form from us on Monday."))
    assert item.owner == "Priya"
    assert item.due == "2026-05-11"  # said on a Monday: the next one


def test_the_order_form_is_on_me():
    [item] = _found(("Beth", "The order form is on me. You'll have it by Friday."))
    assert "order form" in item.statement
    assert item.due == "2026-05-08"


def test_that_ones_on_me_takes_the_question_it_answers():
    [item] = _found(
        ("Marcus", "If we retire a truck mid-term, can we move the unit across to the new one?"),
        ("Tom", "Good question. I don't want to guess."),
        ("Marcus", "We turn over maybe ten trucks a year, so it adds up."),
        ("Tom", "That one's on me. You'll have an answer by Friday."),
    )
    assert "move the unit" in item.statement
    assert item.due == "2026-05-08"
    assert [e.segment_id for e in item.evidence] == ["c1", "c4"]


def test_i_can_have_that_to_you_by_a_date():
    [item] = _found(
        (
            "Marcus",
            "Tom needs the vehicle list for every truck. I can have that to you by Wednesday.",
        )
    )
    assert "vehicle list" in item.statement
    assert item.due == "2026-05-06"


def test_my_team_will_line_up_the_managers():
    [item] = _found(("Dana", "And my team will line up the depot managers for the install slots."))
    assert item.owner == "Dana"


def test_a_figure_or_term_offered_is_no_commitment():
    assert not _found(
        ("Ebba", "From our side, we'll put sixty thousand euros towards launch marketing."),
        ("Grant", "We'll take sixty days without a guarantee."),
        ("Ben", "Hang on, I'll check..."),
    )


def test_a_question_left_open_in_other_words_is_an_open_question():
    from bridge_app.core.extraction.commitments import find_open_questions

    said = segs(
        ("Giulia", "A question: the readings go into our system. Is the API connection included?"),
        ("Mads", "I believe so, but let me confirm with our product team before I promise."),
        ("Giulia", "OK, we'll leave that one open for now."),
    )
    [q] = find_open_questions(said)
    assert q.statement == "Is the API connection included?"


def test_one_company_named_in_a_contract_talk_is_enough_for_commitments():
    from bridge_app.core.extraction import extract_items

    items = extract_items(
        segs(
            ("Fergal", "So, Tansy & Holt sent through the draft statement of work on Monday."),
            ("Conor", "We saw it. The fixed price of €109,500 works for us, we can live with it."),
            ("Aoife", "From my end, I'll send you the CRM sandbox login by Monday."),
            ("Fergal", "Lovely. I'll get the revised SOW over to you by Wednesday."),
        ),
        meeting_date=MEETING,
    )
    owners = sorted(it.owner or "" for it in items if it.kind == "action_item")
    assert owners == ["Aoife", "Fergal"]


def test_documents_that_will_be_with_you_or_go_out_from_me_are_commitments():
    found = _found(
        ("Declan", "Perfect. The revised SOW and a delivery plan will be with you on Monday."),
        ("Lukas", "The list of people who need access will come from me on Monday."),
        ("Sanne", "And the credit application form goes out from me on Friday."),
        ("Thomas", "And our purchase order follows as soon as the order form is signed."),
        ("Tereza", "Our lawyers will send you the revised draft by Thursday."),
        ("Imran", "You'll have our supplier security questionnaire by end of day tomorrow."),
    )
    assert [f.owner for f in found] == ["Declan", "Lukas", "Sanne", "Thomas", "Tereza", "Imran"]


def test_tom_and_i_will_present_it_takes_what_it_is():
    [item] = _found(
        (
            "Fiona",
            "The term sheet goes to our board on the twenty-eighth. Tom and I will present it.",
        )
    )
    assert "term sheet" in item.statement


def test_looking_at_it_again_next_year_is_no_task():
    assert not _found(
        ("Harriet", "OK, slotting comes out. We'll look at it again next year."),
        ("Sofia", "The twenty-sixth of May, agreed. I'll write it that way."),
    )
