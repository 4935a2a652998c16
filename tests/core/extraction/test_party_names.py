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
