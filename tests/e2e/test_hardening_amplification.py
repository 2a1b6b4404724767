"""Amplification through the editor: an open document gets the same caps as a
file on disk. A document over 16 MB is not parsed (one `artifact-unreadable`
finding says so) and its text is not copied; a pathological paragraph is not
inline-parsed (`artifact-partial`); the server's peak memory stays a small
multiple of what it was sent, and it answers a normal request afterwards.

Before: a 50 MB document cost 4.4 GB and a paragraph of `[` several GB."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from conftest import AgentopsClient, pos, status_hover

MB = 1 << 20
HUGE = "agentops/infrastructure-ops/research/huge-research.md"
BRACKETS = "agentops/infrastructure-ops/research/brackets-research.md"


def peak_rss_mb(c: AgentopsClient) -> float:
    """The server process's peak resident memory (VmHWM), in MB."""
    status = Path(f"/proc/{c._server.pid}/status").read_text()
    line = next(l for l in status.splitlines() if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def prose(size: int) -> str:
    """Honest-looking markdown of about ``size`` bytes: links, code, lists."""
    block = (
        "## Notes\n\nSee [the plan](../plans/dr-plan.md) and `src/auth/login.ts` for the flow;\n"
        "the cache keeps **hot** entries for 5 minutes.\n\n- [ ] check the `ttl` values\n- item two\n\n"
    )
    return "# Research: huge\n\n" + block * (size // len(block) + 1)


async def test_50_mb_open_document_gets_one_finding_and_no_parse(vscode: AgentopsClient):
    c = vscode
    await c.settle()
    base = peak_rss_mb(c)
    text = prose(50 * MB)
    uri = c.open(HUGE, text=text)
    p = await c.wait_publish(uri, lambda p: bool(p.diagnostics), timeout=60)
    codes = [(d.code, d.message) for d in p.diagnostics]
    assert codes == [("artifact-unreadable", "file is 50 MB; files over 16 MB are not checked")], codes
    assert (p.diagnostics[0].range.start.line, p.diagnostics[0].range.start.character) == (0, 0)
    await status_hover(c)
    # The message (50 MB of JSON) is read and the text kept once; no parse tree.
    grown = peak_rss_mb(c) - base
    assert grown < 6 * 50, f"peak memory grew by {grown:.0f} MB for a 50 MB document"


async def test_growing_past_the_cap_and_back(vscode: AgentopsClient):
    c = vscode
    await c.settle()
    uri = c.open(HUGE, text="# Research: small\n\nSee [x](missing.md).\n")
    first = await c.wait_publish(uri, lambda p: any(d.code == "link-broken" for d in p.diagnostics), timeout=30)
    # An insertion takes it over 16 MB: one finding, nothing else.
    since = len(c.published)
    end = types.Range(start=pos(3, 0), end=pos(3, 0))
    c.edit(uri, (end, prose(17 * MB)))
    p = await c.wait_publish(
        uri, lambda p: any(d.code == "artifact-unreadable" for d in p.diagnostics), since=since, timeout=60
    )
    assert [d.code for d in p.diagnostics] == ["artifact-unreadable"]
    assert p.diagnostics[0].message == "file is 17 MB; files over 16 MB are not checked"
    # Deleting it again: checked as before.
    since = len(c.published)
    c.edit(uri, (types.Range(start=pos(3, 0), end=pos(10_000_000, 0)), ""))
    p = await c.wait_publish(uri, lambda p: p.diagnostics == first.diagnostics, since=since, timeout=60)
    await status_hover(c)


async def test_paragraph_of_brackets_is_not_inline_parsed(vscode: AgentopsClient):
    c = vscode
    await c.settle()
    base = peak_rss_mb(c)
    size = MB // 2
    uri = c.open(BRACKETS, text="# Research: x\n\n" + "[" * size + "\n")
    p = await c.wait_publish(uri, lambda p: any(d.code == "artifact-partial" for d in p.diagnostics), timeout=40)
    d = next(d for d in p.diagnostics if d.code == "artifact-partial")
    assert d.range.start.line == 2 and d.range.start.character == 0
    assert "over 64 KB of inline text" in d.message
    await status_hover(c)
    # tree-sitter's block tree costs ~130 bytes per byte of punctuation; the
    # inline pass, which cost ~400 more, is not run.
    grown = peak_rss_mb(c) - base
    assert grown < 200 * size / MB, f"peak memory grew by {grown:.0f} MB for {size // 1024} KB of `[`"
