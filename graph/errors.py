"""One exception tree, so callers can catch everything newsgraph raises with one clause."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class InputError(NewsgraphError):
    """An input file could not be read as an article; names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # crosses process boundaries whole
        return type(self), (self.path, self.reason)


class ModelError(NewsgraphError):
    """The spaCy model is missing or unusable."""


class ExtractionError(InputError):
    """The NLP stage failed on one article (``article`` is its id): that article's failure, not the build's."""

    def __init__(self, path: object, reason: str, article: str = "") -> None:
        super().__init__(path, reason)
        self.article = article

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:  # type: ignore[override]
        return type(self), (self.path, self.reason, self.article)


class ShapeViolation(NewsgraphError):
    """The graph does not satisfy the SHACL shapes; the message names shape and node."""

    def __init__(self, report: str, violations: list[tuple[str, str, str]] | None = None) -> None:
        self.report = report
        self.violations = violations or []
        super().__init__(report)


class StoreError(NewsgraphError):
    """The on-disk store could not be opened or written."""


class UsageError(NewsgraphError):
    """The caller asked for something that does not exist (an unknown format, a bad option)."""
