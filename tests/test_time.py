"""Dates against the publication date (pure rules: exact expectations)."""

from __future__ import annotations

import pytest

from graph.nlp.time import resolve_date


@pytest.mark.parametrize("phrase,published,expected", [
    ("Wednesday", "2025-03-19", "2025-03-19"),  # the publication day itself is a Wednesday
    ("Tuesday", "2025-03-19", "2025-03-18"),
    ("on Thursday", "2025-03-19", "2025-03-13"),  # news means the latest Thursday, not the next one
    ("Sunday", "2025-03-19", "2025-03-16"),
    ("yesterday", "2025-03-01", "2025-02-28"),
    ("today", "2025-03-19", "2025-03-19"),
    ("March 3", "2025-03-19", "2025-03-03"),
    ("March 3, 2024", None, "2024-03-03"),
    ("12 January 2026", "2026-05-01", "2026-01-12"),
])
def test_resolved(phrase, published, expected):
    assert resolve_date(phrase, published) == expected


@pytest.mark.parametrize("phrase,published", [
    ("weeks", "2025-03-19"),           # vague
    ("last week", "2025-03-19"),       # a span, not a day
    ("last year", "2025-03-19"),
    ("Wednesday", None),               # nothing to anchor it to
    ("the coming months", "2025-03-19"),
])
def test_not_a_day(phrase, published):
    assert resolve_date(phrase, published) is None
