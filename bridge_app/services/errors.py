"""The error family of the services: refusals meant for a person, upload and stage errors.

A `ServiceError` carries an HTTP-like status and a message fit to show; the API turns it into
problem+json and the UI shows its message. `UploadRejected` refuses a file before anything is
stored; `PermanentStageError` tells the stage wrapper that retrying cannot help.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A refusal with an HTTP-like status and a message meant for a person."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.code = code or type(self).__name__
        self.extra = extra


class AuthError(ServiceError):
    """Not authenticated (bad credentials, bad or expired token)."""

    status = 401
    title = "Not authenticated"


class RateLimited(ServiceError):
    """Too many attempts; `retry_after` seconds to wait."""

    status = 429
    title = "Too many requests"


class Forbidden(ServiceError):
    """Authenticated, but the role does not allow this."""

    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    """No such object in the caller's organization."""

    status = 404
    title = "Not found"


class Conflict(ServiceError):
    """The object is not in a state that allows this."""

    status = 409
    title = "Conflict"


class Invalid(ServiceError):
    """The request is well-formed but its values are not acceptable."""

    status = 422
    title = "Invalid request"


class UploadRejected(ValueError):
    """An upload that is refused before anything is stored (size, format, content)."""

    def __init__(self, code: str, message: str, *, line: int | None = None):
        self.code, self.message, self.line = code, message, line
        super().__init__(message)


class PermanentStageError(Exception):
    """Bad input: retrying cannot help; the meeting is marked failed with this message."""


class MissingDataKey(Conflict, PermanentStageError):
    """A meeting without its data key: its encrypted data cannot be read (409; a stage that
    meets one fails at once, since retrying cannot bring the key back)."""
