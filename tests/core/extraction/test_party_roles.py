"""Which company is at the table and on which side, when nobody says it in so many words (the
twin meetings' wording, session 11). Invented companies and people."""

from __future__ import annotations

from bridge_app.core.extraction.parties import party_terms
from bridge_app.core.extraction.party_collect import _deal_doers
from bridge_app.core.extraction.party_names import _clean_name

from .helpers import segs


def _roles(*lines: tuple[str, str]) -> dict[str, str | None]:
    found = party_terms(segs(("Host", "Let's go through the agreement."), *lines))
    return {it.values["party"]["name"]: it.values["party"]["role"] for it in found}


def test_from_a_company_we_sent_names_that_party():
    said = segs(("Eirik", "So, from Kaldmark we sent you the quote on Friday."))
    assert list(_deal_doers(said, frozenset({"eirik"}))) == ["Kaldmark"]


def test_i_am_is_no_part_of_a_company_name():
    assert _clean_name("Switzerland I'm") == "Switzerland"


def test_a_company_that_does_the_others_books_provides_the_service():
    roles = _roles(
        ("Hannah", "So at the moment Ledgerline Partners does Hollybush Brewing's payroll."),
        ("Rob", "That's the one. We want to add the VAT returns to the amendment."),
    )
    assert roles == {"Ledgerline Partners": "provider", "Hollybush Brewing": "client"}


def test_the_distributor_of_a_maker_buys_from_it():
    roles = _roles(
        (
            "Ebba",
            "We're here to agree a term sheet for Southern Cross Dental Supply to be the "
            "distributor of Hallstrom Dental Systems in Australia.",
        ),
    )
    assert roles == {"Southern Cross Dental Supply": "buyer", "Hallstrom Dental Systems": "seller"}


def test_a_one_way_nda_names_who_receives_even_after_a_mutual_template():
    roles = _roles(
        ("Priya", "At Amberlea Capital Partners our template is mutual, mostly out of habit."),
        ("Hamish", "Marlowe & Finch Opticians is handing over its store P&Ls. So it's one-way."),
        ("Priya", "One-way, Amberlea Capital as the recipient, no objection from us."),
    )
    assert set(roles.values()) == {"disclosing", "receiving"}
    assert roles["Marlowe & Finch Opticians"] == "disclosing"


def test_a_speaker_answering_your_proposal_is_on_the_other_side():
    roles = _roles(
        (
            "Fiona",
            "I'm Fiona Gilchrist, head of operations at Brindle Creek Dairy Co-operative, "
            "and Graham looks after finance for us.",
        ),
        ("Anouk", "And I'm Anouk from Quillmark Data, I'll run the forecasting work."),
        ("Graham", "Okay, money. Your proposal says a hundred and eighteen thousand, fixed."),
        ("Lachlan", "That's right, one-eighteen, plus GST."),
        ("Graham", "The budget the board signed off is a hundred flat."),
        ("Lachlan", "I could get to a hundred and ten."),
    )
    assert roles["Quillmark Data"] == "provider"
    assert roles["Brindle Creek Dairy Co-operative"] == "client"


def test_a_colleague_who_runs_a_side_of_the_company_places_the_speaker():
    roles = _roles(
        (
            "Imogen",
            "Right, I've got Kwame with me, he runs the healthcare side of Calloway "
            "Facility Services up in Yorkshire.",
        ),
        (
            "Imogen",
            "Calloway would like three things in a variation to the services agreement "
            "with Ashgrove Dental Group.",
        ),
        ("Imogen", "We could do two hundred and forty-three thousand pounds a year."),
        ("Hamish", "Our budget has three percent in it, and the extraction units are old."),
    )
    assert roles["Ashgrove Dental Group"] == "client"
    assert {v for k, v in roles.items() if k.startswith("Calloway")} == {"provider"}
