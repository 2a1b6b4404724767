"""documentSymbol (frontmatter as a symbol, sections nested under the title),
foldingRange (frontmatter, sections, code blocks) and hover (frontmatter keys,
headings), for VS Code (UTF-16) and Neovim 0.11 (UTF-8): the files are ASCII
where it matters, so both get the same numbers."""

from __future__ import annotations

from lsprotocol import types

from conftest import MONITORING_PLAN, AgentopsClient, as_tuple, pos

K8S_RESEARCH = "agentops/infrastructure-ops/research/k8s-upgrade-research.md"
HOVER_STATUSES = "`Draft`, `Active`, `In Progress`, `Approved`, `Complete`, `Deprecated`, `Superseded`"
NAMESPACE, PROPERTY, STRING = 3, 7, 15  # SymbolKind


def ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def outline(symbols) -> list:
    """(name, kind, range, selectionRange, detail, children) all the way down."""
    return [
        (s.name, int(s.kind), as_tuple(s.range), as_tuple(s.selection_range), s.detail, outline(s.children or []))
        for s in symbols
    ]


def section(name: str, line: int, end: int, *children) -> tuple:
    hashes = 2 if not children or name == "Implementation Order" else 1
    return (name, STRING, (line, 0, end, 0), (line, hashes + 1, line, hashes + 1 + len(name)), None, list(children))


def sub(name: str, line: int, end: int) -> tuple:
    return (name, STRING, (line, 0, end, 0), (line, 4, line, 4 + len(name)), None, [])


MONITORING_OUTLINE = [
    ("frontmatter", NAMESPACE, (0, 0, 8, 0), (0, 0, 0, 3), "4 fields", [
        ("status", PROPERTY, (1, 0, 1, 15), (1, 0, 1, 6), "Aproved", []),
        ("date", PROPERTY, (2, 0, 2, 16), (2, 0, 2, 4), "2025-11-13", []),
        ("research", PROPERTY, (3, 0, 3, 53), (3, 0, 3, 8), "../research/monitoring-strategy-research.md", []),
        ("tags", PROPERTY, (4, 0, 7, 0), (4, 0, 4, 4), "2 items", []),
    ]),
    ("Implementation Plan: Journey Alerts", STRING, (9, 0, 57, 0), (9, 2, 9, 37), None, [
        section("Summary", 11, 14),
        section("Approach", 14, 17),
        section("Changes Required", 17, 28),
        section("Test Strategy", 28, 33),
        section(
            "Implementation Order", 33, 44,
            sub("Phase 1: Error ratio fix and login alerts", 35, 38),
            sub("Phase 2: Payment alerts", 38, 41),
            sub("Phase 3: Notification alerts and dashboards", 41, 44),
        ),
        section("Rollback Procedure", 44, 47),
        section("Risk Assessment", 47, 52),
        section("Approval", 52, 57),
    ]),
]


async def test_document_symbols(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    symbols = await c.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=ident(uri)))
    assert all(isinstance(s, types.DocumentSymbol) for s in symbols), "hierarchical symbols"
    assert outline(symbols) == MONITORING_OUTLINE


async def test_document_symbols_follow_edits(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    # Turn "## Rollback Procedure" (line 44) into a level-3 heading under Implementation Order.
    c.edit(uri, (types.Range(start=pos(44, 0), end=pos(44, 2)), "###"))
    symbols = await c.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=ident(uri)))
    title = symbols[1]
    assert [s.name for s in title.children] == [
        "Summary", "Approach", "Changes Required", "Test Strategy", "Implementation Order",
        "Risk Assessment", "Approval",
    ]
    order = title.children[4]
    assert [(s.name, as_tuple(s.range)) for s in order.children][-1] == ("Rollback Procedure", (44, 0, 47, 0))
    assert as_tuple(order.range) == (33, 0, 47, 0)


async def test_folding_ranges(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    folds = await c.text_document_folding_range_async(types.FoldingRangeParams(text_document=ident(uri)))
    assert [(f.start_line, f.end_line, f.kind) for f in folds] == [
        (0, 7, "comment"),  # frontmatter
        (9, 56, "region"),  # the title's section, to the end of its text
        (11, 12, "region"),
        (14, 15, "region"),
        (17, 26, "region"),
        (28, 31, "region"),
        (33, 42, "region"),
        (35, 36, "region"),
        (38, 39, "region"),
        (41, 42, "region"),
        (44, 45, "region"),
        (47, 50, "region"),
        (52, 56, "region"),
    ]
    # A fenced code block folds too: k8s research lines 80-84 (```bash ... ```).
    research = c.open(K8S_RESEARCH)
    folds = await c.text_document_folding_range_async(types.FoldingRangeParams(text_document=ident(research)))
    lines = (c.workspace / K8S_RESEARCH).read_text().splitlines()
    assert (lines[79], lines[83]) == ("```bash", "```")
    assert (79, 83, "region") in [(f.start_line, f.end_line, f.kind) for f in folds]
    assert (folds[0].start_line, folds[0].end_line, folds[0].kind) == (0, 9, "comment")


async def hover(c: AgentopsClient, uri: str, line: int, character: int):
    return await c.text_document_hover_async(types.HoverParams(text_document=ident(uri), position=pos(line, character)))


async def test_hover_on_frontmatter_keys(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    for character in (0, 3, 5):  # anywhere on the key
        h = await hover(c, uri, 1, character)
        assert h.contents.kind == "markdown"
        paragraphs = h.contents.value.split("\n\n")
        assert paragraphs[:2] == [
            f"**status** — one of {HOVER_STATUSES}, optional in Implementation plan (`plan`)",
            "Lifecycle; Approved (or later) once a human signed off the Approval checklist.",
        ]
        assert as_tuple(h.range) == (1, 0, 1, 6)
    h = await hover(c, uri, 4, 1)
    assert (h.contents.value, as_tuple(h.range)) == ("**tags** — a list, optional in Implementation plan (`plan`)", (4, 0, 4, 4))
    # The frontmatter fence and blank lines explain nothing.
    assert await hover(c, uri, 0, 0) is None
    assert await hover(c, uri, 8, 0) is None


async def test_hover_on_headings(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    order = "Order: Overview → Approach → Files to Modify → Test Strategy → Implementation Order → Rollback Plan → Risk Assessment → Approval"
    h = await hover(c, uri, 11, 4)  # "## Summary": the schema calls it Overview
    assert h.contents.value.split("\n\n") == [
        "**Overview** — section of Implementation plan (`plan`) (required)",
        "Also written: `Summary`",
        "What changes and why, in a few sentences.",
        order,
    ]
    assert as_tuple(h.range) == (11, 0, 11, 10)
    h = await hover(c, uri, 17, 5)  # "## Changes Required" = Files to Modify
    assert h.contents.value.split("\n\n")[:2] == [
        "**Files to Modify** — section of Implementation plan (`plan`) (required)",
        "Also written: `Changes Required`, `Files Changed`",
    ]
    # The title: what kind of artifact this is and what the schema expects.
    h = await hover(c, uri, 9, 3)
    value = h.contents.value
    assert value.startswith("**Implementation plan (`plan`)** · flavor `infrastructure-ops` · phase Plan\n\n")
    assert "Title: `# Implementation Plan: {name}` or `# {name} Implementation Plan`" in value
    assert value.endswith(
        "Required sections: Overview, Approach, Files to Modify, Test Strategy, "
        "Implementation Order, Rollback Plan, Risk Assessment, Approval"
    )
    assert as_tuple(h.range) == (9, 0, 9, 37)
