from bridge_app.core.extraction.deliverable_values import find_deliverables


def test_deliverables_split_on_commas_and_articles():
    items = find_deliverables("We will deliver the runbook and the cutover plan by Friday.")
    assert [d.value["text"] for d in items] == ["runbook", "cutover plan"]
    items = find_deliverables("The scope includes a sales and marketing dashboard, and training.")
    assert [d.value["text"] for d in items] == ["sales and marketing dashboard", "training"]


def test_a_scope_read_back_lists_each_deliverable_whole():
    said = (
        "So let me read the scope back. The volunteer scheduling web app, the integration with "
        "your donor CRM, the coordinator reporting dashboard, and six weeks of support after "
        "launch."
    )
    got = [f.value["text"] for f in find_deliverables(said)]
    assert "integration with your donor CRM" in got
    assert "volunteer scheduling web app" in got


def test_training_days_we_run_are_deliverables_and_a_term_is_not():
    said = "We'll run three agronomy training days for your field advisers, for two years."
    got = [f.value["text"] for f in find_deliverables(said)]
    assert got == ["three agronomy training days for your field advisers"]
