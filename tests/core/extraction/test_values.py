from bridge_app.core.extraction.values import term_values


def test_term_values():
    v = term_values("This agreement is governed by the laws of New York with Acme Corp as client")
    assert v["governing_law"] == {"text": "New York"}
    assert v["party"] == {"name": "Acme Corp", "role": "client"}
