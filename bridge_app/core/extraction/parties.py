"""Contract parties: who the companies at the table are, and which side each one is on.

Parties come from

* self-introductions ("This is Dana from Brightline Data", "Priya here from Harborview
  Logistics", "I'm Sam, I lead procurement at Northwind Inc."): a capitalised multi-word name, a
  legal form or a business noun after "from/at/with/representing/on behalf of";
* "between X and Y" in a sentence about the agreement;
* names with a legal form (Inc, Ltd, LLC, GmbH, Corp, Co. …) in a sentence about the deal or
  tied to a role ("Quayside Software GmbH will be the provider").

Each distinct company (case, punctuation and legal form ignored) is one ``agreed_term`` with
``values.party = {"name", "role"}``. The role comes from the words next to the name when they
give one ("X as client", "the vendor, X"); otherwise from what the company's own speakers say
across the meeting (the speaker who introduced themselves with it, and colleagues they
introduced): "our fee", "we will deliver", "for your analysts" point to the provider; "our
budget", "procurement", "could you do …" to the client. Goods vocabulary ("order", "we can
ship") gives buyer/seller, and an NDA call disclosing/receiving. When the two sides are not
clearly apart, the role stays None rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge_app.core.extraction.grounding import evidence_for, merge_evidence
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_collect import (
    Party,
    add_frame_parties,
    add_named_parties,
    collect_parties,
)
from bridge_app.core.extraction.party_roles import (
    COUNTERPART,
    contract_roles,
    infer_roles,
    offering_roles,
)
from bridge_app.core.extraction.party_sides import speaker_sides
from bridge_app.core.transcript.model import Segment


def party_terms(segs: Sequence[Segment]) -> list[Item]:
    """One ``agreed_term`` per company at the table, in order of first mention."""
    parties, speaker_party = collect_parties(segs)
    add_frame_parties(segs, parties)
    add_named_parties(segs, parties)
    sides = speaker_sides(segs, parties, speaker_party)
    speaker_party = {sp: k for sp, k in sides.items() if k in parties}
    if not parties:
        return []
    roles, role_segments = infer_roles(segs, parties, speaker_party)
    if not roles:
        roles = offering_roles(segs, parties)
    for key, role in contract_roles(segs, parties, sides).items():
        roles.setdefault(key, role)  # what its own people say beats who named a price first
    return _party_items(segs, parties, roles, role_segments)


def _party_items(
    segs: Sequence[Segment],
    parties: dict[str, Party],
    roles: dict[str, str],
    role_segments: dict[str, list[int]],
) -> list[Item]:
    """One ``agreed_term`` per party, with its side and the segments that show it."""
    if len(parties) == 2:
        # Two parties and one side said in words: the other one is its counterpart (this beats
        # an inferred side, which may come from another pair of words).
        (ka, a), (kb, b) = parties.items()
        if a.explicit_role and not b.explicit_role and a.explicit_role in COUNTERPART:
            roles[kb] = COUNTERPART[a.explicit_role]
            role_segments.pop(kb, None)
        elif b.explicit_role and not a.explicit_role and b.explicit_role in COUNTERPART:
            roles[ka] = COUNTERPART[b.explicit_role]
            role_segments.pop(ka, None)
        elif not a.explicit_role and not b.explicit_role:
            ra, rb = roles.get(ka), roles.get(kb)
            if ra and not rb and ra in COUNTERPART:
                roles[kb] = COUNTERPART[ra]
            elif rb and not ra and rb in COUNTERPART:
                roles[ka] = COUNTERPART[rb]
    items: list[Item] = []
    for key, p in parties.items():
        role = p.explicit_role or roles.get(key)
        ev = p.mentions[:2]
        if p.explicit_role is not None and p.role_segment is not None:
            ev = [p.mentions[0], p.role_segment]
        elif key in role_segments:
            ev = [p.mentions[0], *role_segments[key][:2]]
        evidence = merge_evidence(evidence_for(segs, ev[:1]), evidence_for(segs, ev[1:]))
        conf = 0.7
        if p.how & {"legal", "between"}:
            conf += 0.1
        if p.speakers:
            conf += 0.1  # someone at the table said they are from it
        if role is not None and p.explicit_role is None:
            conf -= 0.05  # the side is inferred from how its people talk
        first = segs[p.mentions[0]]
        said = f"{p.name}" + (f" as {role}" if role else "")
        items.append(
            Item(
                id=f"term-party-{first.segment_id}",
                kind="agreed_term",
                statement=f"Party: {said} (named by {first.speaker or 'a participant'}).",
                confidence=round(min(conf, 0.9), 3),
                evidence=evidence,
                owner=first.speaker or None,
                party=p.name,
                values={"party": {"name": p.name, "role": role}},
            )
        )
    return items
