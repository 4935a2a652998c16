import math

from bridge_app.core.extraction import cues, extract_items, rules, weights

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
    lexical = cues.FEATURE_NAMES.index("log_words")  # the cue forms come first
    assert clean[:lexical] == stuttered[:lexical]
    learned = cues.FEATURE_NAMES.index("da_inform")  # the word model reads the same words
    assert clean[learned : learned + 6] == stuttered[learned : learned + 6]


def test_word_model_predicts_dialogue_acts_from_words():
    lex = cues.shipped_lexicon()
    suggest = cues.DA_CLASSES.index("suggest")
    minor = cues.DA_CLASSES.index("minor")
    proposal, _, _ = lex.scores(cues.tokens("Maybe we should use a rubber case instead."))
    backchannel, _, _ = lex.scores(cues.tokens("Mm-hmm."))
    assert abs(sum(proposal) - 1.0) < 1e-9
    assert proposal[suggest] > backchannel[suggest]
    assert backchannel[minor] > 0.5
    _, _dec_commit, act_commit = lex.scores(cues.tokens("I'll send you the report by next week."))
    _, _dec_chat, act_chat = lex.scores(cues.tokens("It was raining all morning."))
    assert act_commit > act_chat


def test_lexicon_round_trips_through_its_file_format():
    lex = cues.Lexicon((0.0,) * 8, {"let's": (0.1, 0.9, 0.0, -0.2, -0.3, -0.5, 1.25, 0.5)})
    again = cues.Lexicon.parse(lex.dump())
    assert again == lex
    assert again.scores({"let's", "unseen"})[1] == 1.25


def test_an_action_cites_its_commitment_not_a_colleagues_next_one():
    # The demo's ending: two people commit one after the other; each is its own action item.
    talk = [
        ("Dana", f"The {w} point of the agenda was discussed in some detail today.")
        for w in ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
    ] * 3
    talk += [
        ("Priya", "I will send the list of warehouse sites and the data access forms by Friday."),
        ("Omar", "And I'll prepare the project plan and share it with Priya before the start."),
        ("Dana", "Great, thanks everyone, that is all for today."),
    ]
    actions = [it for it in extract_items(segs(*talk)) if it.kind == "action_item"]
    send = f"c{len(talk) - 2}"
    plan = f"c{len(talk) - 1}"
    by_key = {
        next(e.segment_id for e in it.evidence if e.speaker == it.owner): it for it in actions
    }
    assert {send, plan} <= set(by_key)
    assert plan not in {e.segment_id for e in by_key[send].evidence}
    assert send not in {e.segment_id for e in by_key[plan].evidence}


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
        ("C", "The kinetic charger came up in the survey as well."),
        *filler[26:],
    ]
    decisions = [it for it in extract_items(segs(*talk)) if it.kind == "decision"]
    linked = [it for it in decisions if {"c13", "c29"} <= {e.segment_id for e in it.evidence}]
    assert linked, [[e.segment_id for e in it.evidence] for it in decisions]
    assert all(1 <= len(it.evidence) <= 3 for it in decisions)
    # a restatement serves one decision only
    ids = [e.segment_id for it in decisions for e in it.evidence]
    assert len(ids) == len(set(ids))


def test_decision_volume_follows_what_the_scorer_expects_not_length_alone():
    from bridge_app.core.extraction.rules import DECISION_MIN, decision_volume

    quiet = [-8.0] * 2000  # a long meeting where nothing looks cited
    busy = [-8.0] * 200 + [0.0] * 16  # a short one with sixteen coin-flip segments
    assert decision_volume(quiet) == DECISION_MIN
    assert decision_volume(busy) == 12  # 1.5 × (16 × 0.5 + 200 × 0.0003)
    assert decision_volume(busy) > decision_volume(quiet)


def test_action_volume_follows_the_count_the_scorer_expects():
    def logits(p: float, n: int) -> list[float]:
        return [math.log(p / (1 - p))] * n

    assert rules.action_volume(logits(0.02, 50)) == 1  # one expected: at least one
    assert rules.action_volume(logits(0.5, 8)) == 2  # four segments expected: two items
    assert rules.action_volume(logits(0.9, 20)) == rules.ACTION_MAX  # many: capped
