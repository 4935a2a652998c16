from bridge_app.core.extraction import cues, extract_items, weights

from .helpers import segs


def test_weights_match_features():
    n = len(cues.FEATURE_NAMES)
    assert len(weights.DECISION_WEIGHTS) == n + 1 and len(weights.ACTION_WEIGHTS) == n + 1
    rows = cues.model_features(
        segs(
            ("A", "Um so we'll we'll go with the the rubber buttons."), ("B", "Yeah, sounds good.")
        )
    )
    assert [len(r) for r in rows] == [n, n]


def test_features_tolerate_disfluencies():
    clean, stuttered = cues.model_features(
        segs(
            ("A", "Let's use the scroll wheel for volume."),
            ("B", "Let's uh use the the scroll wheel for um volume."),
        )
    )
    lexical = len(cues.FEATURE_NAMES) - 16  # the cue forms come first
    assert clean[:lexical] == stuttered[:lexical]


def test_assignments_at_the_end_become_actions_stated_by_the_committer():
    talk = [
        ("A", f"The {w} option was discussed in some detail by the team today.")
        for w in ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
    ] * 4
    talk += [
        ("A", "So for next meeting you're going to prepare the component report."),
        ("B", "Okay."),
        ("C", "And I'll look into the user requirements before the next meeting."),
    ]
    items = extract_items(segs(*talk))
    actions = [it for it in items if it.kind == "action_item"]
    assert actions
    ids = {e.segment_id for it in actions for e in it.evidence}
    assert {f"c{len(talk) - 2}", f"c{len(talk)}"} & ids
    for it in items:
        assert it.evidence and 1 <= len(it.evidence) <= 3
        assert 0.0 <= it.confidence <= 1.0
        assert it.statement


def test_no_outcome_talk_gives_no_decisions():
    chat = [("A", "Hello."), ("B", "Hi there."), ("A", "How was the weekend?"), ("B", "Fine.")]
    assert [it for it in extract_items(segs(*chat)) if it.kind == "decision"] == []


def test_decision_evidence_links_the_later_restatement():
    filler = [
        ("ABC"[i % 3], f"The {w} slide shows the market numbers from the last survey round.")
        for i, w in enumerate(
            (
                "first",
                "second",
                "third",
                "fourth",
                "fifth",
                "sixth",
                "seventh",
                "eighth",
                "ninth",
                "tenth",
            )
            * 3
        )
    ]
    talk = [
        *filler[:12],
        ("A", "So we'll go with the kinetic charger instead of batteries."),
        ("B", "Yeah, sounds good."),
        *filler[12:26],
        ("C", "The kinetic charger also lets us drop the battery cover."),
        *filler[26:],
    ]
    decisions = [it for it in extract_items(segs(*talk)) if it.kind == "decision"]
    linked = [it for it in decisions if {"c13", "c29"} <= {e.segment_id for e in it.evidence}]
    assert linked, [[e.segment_id for e in it.evidence] for it in decisions]
    assert all(1 <= len(it.evidence) <= 3 for it in decisions)
    # a restatement serves one decision only
    ids = [e.segment_id for it in decisions for e in it.evidence]
    assert len(ids) == len(set(ids))
