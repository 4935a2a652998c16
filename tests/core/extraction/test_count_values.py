from bridge_app.core.extraction.count_values import (
    find_contract_durations,
    find_payment_terms,
    find_quantity,
)


def test_payment_terms_and_quantities():
    assert find_payment_terms("payment is net 30") == {"text": "net 30", "days": 30}
    assert find_quantity("we need 20 licenses") == {"value": 20.0, "unit": "licenses"}


def test_contract_durations():
    durations = find_contract_durations("The engagement runs for twelve weeks.")
    assert [(d.key, d.value["days"]) for d in durations] == [("duration", 84)]
    assert find_contract_durations("Keep it confidential for 3 years.")[0].key == (
        "confidentiality_period"
    )
    assert find_contract_durations("An initial 12 months term.")[0].value["days"] == 360
    assert find_contract_durations("Send it in two weeks, the contract can wait.") == []
