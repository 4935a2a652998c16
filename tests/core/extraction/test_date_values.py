from datetime import date

from bridge_app.core.extraction.date_values import find_dates, find_due_date


def test_due_dates_resolve_against_meeting_date_only():
    meeting = date(2026, 3, 4)  # a Wednesday
    # "next Friday" is the Friday of the following week; "Friday" / "this Friday" the coming one
    assert find_due_date("send it by next Friday", meeting) == ("2026-03-13", "next Friday")
    assert find_due_date("send it by Friday", meeting) == ("2026-03-06", "by Friday")
    assert find_due_date("done by end of Q2", meeting) == ("2026-06-30", "end of Q2")
    assert find_due_date("by March 20, 2026", None) == ("2026-03-20", "March 20, 2026")
    assert find_due_date("send it by next Friday", None) is None


def test_next_friday_said_on_a_thursday_is_the_week_after():
    thursday = date(2026, 11, 26)
    assert find_due_date("I'll send it by next Friday", thursday) == ("2026-12-04", "next Friday")
    assert find_due_date("I'll send it this Friday", thursday) == ("2026-11-27", "this Friday")
    assert find_due_date("see you next Monday", thursday) == ("2026-11-30", "next Monday")
    assert find_due_date("by next Thursday", thursday) == ("2026-12-03", "next Thursday")


def test_contract_dates_keyed_by_the_words_before_them():
    meeting = date(2026, 2, 10)
    found = find_dates("We start on March 2, 2026 and finish by 29 May 2026.", meeting)
    assert [(f.key, f.value) for f in found] == [
        ("start_date", "2026-03-02"),
        ("end_date", "2026-05-29"),
    ]
    assert [f.key for f in find_dates("effective as of 1 April 2026", None)] == ["effective_date"]
