"""Context bundles from the editor (issue 5): save through
`workspace/executeCommand`, found stale while a source is edited (unsaved),
re-saved from the quick fix, loaded (verified, digest shown, access counted),
listed; and refused names."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import AgentopsClient, plain, rng

RESEARCH = "agentops/infrastructure-ops/research/monitoring-strategy-research.md"
PLAN = "agentops/infrastructure-ops/plans/monitoring-plan.md"
DIGEST = ".agentops/bundles/monitoring-strategy-research.md"


async def run(c: AgentopsClient, command: str, *arguments) -> dict:
    return plain(
        await c.workspace_execute_command_async(types.ExecuteCommandParams(command=command, arguments=list(arguments)))
    )


async def test_save_stale_resave_load_list(vscode: AgentopsClient, workspace):
    c = vscode
    research = c.open(RESEARCH)
    await c.wait_publish(research)
    digest_uri = c.uri(DIGEST)

    saved = await run(c, "agentops.bundleSave", {"name": "monitoring-strategy-research", "uri": research})
    assert saved["sources"] == 2, saved  # the research and its plan: the work item
    assert saved["uri"] == digest_uri
    assert saved["compression_ratio"] == pytest.approx(saved["original_tokens"] / saved["compressed_tokens"], abs=0.06)
    assert (workspace / DIGEST).is_file()
    assert (workspace / ".agentops/bundles/monitoring-strategy-research.tar.zst").is_file()
    # A fresh bundle has nothing to say (closed files with no findings stay quiet).
    await c.quiet(0.2)
    assert all(list(p.diagnostics) == [] for p in c.publishes(digest_uri))

    # An unsaved edit of a source makes the bundle stale at once, and says so
    # on the source, where the user is editing.
    since = len(c.published)
    c.edit(research, (rng(0, 0, 0, 0), "<!-- reviewed -->\n"))
    stale = await c.wait_publish(digest_uri, lambda p: len(p.diagnostics) > 0, since=since)
    [d] = stale.diagnostics
    assert d.code == "bundle-stale" and RESEARCH in d.message
    hinted = await c.wait_publish(
        research, lambda p: any(x.code == "bundle-source-changed" for x in p.diagnostics), since=since
    )
    [h] = [x for x in hinted.diagnostics if x.code == "bundle-source-changed"]
    assert h.severity == types.DiagnosticSeverity.Hint
    assert "bundle `monitoring-strategy-research`" in h.message

    # ... and in the status report (which sees the unsaved edit too).
    status = await c.raw_request("agentops/status", {"uri": research})
    [report] = status["roots"]
    [sb] = [b for b in report["stale_bundles"] if b["name"] == "monitoring-strategy-research"]
    assert sb["changed"] == [RESEARCH] and sb["path"] == DIGEST

    # Loaded while stale: the digest is led by what changed, section by section.
    early = await run(c, "agentops.bundleLoad", {"name": "monitoring-strategy-research"})
    assert early["changed"] == [RESEARCH]
    assert early["since"].startswith("> **Stale bundle.**") and f"`{RESEARCH}`: " in early["since"], early["since"]

    digest = c.open(DIGEST)
    actions = await c.raw_request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": digest},
            "range": {"start": {"line": d.range.start.line, "character": 0}, "end": {"line": d.range.end.line, "character": d.range.end.character}},
            "context": {"diagnostics": [c.protocol._converter.unstructure(d)]},
        },
    )
    [fix] = [a for a in actions if a["title"].startswith("Re-save bundle")]
    assert fix["kind"] == "quickfix" and fix["diagnostics"][0]["code"] == "bundle-stale"
    assert sorted(fix["command"]["arguments"][0]["from"]) == sorted([RESEARCH, PLAN])
    since = len(c.published)
    resaved = await run(c, fix["command"]["command"], *fix["command"]["arguments"])
    assert resaved["replaced"] is True
    assert (workspace / (DIGEST + ".prev")).is_file()
    # The digest is open: an editor reloads a file that changed on disk and
    # was not modified in the editor; the server judges the reloaded text.
    v = c.edit(digest, (None, (workspace / DIGEST).read_text()))
    await c.wait_publish(digest_uri, lambda p: p.version == v and list(p.diagnostics) == [], since=since)

    loaded = await run(c, "agentops.bundleLoad", {"name": "monitoring-strategy-research"})
    # Saved from the editor's text, so nothing changed since.
    assert loaded["verified"] is True and loaded["changed"] == [] and loaded["accessed_count"] == 1
    assert loaded["since"] is None
    assert loaded["shown"] is True and c.shown_documents[-1].uri == digest_uri
    assert "accessed_count: 1\n" in (workspace / DIGEST).read_text()

    listed = await run(c, "agentops.bundleList")
    row = next(r for r in listed if r["name"] == "monitoring-strategy-research")
    assert row["stale"] is False and row["state"] == "fresh" and row["uri"] == digest_uri
    assert row["recall"] == 1.0 and row["compression_ratio"] > 0
    # The example's bundles were saved by the tool: verified, every essential item kept.
    for name in ("k8s-upgrade-plan", "k8s-upgrade-research"):
        demo = next(r for r in listed if r["name"] == name)
        assert demo["state"] == "fresh" and demo["recall"] == 1.0, demo


async def test_exactly_the_named_sources_and_resave_keeps_them(vscode: AgentopsClient, workspace):
    c = vscode
    research = c.open(RESEARCH)
    await c.wait_publish(research)
    saved = await run(c, "agentops.bundleSave", {"name": "monitoring-strategy-research", "uri": research, "from": [RESEARCH]})
    assert saved["sources"] == 1, saved  # the plan of the work item is not added
    assert saved["recall"] == 1.0 and saved["essential_items"] > 0
    # The `/bundle-save NAME` action on an existing bundle re-saves its recorded sources.
    resaved = await run(
        c, "agentops.bundleSave", {"name": "monitoring-strategy-research", "uri": research, "overwrite": True}
    )
    assert resaved["replaced"] is True and resaved["sources"] == 1, resaved
    text = (workspace / DIGEST).read_text()
    assert f"  - path: {RESEARCH}\n" in text and PLAN not in text.split("---")[1]
    with pytest.raises(JsonRpcException) as err:
        await run(c, "agentops.bundleSave", {"name": "x-research", "from": ["file:///elsewhere/x.md"]})
    assert "not a file of this workspace" in str(err.value)


@pytest.mark.parametrize("name", ["../escape-plan", "a/b-plan", "Upper-plan", "no-type", ".x-plan"])
async def test_hostile_names_are_refused(vscode: AgentopsClient, workspace, name):
    c = vscode
    uri = c.open(RESEARCH)
    await c.wait_publish(uri)
    with pytest.raises(JsonRpcException) as err:
        await run(c, "agentops.bundleSave", {"name": name, "uri": uri})
    assert "bundle name" in str(err.value)
    with pytest.raises(JsonRpcException):
        await run(c, "agentops.bundleLoad", {"name": name})
    assert not (workspace.parent / "escape-plan.md").exists()
    assert sorted(p.name for p in (workspace / ".agentops/bundles").iterdir()) == [
        "k8s-upgrade-plan.md",
        "k8s-upgrade-plan.tar.zst",
        "k8s-upgrade-research.md",
        "k8s-upgrade-research.tar.zst",
    ]


async def test_an_existing_bundle_needs_overwrite(vscode: AgentopsClient):
    c = vscode
    uri = c.open(RESEARCH)
    await c.wait_publish(uri)
    with pytest.raises(JsonRpcException) as err:
        await run(c, "agentops.bundleSave", {"name": "k8s-upgrade-plan", "from": [PLAN]})
    assert "exists" in str(err.value)


TASKS = "agentops/product-dev/specs/2025-11-07-payment-integration/tasks.md"


async def test_the_digest_keeps_every_open_task_whole(vscode: AgentopsClient, workspace):
    """Issue 15, point 1, through the editor: a bundle of a tasks file keeps
    every open task whole, points at the completed ones in one line, cuts no
    section and drops `/bundle-…` command lines; recall is measured."""
    c = vscode
    tasks = c.open(TASKS)
    await c.settle()
    saved = await run(
        c, "agentops.bundleSave", {"name": "payment-integration-implementation", "uri": tasks, "from": [TASKS]}
    )
    assert saved["recall"] == 1.0, saved
    digest = (workspace / ".agentops/bundles/payment-integration-implementation.md").read_text(encoding="utf-8")
    source = (workspace / TASKS).read_text(encoding="utf-8")
    open_tasks = [line for line in source.splitlines() if line.lstrip().startswith("- [ ]")]
    assert len(open_tasks) == 14
    for t in open_tasks:
        assert t in digest, f"open task {t!r} missing"
    for t in (line for line in source.splitlines() if line.lstrip().startswith("- [x]")):
        assert t not in digest, f"completed task {t!r} kept"
    assert "completed tasks: `tasks.md` §" in digest
    assert "more lines in the snapshot" not in digest
    assert not any(line.lstrip().startswith("/bundle-") for line in digest.splitlines())
