"""Push diagnostics (textDocument/publishDiagnostics) for the clients without
pull support: VS Code 1.65.2 and Neovim 0.9.1. On open, on change, on save,
on close, and re-validation of the files that depend on an edited one."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from lsprotocol import types

from conftest import (
    APROVED,
    MONITORING_PLAN,
    PLANTED,
    STATUSES,
    AgentopsClient,
    as_tuple,
    check_cli,
    json_of,
    pushed_view,
    rng,
    summary,
)

@pytest.mark.early
async def test_open_then_whole_workspace(push_client: AgentopsClient):
    c = push_client
    uri = c.open(MONITORING_PLAN)
    first = await c.wait_publish(uri)
    assert first.version == 1
    assert [json_of(d) for d in first.diagnostics] == [APROVED]

    # Indexing ends with a publish of every file that has something to say.
    planted = {c.uri(rel) for rel in PLANTED}
    await c.wait_until(lambda: {p.uri for p in c.published} >= planted, what="the planted files")
    await c.quiet(0.2)
    counts = Counter(p.uri for p in c.published)
    assert set(counts) == planted, "files without diagnostics are never published"
    assert set(counts.values()) == {1}, f"each file published once: {counts}"
    for rel, (code, severity, start, end) in PLANTED.items():
        [d] = c.diagnostics[c.uri(rel)]
        assert (str(d.code), d.severity, (d.range.start.line, d.range.start.character)) == (code, severity, start)
        if end is not None:
            assert (d.range.end.line, d.range.end.character) == end
        assert d.source == "agentops"
    # ...and exactly what `agentops-lsp check` says about the same files.
    assert pushed_view(c) == check_cli(c.workspace)
    # Files not open carry no version.
    assert {p.version for p in c.published if p.uri != uri} == {None}


async def test_change_fixes_and_breaks(push_client: AgentopsClient):
    c = push_client
    uri = c.open(MONITORING_PLAN)
    await c.wait_publish(uri)

    # Aproved -> Approved: one incremental insertion.
    v = c.edit(uri, (rng(1, 9, 1, 9), "p"))
    fixed = await c.wait_publish(uri, lambda p: p.version == v)
    assert list(fixed.diagnostics) == []

    # Approved -> Waiting: a replacement.
    v = c.edit(uri, (rng(1, 8, 1, 16), "Waiting"))
    broken = await c.wait_publish(uri, lambda p: p.version == v)
    [d] = broken.diagnostics
    assert (str(d.code), as_tuple(d.range), d.severity) == ("frontmatter-invalid-value", (1, 8, 1, 15), 1)
    assert d.message == f"`Waiting` is not a valid status; expected one of: {STATUSES}"

    # Two changes in one batch, the second in the text left by the first:
    # "Waiting" -> "Wting" -> "Aproved" back again, at a new range.
    v = c.edit(uri, (rng(1, 9, 1, 11), ""), (rng(1, 8, 1, 13), "Aproved"))
    again = await c.wait_publish(uri, lambda p: p.version == v)
    assert [json_of(d) for d in again.diagnostics] == [APROVED]
    # Only the edited file was republished: its peers' diagnostics did not change.
    assert {p.uri for p in c.published if p.version is not None} == {uri}


async def test_save_keeps_diagnostics(push_client: AgentopsClient):
    c = push_client
    uri = c.open(MONITORING_PLAN)
    await c.wait_publish(uri)
    await c.settle()
    v = c.edit(uri, (rng(1, 9, 1, 9), "p"))
    await c.wait_publish(uri, lambda p: p.version == v and not p.diagnostics)

    # Save: the editor writes the file, says didSave (VS Code also reports the
    # write as a watched-file change). Nothing changes, nothing is republished.
    path = c.workspace / MONITORING_PLAN
    path.write_text(path.read_text().replace("status: Aproved", "status: Approved"))
    n = len(c.published)
    c.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    c.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)])
    )
    # didSave with the text included (clients that asked for includeText) works too.
    c.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri), text=path.read_text())
    )
    await c.quiet(0.3)
    assert c.published[n:] == []
    assert list(c.diagnostics[uri]) == []

    # The server still answers, and an edit after the save is checked as before.
    hover = await c.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=2))
    )
    assert hover is not None and "**status**" in hover.contents.value
    v = c.edit(uri, (rng(1, 9, 1, 10), ""))
    back = await c.wait_publish(uri, lambda p: p.version == v)
    assert [json_of(d) for d in back.diagnostics] == [APROVED]

    # Closing after the save: the disk says "Approved", so the error goes away.
    n = len(c.published)
    c.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    on_disk = await c.wait_publish(uri, since=n)
    assert (on_disk.version, list(on_disk.diagnostics)) == (None, [])


async def test_close_without_saving_reverts_to_disk(push_client: AgentopsClient):
    c = push_client
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    v = c.edit(uri, (rng(1, 9, 1, 9), "p"))
    await c.wait_publish(uri, lambda p: p.version == v and not p.diagnostics)
    n = len(c.published)
    c.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    reverted = await c.wait_publish(uri, since=n)
    assert reverted.version is None
    assert [json_of(d) for d in reverted.diagnostics] == [APROVED]


async def test_heading_edit_revalidates_linking_files(push_client: AgentopsClient, tmp_path):
    """Renaming a heading re-checks the artifacts linking to it (not open)."""
    c = push_client
    research = "agentops/infrastructure-ops/research/monitoring-strategy-research.md"
    uri = c.open(research)
    plan_uri = c.uri(MONITORING_PLAN)
    await c.settle()
    n = len(c.published)

    # Line 63 (0-based 62): "## Recommended Approach" -> "## Recommendation".
    v = c.edit(uri, (rng(62, 3, 62, 23), "Recommendation"))
    plan = await c.wait_publish(plan_uri, since=n)
    assert plan.version is None
    broken = [d for d in plan.diagnostics if d.code == "link-broken"]
    line = (c.workspace / MONITORING_PLAN).read_text().splitlines()[12]
    start = line.index("[monitoring strategy research](")
    end = line.index(")", start) + 1
    assert (start, end) == (168, 264)
    assert [(as_tuple(d.range), d.message) for d in broken] == [
        ((12, start, 12, end), "no heading `#recommended-approach` in `../research/monitoring-strategy-research.md`")
    ]
    # The same as `check` on disk with the same edit.
    oracle = tmp_path / "oracle"
    shutil.copytree(c.workspace, oracle)
    p = oracle / research
    p.write_text(p.read_text().replace("## Recommended Approach", "## Recommendation"))
    expected = check_cli(oracle)
    assert summary(plan.diagnostics) == expected[MONITORING_PLAN]
    # "Recommendation" is an accepted name for the section: the research itself
    # keeps only its planted section-order warning (not republished: unchanged).
    assert [d[0] for d in expected[research]] == ["section-order"]
    assert not c.publishes(uri, since=n)
    assert c.doc_version(uri) == v

    # Back to the original heading: the link works again.
    n = len(c.published)
    c.edit(uri, (rng(62, 3, 62, 17), "Recommended Approach"))
    plan = await c.wait_publish(plan_uri, since=n)
    assert [json_of(d) for d in plan.diagnostics] == [APROVED]
