from bridge_app.core.extraction.law_values import find_governing_law


def test_governing_law_needs_a_law_context():
    law = find_governing_law("for governing law we usually use the State of New York")
    assert law == {"text": "New York"}
    assert find_governing_law("English law is fine") == {"text": "England and Wales"}
    assert find_governing_law("we use New York") is None  # no law context
