from bridge_app.core.extraction.deliverable_values import find_deliverables


def test_deliverables_split_on_commas_and_articles():
    items = find_deliverables("We will deliver the runbook and the cutover plan by Friday.")
    assert [d.value["text"] for d in items] == ["runbook", "cutover plan"]
    items = find_deliverables("The scope includes a sales and marketing dashboard, and training.")
    assert [d.value["text"] for d in items] == ["sales and marketing dashboard", "training"]
