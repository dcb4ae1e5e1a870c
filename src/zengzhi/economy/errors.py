"""Domain errors carry a stable machine-readable code; the message is for people."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules reject. Raising it never leaves a partial change behind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class InvalidQuantity(DomainError):
    """An amount, points figure or rate that is not a valid exact quantity."""


class InvalidConfig(DomainError):
    """A configuration or plan that cannot be used (names the offending key)."""


class Rejected(DomainError):
    """A well-formed operation the current state does not allow (unknown member, too few points)."""
