"""`rotate-key`: re-wrap data keys under the current master key; plan a JWT secret rotation."""

from __future__ import annotations

import argparse
import json
import sys

import sqlalchemy as sa

from bridge_app.ops import rotation
from bridge_app.services.db import session_scope
from bridge_app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "rotate-key",
        help="re-wrap encryption data keys under ENCRYPTION_KEY, or plan a JWT rotation",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--new-key-id", help="the id now in ENCRYPTION_KEY_ID (a safety check): re-wrap to it"
    )
    mode.add_argument("--generate", action="store_true", help="print a new random secret and exit")
    mode.add_argument(
        "--jwt-plan",
        action="store_true",
        help="print JWT_SECRET/JWT_OLD_SECRETS for step 1 of a JWT rotation (JSON)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 done, 1 refused or failed (nothing changed on refusal)."""
    settings = get_settings()
    if args.generate:
        print(rotation.new_secret())
        return 0
    if args.jwt_plan:
        plan = rotation.plan_jwt_rotation(settings)
        print(
            json.dumps(
                {
                    "step1_env": dict(line.split("=", 1) for line in plan.env_lines()),
                    "step2_after_minutes": plan.grace_minutes,
                    "step2_env": {"JWT_OLD_SECRETS": plan.after_grace_JWT_OLD_SECRETS},
                },
                indent=2,
            )
        )
        return 0
    try:
        with session_scope() as session:
            result = rotation.rotate_encryption_key(
                session, settings, expected_key_id=args.new_key_id, dry_run=args.dry_run
            )
    except (rotation.RotationError, sa.exc.SQLAlchemyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"before: {rotation.kek_usage(result.before)}")
    if result.dry_run:
        print(f"dry run: every data key opens; would re-wrap to '{result.current_id}'")
        return 0
    print(f"re-wrapped {result.rewrapped} data keys to '{result.current_id}'")
    print(f"after:  {rotation.kek_usage(result.after)}")
    print("next: remove the old id from ENCRYPTION_OLD_KEYS and roll out")
    return 0
