"""A hostile repository against the server (issue 12, the repository side;
docs/reliability.md): special files where files are expected (a FIFO as
agentops.toml, links to /dev/zero and to a FIFO), links out of the root, and a
symlinked bundle folder. Indexing finishes, findings say what is wrong, nothing
outside the root is read or written, and a normal request is answered after
each abuse. Each test plants its abuse in a temporary copy of the example
before the server starts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import AgentopsClient, initialize, plain, status_hover

HOSTILE = "agentops/infrastructure-ops/research/hostile-research.md"


def messages(p: types.PublishDiagnosticsParams) -> list[str]:
    return [d.message for d in p.diagnostics]


async def test_special_files_and_links_out_of_the_root(bare: AgentopsClient, workspace: Path):
    c = bare
    outside = workspace.parent / "outside.md"
    outside.write_text("# Secret Heading\n")
    (workspace / "docs").mkdir(exist_ok=True)
    os.symlink("/dev/zero", workspace / "docs/zero.md")
    os.mkfifo(workspace / "docs/fifo.md")
    os.symlink(outside, workspace / "docs/leak.md")
    config = workspace / "agentops.toml"
    if config.exists():
        config.unlink()
    os.mkfifo(config)
    # A bundle whose snapshot is a FIFO.
    (workspace / ".agentops/bundles/fifo-research.md").write_text(
        "---\nbundle_id: bundle-fifo-research-2025-11-09\ntype: research\n"
        "snapshot: fifo-research.tar.zst\nsources:\n"
        "  - path: agentops/infrastructure-ops/research/monitoring-strategy-research.md\n"
        f'    sha256: "{"0" * 64}"\n---\n# Bundle: fifo\n'
    )
    os.mkfifo(workspace / ".agentops/bundles/fifo-research.tar.zst")
    (workspace / HOSTILE).write_text(
        "# Research: Hostile\n\n## Key Findings\n"
        "[z](../../../docs/zero.md#a) [f](../../../docs/fifo.md#a) "
        "[o](../../../../outside.md#nope) [l](../../../docs/leak.md#nope)\n"
    )
    await initialize(c, "vscode", workspace)
    # Indexing ends (a FIFO read would block it for good), with the config's finding.
    await c.settle()
    cfg = await c.wait_publish(c.uri("agentops.toml"), lambda p: bool(p.diagnostics))
    assert any("cannot read agentops.toml: it is not a regular file" in m for m in messages(cfg)), messages(cfg)

    bundle = await c.wait_publish(c.uri(".agentops/bundles/fifo-research.md"), lambda p: bool(p.diagnostics))
    assert any("the snapshot cannot be read: it is not a regular file" in m for m in messages(bundle)), messages(
        bundle
    )

    uri = c.open(HOSTILE)
    got = await c.wait_publish(uri, lambda p: any("outside" in m for m in messages(p)))
    found = messages(got)
    for dest in ["../../../docs/zero.md", "../../../../outside.md", "../../../docs/leak.md"]:
        assert any(m.startswith(f"`{dest}` leads outside the workspace root") for m in found), found
    assert any("no heading `#a` in `../../../docs/fifo.md`" in m for m in found), found
    assert not any("secret-heading" in m for m in found), found
    await status_hover(c)


async def test_bundle_save_into_a_symlinked_folder(bare: AgentopsClient, workspace: Path):
    c = bare
    elsewhere = workspace.parent / "elsewhere"
    bundles = workspace / ".agentops/bundles"
    shutil.move(bundles, elsewhere)
    os.symlink(elsewhere, bundles)
    before = sorted(p.name for p in elsewhere.iterdir())
    await initialize(c, "vscode", workspace)
    await c.settle()
    research = c.open("agentops/infrastructure-ops/research/monitoring-strategy-research.md")
    await c.wait_publish(research)
    with pytest.raises(JsonRpcException) as err:
        plain(
            await c.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="agentops.bundleSave",
                    arguments=[{"name": "monitoring-strategy-research", "uri": research}],
                )
            )
        )
    assert "leads outside the workspace root" in str(err.value)
    assert sorted(p.name for p in elsewhere.iterdir()) == before
    await status_hover(c)
