"""Positions in the negotiated encoding: a line with CJK and an emoji before a
broken link, read by a UTF-16 client and a UTF-8 client; edits at the edges of
multi-unit characters; CRLF line ends."""

from __future__ import annotations

from lsprotocol import types

from conftest import (
    APROVED,
    FINDING_LINE,
    MONITORING_PLAN,
    NEW_RESEARCH,
    AgentopsClient,
    as_tuple,
    json_of,
    pos,
    research_text,
    rng,
)

LINK = "[x](missing.md)"
FINDING = f"前提 😀 see {LINK}"


def col(line: str, i: int, encoding: str) -> int:
    """The LSP character offset of ``line[:i]`` (Python indexes code points)."""
    if encoding == "utf-16":
        return len(line[:i].encode("utf-16-le")) // 2
    assert encoding == "utf-8"
    return len(line[:i].encode("utf-8"))


def link_range(line: str, encoding: str) -> tuple[int, int, int, int]:
    i = line.index(LINK)
    return (FINDING_LINE, col(line, i, encoding), FINDING_LINE, col(line, i + len(LINK), encoding))


async def link_diagnostics(c: AgentopsClient, uri: str, version: int) -> list[types.Diagnostic]:
    return await c.diagnostics_of(uri, version)


def test_expected_offsets_differ():
    # 前 and 提 are one UTF-16 unit and three UTF-8 bytes; 😀 is two units, four bytes.
    assert link_range(FINDING, "utf-16") == (FINDING_LINE, 10, FINDING_LINE, 25)
    assert link_range(FINDING, "utf-8") == (FINDING_LINE, 16, FINDING_LINE, 31)


async def test_recorded_clients_utf16_and_utf8(vscode: AgentopsClient, neovim: AgentopsClient, workspace):
    """VS Code (UTF-16, push) and Neovim 0.11 (UTF-8, pull) on the same file."""
    (workspace / NEW_RESEARCH).write_text(research_text(FINDING))
    for c, encoding in [(vscode, "utf-16"), (neovim, "utf-8")]:
        assert c.position_encoding == encoding
        uri = c.open(NEW_RESEARCH)
        [d] = await link_diagnostics(c, uri, 1)
        assert (d.code, d.message) == ("link-broken", "`missing.md` does not exist")
        assert as_tuple(d.range) == link_range(FINDING, encoding), encoding


async def test_same_client_only_the_encoding_differs(vscode: AgentopsClient, vscode_utf8: AgentopsClient, workspace):
    assert (vscode.position_encoding, vscode_utf8.position_encoding) == ("utf-16", "utf-8")
    text = research_text(FINDING)
    results = {}
    for c in (vscode, vscode_utf8):
        uri = c.open(NEW_RESEARCH, text)
        [d] = await link_diagnostics(c, uri, 1)
        results[c.position_encoding] = as_tuple(d.range)
    assert results == {"utf-16": link_range(FINDING, "utf-16"), "utf-8": link_range(FINDING, "utf-8")}


async def test_edits_at_multi_unit_characters(any_encoding: AgentopsClient):
    """Incremental edits whose ranges touch CJK and emoji edges, each given in the
    client's encoding; the diagnostics must follow the text exactly. (Every step
    moves the link: a push server publishes only diagnostics that changed.)"""
    c = any_encoding
    enc = c.position_encoding
    line = FINDING
    uri = c.open(NEW_RESEARCH, research_text(line))
    [d] = await link_diagnostics(c, uri, 1)
    assert as_tuple(d.range) == link_range(line, enc)

    def at(i: int) -> types.Position:
        return pos(FINDING_LINE, col(line, i, enc))

    steps = [
        (line.index("😀") + 1, line.index("😀") + 1, "X"),  # right after the emoji
        (line.index("😀"), line.index("😀") + 1, "🎉🎉"),  # replace the emoji itself
        (1, 2, "字字"),  # replace 提 (between two CJK characters)
        (0, 0, "😀"),  # at the very start of the line
    ]
    for start, end, text in steps:
        v = c.edit(uri, (types.Range(start=at(start), end=at(end)), text))
        line = line[:start] + text + line[end:]
        [d] = await link_diagnostics(c, uri, v)
        assert as_tuple(d.range) == link_range(line, enc), (enc, line)
    assert line == f"😀前字字 🎉🎉X see {LINK}"


async def test_position_inside_a_surrogate_pair(vscode: AgentopsClient):
    """UTF-16 column 4 falls between the two halves of 😀: tolerated."""
    c = vscode
    uri = c.open(NEW_RESEARCH, research_text(FINDING))
    await link_diagnostics(c, uri, 1)
    hover = await c.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(FINDING_LINE, 4))
    )
    assert hover is None or hover.contents
    v = c.edit(uri, (rng(FINDING_LINE, 4, FINDING_LINE, 4), "Y"))
    [d] = await link_diagnostics(c, uri, v)
    # The insertion lands on one side of the emoji: the link moves by one unit.
    assert as_tuple(d.range) == (FINDING_LINE, 11, FINDING_LINE, 26)


async def test_crlf_document(push_or_pull: AgentopsClient):
    c = push_or_pull
    text = (c.workspace / MONITORING_PLAN).read_text().replace("\n", "\r\n")
    uri = c.open(MONITORING_PLAN, text)
    [d] = await link_diagnostics(c, uri, 1)
    assert json_of(d) == APROVED
    # Edits on CRLF lines: fix the typo, then replace the whole line 1 including its \r\n.
    v = c.edit(uri, (rng(1, 9, 1, 9), "p"))
    assert await link_diagnostics(c, uri, v) == []
    v = c.edit(uri, (rng(1, 0, 2, 0), "status: Aproved\r\n"))
    [d] = await link_diagnostics(c, uri, v)
    assert json_of(d) == APROVED
    symbols = await c.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    # Same outline ranges as with LF line ends (the title runs to line 57).
    assert as_tuple(symbols[1].range) == (9, 0, 57, 0)
