"""Contract language from what people said: speakers to parties, commitments to obligations."""

from __future__ import annotations

import pytest

from bridge_app.core.drafting.language import (
    Side,
    first_person_words,
    obligation_sentence,
    speaker_sides,
)
from tests.core.drafting.factory import item

SIDES = {
    "Priya Natarajan": Side("Harborview Logistics", "Client"),
    "Dana Whitfield": Side("Brightline Data", "Provider"),
    "Omar Haddad": Side("Brightline Data", "Provider"),
}


def say(statement: str, speaker: str, **kw: object) -> str:
    return obligation_sentence(statement, speaker=speaker, sides=SIDES, **kw).text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("statement", "speaker", "expected"),
    [
        (
            "I will send the list of warehouse sites and the data access forms by next Friday.",
            "Priya Natarajan",
            "The Client shall send the list of warehouse sites and the data access forms to the "
            "Provider by 4 December 2026.",
        ),
        (
            "And I'll prepare the project plan and share it with Priya before the start date.",
            "Omar Haddad",
            "The Provider shall prepare the project plan and share it with the Client before the "
            "start date by 4 December 2026.",
        ),
        ("We'll deliver the dashboard.", "Dana Whitfield", None),
        (
            "Great, we'll send the draft statement of work to you this week. Thanks everyone.",
            "Dana Whitfield",
            "The Provider shall send the draft statement of work to the Client by 4 December 2026.",
        ),
        (
            "Could you send us the signed forms?",
            "Dana Whitfield",
            "The Client shall send the signed forms to the Provider by 4 December 2026.",
        ),
        (
            "I'm sending our security questionnaire tomorrow",
            "Priya Natarajan",
            "The Client shall send the Client's security questionnaire to the Provider by "
            "4 December 2026.",
        ),
        (
            "Omar will set up the staging environment by March 1",
            "Dana Whitfield",
            "The Provider shall set up the staging environment by 4 December 2026.",
        ),
        (
            "We are going to provide weekly status reports",
            "Omar Haddad",
            "The Provider shall provide weekly status reports to the Client by 4 December 2026.",
        ),
        (
            "Okay, so we need to sign off the data access forms on our side",
            "Priya Natarajan",
            "The Client shall sign off the data access forms on the Client's side by "
            "4 December 2026.",
        ),
        (
            "You'll get access to our data lake",
            "Priya Natarajan",
            "The Provider shall get access to the Client's data lake by 4 December 2026.",
        ),
        (
            "Let me circulate the minutes",
            "Priya Natarajan",
            "The Client shall circulate the minutes to the Provider by 4 December 2026.",
        ),
        (
            "Send the signed statement of work",
            "Omar Haddad",
            "The Provider shall send the signed statement of work to the Client by "
            "4 December 2026.",
        ),
    ],
)
def test_commitments_become_third_person_obligations(
    statement: str, speaker: str, expected: str | None
) -> None:
    text = say(statement, speaker, due_display="4 December 2026")
    if expected is None:
        expected = "The Provider shall deliver the dashboard to the Client by 4 December 2026."
    assert text == expected
    assert first_person_words(text) == []


def test_the_relative_date_said_is_replaced_by_the_resolved_one() -> None:
    text = say(
        "I will send the forms by next Friday.",
        "Priya Natarajan",
        due_display="4 December 2026",
        due_text="next Friday",
    )
    assert text == "The Client shall send the forms to the Provider by 4 December 2026."
    assert "next Friday" not in text


def test_without_a_due_date_no_date_is_invented() -> None:
    assert say("We'll deliver the dashboard.", "Dana Whitfield") == (
        "The Provider shall deliver the dashboard to the Client."
    )


def test_a_recipient_already_named_is_not_added_twice() -> None:
    text = say("I'll send the plan to Priya", "Omar Haddad")
    assert text == "The Provider shall send the plan to the Client."


def test_an_unknown_speaker_keeps_their_name() -> None:
    result = obligation_sentence(
        "I will send the invoice", speaker="Sam Lee", sides=SIDES, parties=("Client", "Provider")
    )
    assert result.text == "Sam Lee shall send the invoice."
    assert result.party is None


def test_the_other_party_is_known_from_the_contract_even_if_it_never_spoke() -> None:
    sides = {"Tom Okafor": Side("Brightpath", "Provider")}
    result = obligation_sentence(
        "I'll send the plan", speaker="Tom Okafor", sides=sides, parties=("Client", "Provider")
    )
    assert result.text == "The Provider shall send the plan to the Client."


def test_speaker_sides_from_introductions_and_colleagues() -> None:
    items = [
        item(
            "p1",
            {"party": {"name": "Brightline Data", "role": "provider"}},
            quote="Thanks for joining. This is Dana from Brightline Data, and with me is Omar "
            "from our delivery team.",
            speaker="Dana Whitfield",
        ),
        item(
            "p2",
            {"party": {"name": "Harborview Logistics", "role": "client"}},
            quote="Hi both, Priya here from Harborview Logistics.",
            speaker="Priya Natarajan",
        ),
        item("x", {"price": {"amount": 1, "currency": "USD"}}, speaker="Omar Haddad"),
        item("y", {"price": {"amount": 1, "currency": "USD"}}, speaker="Sam Lee"),
    ]
    sides = speaker_sides(
        items, [("Harborview Logistics", "Client"), ("Brightline Data", "Provider")]
    )
    assert sides["Dana Whitfield"].defined_as == "Provider"
    assert sides["Omar Haddad"].defined_as == "Provider"  # introduced by Dana
    assert sides["Priya Natarajan"].defined_as == "Client"
    assert "Sam Lee" not in sides  # never said who they are with


def test_an_items_party_field_maps_its_owner() -> None:
    items = [item("a", kind="action_item", owner="Sam Lee", party="Harborview Logistics")]
    sides = speaker_sides(items, [("Harborview Logistics Inc.", "Client")])
    assert sides["Sam Lee"].defined_as == "Client"


def test_a_mention_in_passing_is_not_an_introduction() -> None:
    items = [
        item(
            "p",
            {"party": {"name": "Harborview Logistics", "role": "client"}},
            quote="We worked with Harborview Logistics last year.",
            speaker="Dana Whitfield",
        )
    ]
    assert speaker_sides(items, [("Harborview Logistics", "Client")]) == {}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The Client shall pay.", []),
        ("We will pay.", ["We"]),
        ("the Provider's and our team", ["our"]),
        ('The Parties noted "we agree" at the meeting.', []),
        ("(i) the first item; (ii) the second", []),
        ("governed by US law", []),
        ("I'll send it", ["I'll"]),
    ],
)
def test_first_person_words(text: str, words: list[str]) -> None:
    assert first_person_words(text) == words


@pytest.mark.parametrize(
    ("statement", "speaker", "due_text", "expected"),
    [
        (  # a lead-in before the commitment is not part of it
            "Actually, I'll send you our security questionnaire, I'll get it to you by tomorrow.",
            "Priya Natarajan",
            "tomorrow",
            "The Client shall send the Client's security questionnaire to the Provider by "
            "4 December 2026.",
        ),
        (
            "From my side, I'll send you the API documentation and the contact names by Friday.",
            "Dana Whitfield",
            "Friday",
            "The Provider shall send the API documentation and the contact names to the Client "
            "by 4 December 2026.",
        ),
        (
            "Which reminds me, I need to check if we can split the cost across two years.",
            "Priya Natarajan",
            None,
            "The Client shall check if the Client can split the cost across two years by "
            "4 December 2026.",
        ),
        (
            "But I'd need to check with our controller whether the system allows it.",
            "Priya Natarajan",
            None,
            "The Client shall check with the Client's controller whether the system allows it "
            "by 4 December 2026.",
        ),
        (  # "by the end of the week": the whole phrase gives way to the resolved date
            "I'll send over the resourcing plan by the end of next week.",
            "Dana Whitfield",
            "end of next week",
            "The Provider shall send over the resourcing plan to the Client by 4 December 2026.",
        ),
        (
            "I'll get sign-off from our CFO before the end of the month.",
            "Priya Natarajan",
            "end of the month",
            "The Client shall get sign-off from the Client's CFO by 4 December 2026.",
        ),
        (  # the recipient goes with the object, not after the purpose
            "I will send you the floor plans by Thursday so you can plan the installation.",
            "Priya Natarajan",
            "Thursday",
            "The Client shall send the floor plans to the Provider so the Provider can plan the "
            "installation by 4 December 2026.",
        ),
        (  # a remark after the commitment is not an obligation
            "We'll own the migration, that's agreed.",
            "Dana Whitfield",
            None,
            "The Provider shall own the migration by 4 December 2026.",
        ),
        (
            "I'll check our lawyer is happy with it, but yes, England and Wales.",
            "Priya Natarajan",
            None,
            "The Client shall check the Client's lawyer is happy with it by 4 December 2026.",
        ),
        (  # the whole relative date goes, with its preposition
            "I'll set up the due diligence session with your team for next week.",
            "Priya Natarajan",
            "next week",
            "The Client shall set up the due diligence session with the Provider's team by "
            "4 December 2026.",
        ),
        (
            "We'll get the amendment drafted and over to you by Tuesday the 3rd.",
            "Dana Whitfield",
            "Tuesday",
            "The Provider shall get the amendment drafted and over to the Client by "
            "4 December 2026.",
        ),
    ],
)
def test_a_commitment_inside_a_longer_turn_becomes_one_clean_obligation(
    statement: str, speaker: str, due_text: str | None, expected: str
) -> None:
    text = say(statement, speaker, due_display="4 December 2026", due_text=due_text)
    assert text == expected
    assert first_person_words(text) == []
