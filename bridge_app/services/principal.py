"""Who is calling and what their role allows: `Principal`, the permission table, `require`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bridge_app.core.vocabulary import ROLES
from bridge_app.services.errors import Forbidden

# What each permission allows; admin can do everything.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "upload": frozenset({"admin", "legal"}),
    "review": frozenset({"admin", "legal"}),
    "approve": frozenset({"admin", "legal"}),
    "export": frozenset({"admin", "legal"}),
    "operate": frozenset({"admin", "ops"}),
    "audit": frozenset({"admin"}),
    "admin": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, their organization and their role there."""

    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: str
    email: str

    def can(self, permission: str) -> bool:
        """True when this role holds the permission."""
        return self.role in PERMISSIONS[permission]


def require(principal: Principal, permission: str) -> None:
    """Raise Forbidden unless the principal holds the permission."""
    if not principal.can(permission):
        raise Forbidden(f"your role ({principal.role}) may not do this ({permission})")
