"""Re-indexing (agentops.toml changed on disk) while documents are open: the
editor's text stays the truth for them, after and during the re-index."""

from __future__ import annotations

import pytest
from lsprotocol import types

from conftest import MONITORING_PLAN, AgentopsClient, uri_of

OPEN = 30


def open_edited_plans(c: AgentopsClient) -> list[str]:
    """OPEN plans on disk with `status: Aproved`, open in the editor as `Draft`."""
    text = (c.workspace / MONITORING_PLAN).read_text()
    uris = []
    for k in range(OPEN):
        rel = f"agentops/infrastructure-ops/plans/gen{k:02d}-plan.md"
        (c.workspace / rel).write_text(text)
        uris.append(c.open(rel, text.replace("status: Aproved", "status: Draft")))
    return uris


async def status_detail(c: AgentopsClient, uri: str) -> str:
    symbols = await c.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return symbols[0].children[0].detail


def reindex(c: AgentopsClient) -> int:
    """agentops.toml "changed" on disk: the root is indexed again."""
    n = len(c.indexed())
    toml = uri_of(c.workspace / "agentops.toml")
    c.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=toml, type=types.FileChangeType.Changed)])
    )
    return n


async def test_open_documents_survive_a_reindex(vscode: AgentopsClient):
    c = vscode
    uris = open_edited_plans(c)
    await c.settle()
    n = reindex(c)
    await c.wait_until(lambda: len(c.indexed()) > n, what="the re-index")
    await c.settle()
    for uri in uris:
        assert await status_detail(c, uri) == "Draft"
        assert all(d.code != "frontmatter-invalid-value" for d in c.diagnostics.get(uri, []))


# Open documents' text goes into a re-index's fresh index before it is swapped
# in (lsp/index.rs): no request can read the disk's text for them meanwhile.
async def test_open_documents_stay_the_truth_during_a_reindex(vscode: AgentopsClient):
    c = vscode
    uris = open_edited_plans(c)
    await c.settle()
    stale: list[str] = []
    for _ in range(20):  # the window is short: a few re-indexes catch it
        n = reindex(c)
        while len(c.indexed()) == n:
            for uri in uris:
                if (detail := await status_detail(c, uri)) != "Draft":
                    stale.append(detail)
        if stale:
            break
    assert stale == [], f"answered from the disk text during a re-index: {stale}"
