"""The extraction benchmark's inputs are what its report says they are."""

from bridge_app.bench.extraction import run_on_chat
from bridge_app.core.extraction.numbers import find_numbers


def test_the_run_on_chat_is_one_long_line_of_figures_and_each_run_gets_its_own():
    first, second = run_on_chat(0), run_on_chat(1)
    line = first[0].text
    assert len(line) >= 15_000 and not any(c in line for c in ".!?")
    assert len(find_numbers(line)) >= 1_200
    assert first[0].text != second[0].text  # no run can reuse another's cached reading
