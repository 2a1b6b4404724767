"""Workspace folders: several roots at once, each with its own agentops.toml;
folders added and removed; and no folder at all (the root is found from the
opened file)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from lsprotocol import types

from conftest import (
    EXAMPLE,
    MONITORING_PLAN,
    PLANTED,
    AgentopsClient,
    check_cli,
    initialize,
    pushed_view,
    uri_of,
)

LINK_BROKEN = {rel for rel, (code, *_) in PLANTED.items() if code == "link-broken"}


def second_root(tmp_path: Path) -> Path:
    """Another copy of my-startup whose agentops.toml turns link-broken off."""
    b = tmp_path / "other-startup"
    shutil.copytree(EXAMPLE, b)
    toml = b / "agentops.toml"
    toml.write_text(toml.read_text().replace('# section-unexpected = "warning"', 'link-broken = "off"'))
    return b


async def test_two_roots_each_with_its_config(bare: AgentopsClient, workspace, tmp_path):
    c = bare
    other = second_root(tmp_path)
    await initialize(c, "vscode", workspace, folders=[workspace, other])
    await c.settle()
    indexed = sorted(m.split(": ")[1].removeprefix("indexed ") for m in c.indexed())
    assert indexed == sorted(str(r) for r in (workspace, other))
    assert all(": 23 artifacts (" in m for m in c.indexed())
    mine, theirs = pushed_view(c, workspace), pushed_view(c, other)
    assert set(mine) == set(PLANTED)
    assert set(theirs) == set(PLANTED) - LINK_BROKEN
    assert mine == check_cli(workspace)
    assert theirs == check_cli(other)
    # A document of each root is checked under its root's config.
    for root in (workspace, other):
        rel = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"
        uri = c.open(rel, root=root)
        v = c.edit(uri, (types.Range(start=types.Position(line=13, character=0),
                                     end=types.Position(line=13, character=0)), "[x](nope.md) "))
        # The plan is a bundle's source: an edit also gets the hint that the
        # bundle is behind, in both roots; link-broken only where it is on.
        p = await c.wait_publish(uri, lambda p: p.version == v)
        codes = [d.code for d in p.diagnostics]
        if root == workspace:
            assert codes == ["bundle-source-changed", "link-broken", "link-broken"]
        else:
            assert codes == ["bundle-source-changed"]


async def test_folders_added_and_removed(bare: AgentopsClient, workspace, tmp_path):
    c = bare
    other = second_root(tmp_path)
    await initialize(c, "vscode", workspace)
    await c.settle()
    assert set(pushed_view(c, workspace)) == set(PLANTED)

    c.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=uri_of(other), name=other.name)], removed=[]
            )
        )
    )
    await c.wait_until(lambda: len(c.indexed()) == 2, what="the added folder indexed")
    await c.wait_until(lambda: set(pushed_view(c, other)) == set(PLANTED) - LINK_BROKEN, what="its diagnostics")

    n = len(c.published)
    c.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[], removed=[types.WorkspaceFolder(uri=uri_of(workspace), name=workspace.name)]
            )
        )
    )
    # Every file of the removed folder that showed something is cleared.
    await c.wait_until(lambda: pushed_view(c, workspace) == {}, what="the removed folder cleared")
    cleared = {p.uri for p in c.published[n:] if not p.diagnostics}
    assert cleared >= {c.uri(rel) for rel in PLANTED}
    assert set(pushed_view(c, other)) == set(PLANTED) - LINK_BROKEN


@pytest.mark.no_folder
async def test_no_folder_finds_the_root(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    assert c.indexed()[0].startswith(f"agentops: indexed {c.workspace}: 23 artifacts")
    # The whole discovered root is published, exactly as `check` sees it.
    await c.wait_until(lambda: set(pushed_view(c)) == set(PLANTED), what="the planted files")
    assert pushed_view(c) == check_cli(c.workspace)
    assert [d.code for d in c.diagnostics[uri]] == ["frontmatter-invalid-value"]


@pytest.mark.no_folder
async def test_no_folder_opening_many_files_indexes_once(vscode: AgentopsClient):
    c = vscode
    for rel in PLANTED:
        c.open(rel)
    await c.settle()
    await c.wait_until(lambda: set(pushed_view(c)) == set(PLANTED), what="the planted files")
    await c.quiet(0.3)
    counts = Counter(p.uri for p in c.published)
    assert len(c.indexed()) == 1, c.indexed()
    assert set(counts.values()) == {1}, counts
