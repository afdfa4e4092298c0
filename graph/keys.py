"""Stable, IRI-safe keys for nodes: the same name gives the same key in every run."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def digest(*parts: str, length: int = 16) -> str:
    """A short hex digest of the parts; used where a name cannot be spelled as a slug."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:length]


def slug(text: str, *, max_len: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated; falls back to a digest for names with no Latin letters."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    folded = folded.replace("'", "").replace(".", "")
    s = _NON_WORD.sub("-", folded).strip("-")[:max_len].strip("-")
    return s or "x" + digest(text, length=12)


def entity_key(type_: str, name: str) -> str:
    """``person/volodymyr-zelenskyy``: the key of an actor, independent of article."""
    return f"{type_.lower()}/{slug(name)}"


def agreement_key(article_id: str, label: str) -> str:
    """Agreements are per article until cross-article resolution merges them."""
    return f"agreement/{article_id}/{slug(label)}"


def statement_key(article_id: str, start: int, text: str) -> str:
    return f"statement/{article_id}/{digest(str(start), text, length=12)}"


def article_key(article_id: str) -> str:
    return f"article/{article_id}"
