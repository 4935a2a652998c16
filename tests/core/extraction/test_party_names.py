from bridge_app.core.extraction.party_names import find_parties


def test_company_names():
    names = [p.name for p in find_parties("Between Northwind Inc. and Quayside Software Ltd.")]
    assert names == ["Northwind Inc.", "Quayside Software Ltd."]
    assert [p.name for p in find_parties("And Quayside Software GmbH signs.")] == [
        "Quayside Software GmbH"
    ]
    intro = find_parties("Hi, Priya here from Harborview Logistics.", people=frozenset({"priya"}))
    assert [p.name for p in intro] == ["Harborview Logistics"]
    assert find_parties("I'll share it with Priya Natarajan", people=frozenset({"priya"})) == []
    assert find_parties("I'm calling from New York today.") == []


def test_a_person_who_has_built_something_is_no_party_in_a_team_meeting():
    from bridge_app.core.extraction.parties import party_terms

    from .helpers import segs

    research = segs(
        ("C", "We need a belief net library for the parser."),
        ("D", "There's the toolkit that, um, Ines Ortega has written,"),
        ("C", "Right, let's try that one."),
    )
    assert party_terms(research) == []
    # In a contract talk the same frame names a company at the table.
    deal = segs(
        ("C", "Let's go over the order form for the sensors."),
        ("D", "Quayside Robotics has the final quantity."),
    )
    assert [it.values["party"]["name"] for it in party_terms(deal)] == ["Quayside Robotics"]
