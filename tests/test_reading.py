"""Reading: paths -> articles. Every input is a small text written here; expected values are worked out by hand."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from graph.errors import InputError
from graph.records import Article
from graph.sources import (
    READERS,
    ReadWarning,
    article_id,
    iter_sources,
    read_articles,
    read_path,
)

PARA = "The Orlen Valley council voted on Monday to rebuild the old footbridge over the river."


def sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def read_one(path: Path, **kw: Any) -> Article:
    arts = list(read_articles([path], **kw))
    assert len(arts) == 1
    return arts[0]


# --- ids ---------------------------------------------------------------------------------------------------


def test_article_id_is_sha256_of_normalized_text() -> None:
    assert article_id("  a\r\nb \n") == sha16("a\nb")
    assert article_id("a\nb") == sha16("a\nb")
    assert len(article_id("x")) == 16
    assert article_id("a b") != article_id("a  b")


def test_same_text_in_two_files_has_same_id(tmp_path: Path) -> None:
    a = write(tmp_path / "one" / "a.txt", PARA + "\n")
    b = write(tmp_path / "two" / "b.md", "\n\n" + PARA)
    arts = list(read_articles([a, b]))
    assert [x.path for x in arts] == [a.as_posix(), b.as_posix()]
    assert arts[0].id == arts[1].id == sha16(PARA)


def test_crlf_and_lf_give_same_text_and_id(tmp_path: Path) -> None:
    lf = write(tmp_path / "lf.txt", "First line.\nSecond line.\n\nThird.\n")
    crlf = write(tmp_path / "crlf.txt", b"First line.\r\nSecond line.\r\n\r\nThird.\r\n")
    a, b = list(read_articles([lf, crlf]))
    assert a.text == b.text == "First line.\nSecond line.\n\nThird."
    assert a.id == b.id == sha16("First line.\nSecond line.\n\nThird.")


# --- text files and sidecars ---------------------------------------------------------------------------------


def test_txt_with_sidecar_metadata_and_datetime_normalized(tmp_path: Path) -> None:
    body = "  \n" + PARA + "  \n\n\tA second, indented paragraph.  \n\n"
    txt = write(tmp_path / "story.txt", body)
    write(
        tmp_path / "story.meta.json",
        json.dumps(
            {
                "published": "2025-03-19T10:00:00Z",
                "source": "Valley Courier",
                "author": "Pia Lindqvist",
                "url": "https://example.org/footbridge",
                "title": "Council backs footbridge",
                "language": "en",
                "unrelated": 42,
            }
        ),
    )
    warnings: list[ReadWarning] = []
    art = read_one(txt, on_warning=warnings.append)
    # inner whitespace kept exactly, outer whitespace gone
    assert art.text == PARA + "  \n\n\tA second, indented paragraph."
    assert art.path == txt.as_posix()
    assert art.id == sha16(PARA + "  \n\n\tA second, indented paragraph.")
    assert art.published == "2025-03-19"
    assert art.source == "Valley Courier"
    assert art.author == "Pia Lindqvist"
    assert art.url == "https://example.org/footbridge"
    assert art.title == "Council backs footbridge"
    assert art.language == "en"
    assert warnings == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2025-03-19", "2025-03-19"),
        ("2025-03-19T23:30:00-05:00", "2025-03-19"),  # the date as written, not shifted to UTC
        ("2025-03-19 08:15", "2025-03-19"),
        ("20250319", "2025-03-19"),
    ],
)
def test_sidecar_published_forms(tmp_path: Path, given: str, expected: str) -> None:
    txt = write(tmp_path / "a.txt", PARA)
    write(tmp_path / "a.meta.json", json.dumps({"published": given}))
    assert read_one(txt).published == expected


def test_txt_without_sidecar_has_no_metadata(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "a.txt", PARA))
    assert (art.title, art.published, art.source, art.author, art.url, art.language) == (None,) * 6


@pytest.mark.parametrize("bad", ["19/03/2025", "2025-13-40", "2025-03", "yesterday", ""])
def test_malformed_sidecar_date_keeps_article_and_warns(tmp_path: Path, bad: str) -> None:
    txt = write(tmp_path / "a.txt", PARA)
    side = write(tmp_path / "a.meta.json", json.dumps({"published": bad, "source": "Valley Courier"}))
    warnings: list[ReadWarning] = []
    art = read_one(txt, on_warning=warnings.append)
    assert art.text == PARA
    assert art.published is None
    assert art.source == "Valley Courier"
    assert len(warnings) == 1
    assert warnings[0].path == side.as_posix()
    assert repr(bad) in warnings[0].reason


def test_malformed_date_without_handler_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    txt = write(tmp_path / "a.txt", PARA)
    write(tmp_path / "a.meta.json", '{"published": "March the 19th"}')
    with caplog.at_level(logging.WARNING, logger="graph.sources"):
        art = read_one(txt)
    assert art.published is None
    assert "March the 19th" in caplog.text


@pytest.mark.parametrize(
    ("sidecar", "reason_part"),
    [("{not json", "not valid JSON"), ('["a", "b"]', "not a JSON object"), ("42", "not a JSON object")],
)
def test_broken_sidecar_warns_and_keeps_article(tmp_path: Path, sidecar: str, reason_part: str) -> None:
    txt = write(tmp_path / "a.txt", PARA)
    write(tmp_path / "a.meta.json", sidecar)
    warnings: list[ReadWarning] = []
    art = read_one(txt, on_warning=warnings.append)
    assert art.text == PARA and art.source is None and art.published is None
    assert [w.path for w in warnings] == [(tmp_path / "a.meta.json").as_posix()]
    assert reason_part in warnings[0].reason


def test_non_string_sidecar_value_is_dropped_with_warning(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", PARA)
    write(tmp_path / "a.meta.json", json.dumps({"author": ["A", "B"], "source": "  Valley Courier  "}))
    warnings: list[ReadWarning] = []
    art = read_one(txt, on_warning=warnings.append)
    assert art.author is None and art.source == "Valley Courier"
    assert len(warnings) == 1 and "'author'" in warnings[0].reason


def test_md_title_from_heading_and_text_left_as_markdown(tmp_path: Path) -> None:
    md_text = "# Orchard summit ends without a deal #\n\nDelegates from **Norvia** left early.\n\n- item one"
    md = write(tmp_path / "a.md", md_text + "\n")
    art = read_one(md)
    assert art.title == "Orchard summit ends without a deal"
    assert art.text == md_text


def test_md_without_heading_has_no_title_and_sidecar_title_wins(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.md", "Just a paragraph.\n\n# Later heading\n")
    assert read_one(plain).title is None
    h2 = write(tmp_path / "h2.md", "## Not a title\n\nBody.")
    assert read_one(h2).title is None
    titled = write(tmp_path / "titled.md", "# From heading\n\nBody.")
    write(tmp_path / "titled.meta.json", '{"title": "From sidecar"}')
    assert read_one(titled).title == "From sidecar"


# --- encodings ---------------------------------------------------------------------------------------------


def test_latin1_file_decoded(tmp_path: Path) -> None:
    text = (
        "José Müller, the mayor of Besançon, met Zoë Ångström and François Léger on Thursday. "
        "Müller said the talks with Ångström were frank, and Léger added that a décision would follow "
        "après the élection in the région."
    )
    raw = text.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fallback path is really taken
    art = read_one(write(tmp_path / "latin.txt", raw))
    assert art.text == text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "Paris \u2014 The \u201cdeal\u201d is done, officials said, at a cost of \u20ac5m."),
        ("cp1250", "Prezydent Lech Wałęsa spotkał się z ministrem Dudą w Gdańsku. Rozmowa dotyczyła współpracy."),
        ("cp1251", "Президент Владимир Зеленский согласился на частичное прекращение огня в телефонном разговоре."),
    ],
)
def test_other_legacy_encodings_decoded(tmp_path: Path, encoding: str, text: str) -> None:
    art = read_one(write(tmp_path / "legacy.txt", text.encode(encoding)))
    assert art.text == text


def test_utf8_bom_stripped(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + PARA.encode()))
    assert art.text == PARA
    assert art.id == sha16(PARA)


def test_utf16_with_bom_decoded_not_called_binary(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "u16.txt", "Zoë met José.\r\n".encode("utf-16")))
    assert art.text == "Zoë met José."


def test_binary_file_is_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(InputError) as exc:
        list(read_articles([path]))
    assert exc.value.path == str(path)
    assert exc.value.reason == "not text (binary?)"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  \n"])
def test_empty_and_whitespace_only_are_input_errors(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "blank.txt", content)
    with pytest.raises(InputError) as exc:
        list(read_articles([path]))
    assert exc.value.reason == "empty article"
    assert exc.value.path == str(path)


# --- HTML --------------------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Halvorsen Freight agrees to merge with Brightwater Logistics</title>
<meta name="author" content="Maren Okafor">
<meta property="og:site_name" content="Harbor Ledger">
<meta property="article:published_time" content="2024-11-05T08:30:00Z">
<link rel="canonical" href="https://harbor-ledger.example/2024/11/halvorsen-brightwater">
<script>var banner = "SCRIPTMARKER tracking loaded";</script>
</head>
<body>
<nav><ul><li><a href="/">NAVMARKER Home</a></li><li><a href="/markets">Markets</a></li></ul></nav>
<article>
<h1>Halvorsen Freight agrees to merge with Brightwater Logistics</h1>
<p>Halvorsen Freight said on Tuesday that it had agreed to merge with Brightwater Logistics in an all-stock
deal that would create the largest inland shipping operator in the region, according to a statement
released by both companies.</p>
<p>Under the terms of the agreement, Brightwater shareholders will receive 0.8 shares of Halvorsen for each
share they hold. The combined company will keep its headquarters in Tromsbury and will be led by
Halvorsen's chief executive, Ingrid Salo.</p>
<p>Regulators are expected to review the merger over the coming months. Analysts said the deal would give
the two firms more bargaining power with ports, but warned that integrating their fleets could take
several years.</p>
</article>
<footer>Copyright Harbor Ledger</footer>
</body>
</html>
"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "merger.html", HTML_PAGE))
    text = art.text
    lines = text.split("\n")
    # each paragraph is one line, its source line breaks folded into spaces
    assert (
        "Under the terms of the agreement, Brightwater shareholders will receive 0.8 shares of Halvorsen for each "
        "share they hold. The combined company will keep its headquarters in Tromsbury and will be led by "
        "Halvorsen's chief executive, Ingrid Salo."
    ) in lines
    assert any(line.startswith("Halvorsen Freight said on Tuesday that it had agreed to merge") for line in lines)
    assert lines[-1].endswith("integrating their fleets could take several years.")
    for boilerplate in ("SCRIPTMARKER", "NAVMARKER", "Markets", "Copyright", "<p>", "var banner"):
        assert boilerplate not in text
    assert art.title == "Halvorsen Freight agrees to merge with Brightwater Logistics"
    assert art.author == "Maren Okafor"
    assert art.source == "Harbor Ledger"
    assert art.published == "2024-11-05"
    assert art.language == "en"
    assert art.url == "https://harbor-ledger.example/2024/11/halvorsen-brightwater"
    assert art.id == sha16(text)


def test_html_sidecar_overrides_page_metadata(tmp_path: Path) -> None:
    page = write(tmp_path / "merger.htm", HTML_PAGE)
    write(tmp_path / "merger.meta.json", json.dumps({"author": "Desk Editor", "published": "2024-11-06"}))
    art = read_one(page)
    assert art.author == "Desk Editor"
    assert art.published == "2024-11-06"
    assert art.source == "Harbor Ledger"  # not in the sidecar: the page's value stays


def test_html_without_article_text_is_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.html", "<html><head><title>Nothing</title></head><body></body></html>")
    with pytest.raises(InputError) as exc:
        list(read_articles([path]))
    assert exc.value.reason == "no article text found in HTML"


# --- JSONL -------------------------------------------------------------------------------------------------


def jsonl_file(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"text": "  First story text.\r\nSecond line.  ", "title": "One", "published": "2025-01-02T03:04Z"}),
        "{this is not json",
        json.dumps({"title": "no text here"}),
        "",
        json.dumps({"text": "Third story.", "source": "Wire", "published": "not a date"}),
        json.dumps(["text", "in a list"]),
        json.dumps({"text": "   "}),
    ]
    return write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")


def test_jsonl_good_lines_read_bad_lines_reported_with_line_numbers(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path)
    errors: list[InputError] = []
    warnings: list[ReadWarning] = []
    arts = list(read_articles([path], on_error=errors.append, on_warning=warnings.append))
    p = path.as_posix()
    assert [a.path for a in arts] == [f"{p}:1", f"{p}:5"]
    assert arts[0].text == "First story text.\nSecond line."
    assert arts[0].title == "One" and arts[0].published == "2025-01-02"
    assert arts[0].id == sha16("First story text.\nSecond line.")
    assert arts[1].text == "Third story." and arts[1].source == "Wire" and arts[1].published is None
    assert [e.path for e in errors] == [f"{p}:2", f"{p}:3", f"{p}:6", f"{p}:7"]
    assert "not valid JSON" in errors[0].reason
    assert "text" in errors[1].reason
    assert "not a JSON object" in errors[2].reason
    assert "empty" in errors[3].reason
    assert warnings == [ReadWarning(f"{p}:5", "bad published date 'not a date'; article kept without a date")]


def test_jsonl_without_on_error_raises_at_first_bad_line(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path)
    it = read_articles([path])
    assert next(it).path == f"{path.as_posix()}:1"  # streamed before the bad line is reached
    with pytest.raises(InputError) as exc:
        next(it)
    assert exc.value.path == f"{path.as_posix()}:2"


def test_jsonl_blank_file_is_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        list(read_articles([write(tmp_path / "none.jsonl", "\n\n  \n")]))
    assert exc.value.reason == "empty article"


# --- walking -----------------------------------------------------------------------------------------------


def test_recursive_walk_sorted_skipping_hidden_sidecars_and_other_suffixes(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "z.html", HTML_PAGE)
    write(root / "a.txt", "Story A.")
    write(root / "a.meta.json", '{"source": "A"}')
    write(root / "b" / "d" / "e.jsonl", json.dumps({"text": "Story E."}) + "\n")
    write(root / "b" / "c.md", "# C\n\nStory C.")
    write(root / "b" / "notes.pdf", b"%PDF-1.4")
    write(root / "b" / "README", "not an article")
    write(root / ".hidden.txt", "Hidden story.")
    write(root / ".git" / "x.txt", "Git internals.")
    write(root / "b" / ".cache" / "y.md", "Cached.")
    write(root / "UPPER.TXT", "Story upper.")

    expected = [root / "UPPER.TXT", root / "a.txt", root / "b" / "c.md", root / "b" / "d" / "e.jsonl", root / "z.html"]
    assert list(iter_sources([root])) == expected
    arts = list(read_articles([root]))
    assert [a.path for a in arts] == [
        (root / "UPPER.TXT").as_posix(),
        (root / "a.txt").as_posix(),
        (root / "b" / "c.md").as_posix(),
        (root / "b" / "d" / "e.jsonl").as_posix() + ":1",
        (root / "z.html").as_posix(),
    ]
    assert [a.text for a in arts[:4]] == ["Story upper.", "Story A.", "# C\n\nStory C.", "Story E."]
    assert arts[1].source == "A"


def test_explicit_file_with_any_suffix_is_yielded_then_rejected(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    assert list(iter_sources([pdf])) == [pdf]
    with pytest.raises(InputError) as exc:
        list(read_articles([pdf]))
    assert exc.value.path == str(pdf)
    assert "'.pdf'" in exc.value.reason
    for suffix in (".txt", ".md", ".html", ".htm", ".jsonl"):
        assert suffix in exc.value.reason
    assert set(READERS) == {".txt", ".md", ".html", ".htm", ".jsonl"}


def test_read_path_without_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        list(read_path(write(tmp_path / "README", "text")))
    assert "no file suffix" in exc.value.reason and ".jsonl" in exc.value.reason


def test_hidden_explicit_file_is_read(tmp_path: Path) -> None:
    assert read_one(write(tmp_path / ".draft.txt", "Draft.")).text == "Draft."


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "a.txt", "Story A.")
    write(root / "sub" / "b.txt", "Story B.")
    os.symlink(root, root / "sub" / "loop", target_is_directory=True)
    os.symlink(root / "sub", root / "sub" / "self", target_is_directory=True)
    found = list(itertools.islice(iter_sources([root]), 10))
    assert found == [root / "a.txt", root / "sub" / "b.txt"]
    assert [a.text for a in itertools.islice(read_articles([root]), 10)] == ["Story A.", "Story B."]


def test_symlinked_directory_is_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write(real / "a.txt", "Story A.")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(real, root / "link", target_is_directory=True)
    assert list(iter_sources([root])) == [root / "link" / "a.txt"]


def test_directory_without_articles_is_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    write(empty / "notes.pdf", b"%PDF")
    write(empty / "x.meta.json", "{}")
    write(empty / ".hidden.txt", "Hidden.")
    with pytest.raises(InputError) as exc:
        list(read_articles([empty]))
    assert exc.value.path == str(empty)
    assert exc.value.reason == "no articles (.txt, .md, .html, .jsonl) found"


def test_nonexistent_path_is_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "missing.txt"
    with pytest.raises(InputError) as exc:
        list(read_articles([missing]))
    assert exc.value.path == str(missing)
    assert exc.value.reason == "no such file or directory"
    with pytest.raises(InputError):
        list(iter_sources([str(missing)]))


def test_on_error_reports_and_continues(tmp_path: Path) -> None:
    good1 = write(tmp_path / "1.txt", "Story one.")
    binary = write(tmp_path / "2.txt", b"\x00\x01\x02")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    missing = tmp_path / "missing.md"
    good2 = write(tmp_path / "3.md", "Story three.")
    errors: list[InputError] = []
    arts = list(read_articles([good1, binary, empty_dir, missing, good2], on_error=errors.append))
    assert [a.text for a in arts] == ["Story one.", "Story three."]
    assert [(e.path, e.reason) for e in errors] == [
        (str(binary), "not text (binary?)"),
        (str(empty_dir), "no articles (.txt, .md, .html, .jsonl) found"),
        (str(missing), "no such file or directory"),
    ]


def test_on_error_that_reraises_is_called_once(tmp_path: Path) -> None:
    bad = jsonl_file(tmp_path)
    seen: list[InputError] = []

    def strict(err: InputError) -> None:
        seen.append(err)
        raise err

    with pytest.raises(InputError):
        list(read_articles([bad], on_error=strict))
    assert [e.path for e in seen] == [f"{bad.as_posix()}:2"]

    seen.clear()
    with pytest.raises(InputError):
        list(read_articles([write(tmp_path / "bin.txt", b"\x00")], on_error=strict))
    assert len(seen) == 1


def test_read_articles_streams(tmp_path: Path) -> None:
    good = write(tmp_path / "a.txt", "Story A.")
    bad = write(tmp_path / "b.txt", b"")
    it = read_articles([good, bad])
    assert next(it).text == "Story A."  # the first article arrives before the second file is read
    with pytest.raises(InputError):
        next(it)


def test_single_path_string_is_not_split_into_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Story A.")
    assert [a.text for a in read_articles(str(path))] == ["Story A."]  # type: ignore[arg-type]


def test_encoding_guess_is_reported(tmp_path):
    from graph.sources import read_articles

    p = tmp_path / "legacy.txt"
    p.write_bytes("Der Bundesrat billigte das Abkommen mit Österreich über Zölle.".encode("cp1252"))
    warnings = []
    arts = list(read_articles([p], on_warning=warnings.append))
    assert arts[0].text.endswith("Österreich über Zölle.")
    assert any("not UTF-8" in w.reason and p.name in w.path for w in warnings)


def test_too_long_article_is_refused_by_name(tmp_path):
    from graph.sources import read_articles

    (tmp_path / "huge.txt").write_text("word " * 3000, encoding="utf-8")
    (tmp_path / "fine.txt").write_text("A short article about a port strike.", encoding="utf-8")
    errors: list[InputError] = []
    arts = list(read_articles([tmp_path], on_error=errors.append, max_chars=10_000))
    assert [a.path.rsplit("/", 1)[-1] for a in arts] == ["fine.txt"]
    assert len(errors) == 1 and "huge.txt" in str(errors[0]) and "too long" in errors[0].reason
