"""Article metadata: sidecar files (``NAME.meta.json``), JSONL fields and page metadata, with dates checked."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..records import Article
from .base import META_KEYS, SIDECAR_SUFFIX, ReadWarning, WarningHandler, article_id, path_name, warn

_FULL_DATE = re.compile(r"\d{4}-?\d{2}-?\d{2}(?!\d)")


def iso_date(value: str) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or datetime (the date as written, not shifted to UTC); None if malformed.

    Reduced-precision dates ("2025-03") are refused rather than padded with an invented day.
    """
    s = value.strip()
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    if not _FULL_DATE.match(s):
        return None
    from dateutil.parser import isoparse

    try:
        return isoparse(s).date().isoformat()
    except (ValueError, OverflowError):
        return None


def metadata(data: Mapping[str, Any], where: str, on_warning: WarningHandler | None) -> dict[str, str]:
    """The META_KEYS of a sidecar object or JSONL line, cleaned; bad values are warned about and dropped."""
    meta: dict[str, str] = {}
    for key in META_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if key == "published":
            iso = iso_date(value) if isinstance(value, str) else None
            if iso is None:
                warn(ReadWarning(where, f"bad published date {value!r}; article kept without a date"), on_warning)
            else:
                meta[key] = iso
        elif isinstance(value, str):
            if not valid_unicode(value):
                warn(ReadWarning(where, f"{key!r} is not valid Unicode (lone surrogate); ignored"), on_warning)
            elif value.strip():
                meta[key] = value.strip()
        else:
            warn(ReadWarning(where, f"{key!r} is not a string ({type(value).__name__}); ignored"), on_warning)
    return meta


def valid_unicode(text: str) -> bool:
    """No lone surrogates (JSON's ``"\\ud800"`` makes them): UTF-8 outputs cannot hold them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def sidecar(path: Path, on_warning: WarningHandler | None) -> dict[str, str]:
    """Metadata from ``NAME.meta.json`` if it exists; a broken sidecar costs the metadata, never the article."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    where = path_name(side)
    try:
        raw = side.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        warn(ReadWarning(where, f"sidecar unreadable ({e}); metadata ignored"), on_warning)
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        warn(ReadWarning(where, f"sidecar is not valid JSON ({e.msg}, line {e.lineno}); metadata ignored"), on_warning)
        return {}
    if not isinstance(data, dict):
        warn(ReadWarning(where, "sidecar is not a JSON object; metadata ignored"), on_warning)
        return {}
    return metadata(data, where, on_warning)


def make_article(text: str, path: str, meta: Mapping[str, str]) -> Article:
    """The Article record; its id is a hash of the text alone (see article_id)."""
    return Article(id=article_id(text), text=text, path=path, **{k: meta.get(k) for k in META_KEYS})
