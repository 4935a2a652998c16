"""Transcript corrections as the API and the UI call them: a new input version with the
original kept, audited, re-extracted, drafted and checked inline, with the reviews of unchanged
items carried over; and every refusal (role, organization, stale version, bad input, busy)."""

from __future__ import annotations

import base64
import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from bridge_app.core.stages import Stage
from bridge_app.models import AuditEvent, Decision, Draft, DraftVersion, Meeting, TranscriptSegment
from bridge_app.ops.backup import find_pg_tool, libpq_url, server_major_version
from bridge_app.services import actions, corrections, crypto, terms
from bridge_app.services.audit_view import SEALED
from bridge_app.services.db import session_scope
from bridge_app.services.errors import Conflict, Forbidden, Invalid, NotFound
from bridge_app.services.meeting_data import (
    data_key,
    load_segments,
    load_version_doc,
    participants_of,
    speaker_of,
)
from bridge_app.services.queue import NextJob
from bridge_app.settings import get_settings
from tests.api.conftest import DEMO
from tests.api.support import Org, make_org, run_until_idle

pytestmark = pytest.mark.services

PRICE_LINE = 8  # c9: "Okay, $38,000 works for us. Agreed."


@pytest.fixture()
def org(migrated: str) -> Org:
    return make_org("Corrections")


def _ready_meeting(org: Org) -> uuid.UUID:
    """The demo kick-off uploaded by the org's legal user and run through the pipeline."""
    upload = actions.upload_meeting(
        principal=org.principals["legal"],
        filename="kickoff.vtt",
        data=DEMO.read_bytes(),
        title="SOW kick-off",
        contract_type="sow",
    )
    run_until_idle(upload.job)
    with session_scope() as s:
        meeting = s.get(Meeting, upload.meeting.id)
        assert meeting is not None and meeting.status == "ready", meeting
    return upload.meeting.id


def _correct(org: Org, meeting_id: uuid.UUID, role: str = "legal", **kwargs: Any) -> NextJob:
    args: dict[str, Any] = {"version": 1, "reason": "the client confirmed the figure"} | kwargs
    with session_scope() as s:
        _, job = corrections.correct_segment(
            s, principal=org.principals[role], meeting_id=meeting_id, **args
        )
    return job


def _items(s: Session, meeting_id: uuid.UUID, version: int) -> dict[str, Decision]:
    rows = s.exec(
        select(Decision).where(Decision.meeting_id == meeting_id, Decision.input_version == version)
    ).all()
    return {r.item_key: r for r in rows}


def _review(org: Org, decision: Decision, action: str, reason: str | None = None) -> None:
    with session_scope() as s:
        actions.review_decision(
            s,
            principal=org.principals["legal"],
            decision_id=decision.id,
            action=action,  # type: ignore[arg-type]
            reason=reason,
        )


def test_a_correction_is_a_new_version_with_the_original_kept_and_audited(org: Org) -> None:
    meeting_id = _ready_meeting(org)
    job = _correct(
        org,
        meeting_id,
        position=PRICE_LINE,
        text="Okay, $39,000 works for us. Agreed.",
        ip="10.1.2.3",
    )
    assert job == NextJob(Stage.decision, meeting_id, 2)
    with session_scope() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None
        assert (meeting.input_version, meeting.status) == (2, "ingested")
        key = data_key(s, meeting)
        now_ = load_segments(s, meeting, key)
        original = load_segments(s, meeting, key, version=1)
        assert len(now_) == len(original) == 20
        assert original[PRICE_LINE].text == "Okay, $38,000 works for us. Agreed."
        assert now_[PRICE_LINE].text == "Okay, $39,000 works for us. Agreed."
        assert now_[PRICE_LINE].external_id == original[PRICE_LINE].external_id == "c9"
        assert [x.text for i, x in enumerate(now_) if i != PRICE_LINE] == [
            x.text for i, x in enumerate(original) if i != PRICE_LINE
        ]
        # Encrypted at rest like every segment.
        rows = s.exec(
            select(TranscriptSegment).where(
                TranscriptSegment.meeting_id == meeting_id, TranscriptSegment.input_version == 2
            )
        ).all()
        assert all(r.speaker == "" and r.speaker_ciphertext for r in rows)
        assert not any(b"39,000" in r.text_ciphertext for r in rows)
        event = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == "transcript.correct", AuditEvent.object_id == str(meeting_id)
            )
        ).one()
        assert event.actor_user_id == org.principals["legal"].user_id and event.ip == "10.1.2.3"
        detail = event.detail
        assert detail["reason"] == "the client confirmed the figure"
        assert (detail["from_version"], detail["version"], detail["segments"]) == (1, 2, [8])
        assert "39,000" not in json.dumps(detail)  # the chain holds no meeting text
        change = json.loads(crypto.decrypt(key, base64.b64decode(detail[SEALED])))
        assert change == {
            "old": {"segment 8 text": "Okay, $38,000 works for us. Agreed."},
            "new": {"segment 8 text": "Okay, $39,000 works for us. Agreed."},
        }


def test_the_corrected_version_is_redrafted_and_unchanged_items_keep_their_review(
    org: Org,
) -> None:
    meeting_id = _ready_meeting(org)
    with session_scope() as s:
        before = _items(s, meeting_id, 1)
    _review(org, before["term-governing_law-c15"], "accept")
    _review(org, before["oq-c18"], "reject", reason="settled by email")
    _review(org, before["term-price-c9"], "accept")
    with session_scope() as s:
        terms.set_term(
            s,
            principal=org.principals["legal"],
            meeting_id=meeting_id,
            term="start_date",
            fields={"date": "2026-04-06"},
            segment_keys=["c13"],
            reason="the start moved by email",
        )
    run_until_idle(
        _correct(org, meeting_id, position=PRICE_LINE, text="Okay, $39,000 works for us. Agreed.")
    )
    with session_scope() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and (meeting.status, meeting.input_version) == ("ready", 2)
        after = _items(s, meeting_id, 2)
        assert after["term-price-c9"].review_status == "proposed"  # its price changed
        law = after["term-governing_law-c15"]
        assert law.review_status == "accepted"
        assert law.reviewed_by == org.principals["legal"].user_id
        assert after["oq-c18"].review_status == "rejected"
        assert after["oq-c18"].review_reason == "settled by email"
        # A term entered by hand is no extraction: it is copied, with its review.
        entered = after["reviewer-start_date-1"]
        assert entered.review_status == "accepted"
        assert entered.review_reason == "the start moved by email"
        assert entered.evidence_segment_keys == ["c13"]
        assert (
            sum(r.review_status != "proposed" for r in after.values())
            == sum(r.review_status != "proposed" for k, r in _items(s, meeting_id, 1).items()) - 1
        )  # all but the price
        # The original version's items and reviews are kept as they were.
        again = _items(s, meeting_id, 1)
        assert again["term-price-c9"].review_status == "accepted"
        draft = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        assert draft.current_version == 2
        key = data_key(s, meeting)
        bodies = {
            v.version: json.dumps(load_version_doc(v, key).to_dict())
            for v in s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft.id))
        }
        versions = s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft.id)).all()
        assert all(v.qa_done for v in versions)
    assert "38,000" in bodies[1] and "39,000" not in bodies[1]
    assert "39,000" in bodies[2] and "38,000" not in bodies[2]


def test_speakers_are_named_merged_and_reassigned(org: Org) -> None:
    meeting_id = _ready_meeting(org)
    with session_scope() as s:
        _, job = corrections.rename_speaker(
            s,
            principal=org.principals["legal"],
            meeting_id=meeting_id,
            version=1,
            speaker="Dana Whitfield",
            name="  Dana   Whitfield-Ray ",
            reason="her full name",
        )
    assert job == NextJob(Stage.decision, meeting_id, 2)
    run_until_idle(job)
    with session_scope() as s:
        _, job = corrections.merge_speakers(
            s,
            principal=org.principals["legal"],
            meeting_id=meeting_id,
            version=2,
            speaker="Omar Haddad",
            into="Dana Whitfield-Ray",
            reason="one person on two microphones",
        )
    run_until_idle(job)
    run_until_idle(
        _correct(org, meeting_id, version=3, position=0, speaker="Omar Haddad", reason="his line")
    )
    with session_scope() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and (meeting.input_version, meeting.status) == (4, "ready")
        key = data_key(s, meeting)
        speakers = [x.speaker for x in load_segments(s, meeting, key)]
        first = [x.speaker for x in load_segments(s, meeting, key, version=1)]
        assert speakers[0] == "Omar Haddad"
        assert "Dana Whitfield" not in speakers and "Dana Whitfield" in first
        assert (
            speakers.count("Dana Whitfield-Ray")
            == first.count("Dana Whitfield") + first.count("Omar Haddad") - 1
        )
        assert participants_of(meeting) == ["Dana Whitfield-Ray", "Priya Natarajan", "Omar Haddad"]
        rows = s.exec(
            select(TranscriptSegment.speaker_ciphertext).where(
                TranscriptSegment.meeting_id == meeting_id
            )
        ).all()
        assert all(r and b"Whitfield" not in r for r in rows)
        actions_done = s.exec(
            select(AuditEvent.action)
            .where(
                AuditEvent.object_id == str(meeting_id), col(AuditEvent.action).like("transcript.%")
            )
            .order_by(col(AuditEvent.id))
        ).all()
        assert actions_done == [
            "transcript.rename_speaker",
            "transcript.merge_speakers",
            "transcript.correct",
        ]
        # The extracted items name the people as corrected.
        owners = {
            json.loads(crypto.decrypt(key, r.content_ciphertext)).get("owner")
            for r in _items(s, meeting_id, 4).values()
        }
    assert "Dana Whitfield-Ray" in owners and "Dana Whitfield" not in owners


def test_who_may_correct_and_what_is_refused(org: Org) -> None:
    meeting_id = _ready_meeting(org)
    line = {"position": PRICE_LINE, "text": "Okay, $39,000 works."}
    for role in ("viewer", "ops"):
        with pytest.raises(Forbidden):
            _correct(org, meeting_id, role=role, **line)
    stranger = make_org("Stranger")
    with session_scope() as s, pytest.raises(NotFound):
        corrections.correct_segment(
            s,
            principal=stranger.principals["admin"],
            meeting_id=meeting_id,
            version=1,
            reason="x",
            **line,
        )
    refusals: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"position": PRICE_LINE, "text": ""}, Invalid, "text cannot be empty"),
        ({"position": PRICE_LINE, "text": "  \n "}, Invalid, "text cannot be empty"),
        ({"position": PRICE_LINE, "text": "x" * 10_001}, Invalid, "longer than"),
        ({"position": PRICE_LINE, "speaker": " "}, Invalid, "name cannot be empty"),
        ({"position": PRICE_LINE}, Invalid, "new text or its new speaker"),
        ({**line, "reason": "  "}, Invalid, "reason is required"),
        (
            {"position": PRICE_LINE, "text": "Okay, $38,000 works for us. Agreed."},
            Invalid,
            "nothing changed",
        ),
        ({"position": 999, "text": "x"}, NotFound, "no segment 999"),
        ({**line, "version": 0}, Conflict, "version 1 is current"),
    ]
    for kwargs, error, message in refusals:
        with pytest.raises(error, match=message):
            _correct(org, meeting_id, **kwargs)
    with session_scope() as s:
        for bad, message in (
            ({"speaker": "Nobody", "name": "X"}, "no speaker 'Nobody'"),
            ({"speaker": "Dana Whitfield", "name": "Priya Natarajan"}, "merge the two"),
            ({"speaker": "Dana Whitfield", "name": "Dana Whitfield"}, "nothing changed"),
            ({"speaker": "Dana Whitfield", "name": ""}, "cannot be empty"),
        ):
            with pytest.raises(Invalid, match=message):
                corrections.rename_speaker(
                    s, principal=org.principals["legal"], meeting_id=meeting_id, version=1,
                    reason="r", **bad,
                )  # fmt: skip
        for merge, message in (
            ({"speaker": "Dana Whitfield", "into": "Dana Whitfield"}, "two different"),
            ({"speaker": "Ghost", "into": "Dana Whitfield"}, "no speaker 'Ghost'"),
        ):
            with pytest.raises(Invalid, match=message):
                corrections.merge_speakers(
                    s, principal=org.principals["legal"], meeting_id=meeting_id, version=1,
                    reason="r", **merge,
                )  # fmt: skip
    with session_scope() as s:
        assert s.get(Meeting, meeting_id).input_version == 1  # type: ignore[union-attr]

    # The first correction wins; the same edit of the stale version is refused, clearly.
    job = _correct(org, meeting_id, **line)
    with pytest.raises(Conflict, match="being processed"):
        _correct(org, meeting_id, version=2, position=0, text="Hello.")
    run_until_idle(job)
    with pytest.raises(Conflict, match="you corrected version 1, version 2 is current") as stale:
        _correct(org, meeting_id, **line)
    assert stale.value.extra["current_version"] == 2
    # An item of the earlier version can no longer be reviewed.
    with session_scope() as s:
        old = _items(s, meeting_id, 1)["term-governing_law-c15"]
    with pytest.raises(Conflict, match="earlier version of the transcript"):
        _review(org, old, "accept")


def test_the_editor_reads_the_current_version_only(org: Org) -> None:
    meeting_id = _ready_meeting(org)
    run_until_idle(_correct(org, meeting_id, position=0, speaker="Dana W.", reason="initials"))
    with session_scope() as s:
        view = corrections.transcript_for_editing(s, org.id, meeting_id)
        assert corrections.transcript_for_editing(s, make_org("Other").id, meeting_id) is None
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None
        key = data_key(s, meeting)
        stored = s.exec(
            select(TranscriptSegment).where(TranscriptSegment.meeting_id == meeting_id)
        ).all()
        assert len(stored) == 40  # both versions kept
        assert {speaker_of(r, key) for r in stored if r.position == 0} == {
            "Dana W.",
            "Dana Whitfield",
        }
    assert view is not None and view["version"] == 2 and len(view["segments"]) == 20
    assert view["segments"][0]["speaker"] == "Dana W."
    assert {"name": "Dana W.", "segments": 1} in view["speakers"]


def test_corrected_text_and_names_are_ciphertext_at_rest(org: Org) -> None:
    marker = f"ZEPHYR QUOKKA {uuid.uuid4().hex[:10].upper()}"
    name = f"Quokka {uuid.uuid4().hex[:8].upper()}"
    meeting_id = _ready_meeting(org)
    run_until_idle(_correct(org, meeting_id, position=3, text=f"The code word is {marker}."))
    with session_scope() as s:
        _, job = corrections.rename_speaker(
            s,
            principal=org.principals["legal"],
            meeting_id=meeting_id,
            version=2,
            speaker="Priya Natarajan",
            name=name,
            reason="a new name",
        )
    run_until_idle(job)
    with session_scope() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and meeting.status == "ready"
        segments = load_segments(s, meeting)
        assert marker in segments[3].text and name in {x.speaker for x in segments}
    url = get_settings().sqlalchemy_url
    pg_dump = find_pg_tool("pg_dump", server_major_version(url))
    dump = subprocess.run(
        [str(pg_dump), "--no-owner", "--data-only", libpq_url(url)],
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout
    assert len(dump) > 10_000
    for secret in (marker, name):
        for form in (secret.encode(), secret.encode().hex().encode()):
            assert form not in dump, f"{secret!r} found in pg_dump output"


def test_an_unchanged_item_stays_superseded_by_a_later_meeting(org: Org) -> None:
    matter = f"Harborview {uuid.uuid4().hex[:6]}"
    first = actions.upload_meeting(
        principal=org.principals["legal"],
        filename="kickoff.vtt",
        data=DEMO.read_bytes(),
        title="Kick-off",
        matter=matter,
    )
    run_until_idle(first.job)
    later = actions.upload_meeting(
        principal=org.principals["legal"],
        filename="fee.vtt",
        data=(Path(__file__).parent / "samples" / "matter_fee_45k.vtt").read_bytes(),
        title="Fee call",
        matter=matter,
    )
    run_until_idle(later.job)
    with session_scope() as s:
        before = _items(s, first.meeting.id, 1)["term-price-c9"].superseded_by
    assert before and before.startswith(f"{later.meeting.id}/")
    run_until_idle(_correct(org, first.meeting.id, position=19, text="Thanks, everyone."))
    with session_scope() as s:
        assert _items(s, first.meeting.id, 2)["term-price-c9"].superseded_by == before
