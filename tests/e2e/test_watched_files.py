"""Files changed outside the editor: workspace/didChangeWatchedFiles (the
dynamically registered watchers) and the workspace/did{Create,Rename,Delete}Files
file operations. After each event the server's view must equal what
`agentops-lsp check` says about the files on disk."""

from __future__ import annotations

import shutil

import pytest
from lsprotocol import types

from conftest import (
    FINDING_LINE,
    MONITORING_PLAN,
    NEW_RESEARCH,
    PLANTED,
    AgentopsClient,
    as_tuple,
    check_cli,
    json_of,
    pushed_view,
    research_text,
    uri_of,
)

Created, Changed, Deleted = (
    types.FileChangeType.Created,
    types.FileChangeType.Changed,
    types.FileChangeType.Deleted,
)


def watched(c: AgentopsClient, *events: tuple[str, types.FileChangeType]) -> None:
    c.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=u, type=t) for u, t in events])
    )


async def test_created_then_deleted_on_disk(push_client: AgentopsClient):
    c = push_client
    await c.settle()
    path = c.workspace / NEW_RESEARCH
    finding = "The old notes say to see [x](missing.md) first."
    path.write_text(research_text(finding))
    uri = uri_of(path)
    watched(c, (uri, Created))
    created = await c.wait_publish(uri)
    start = finding.index("[x]")
    assert created.version is None
    assert [(str(d.code), as_tuple(d.range), d.message, d.severity) for d in created.diagnostics] == [
        ("link-broken", (FINDING_LINE, start, FINDING_LINE, start + len("[x](missing.md)")),
         "`missing.md` does not exist", 1)
    ]
    assert pushed_view(c) == check_cli(c.workspace)

    n = len(c.published)
    path.unlink()
    watched(c, (uri, Deleted))
    gone = await c.wait_publish(uri, since=n)
    assert list(gone.diagnostics) == []
    assert pushed_view(c) == check_cli(c.workspace)


async def test_changed_on_disk(push_client: AgentopsClient):
    c = push_client
    await c.settle()
    path = c.workspace / MONITORING_PLAN
    uri = uri_of(path)
    assert c.diagnostics[uri]
    path.write_text(path.read_text().replace("status: Aproved", "status: Approved"))
    watched(c, (uri, Changed))
    fixed = await c.wait_publish(uri, lambda p: not p.diagnostics)
    assert fixed.version is None
    assert pushed_view(c) == check_cli(c.workspace)


async def test_git_checkout_burst(vscode: AgentopsClient):
    """Many events at once (a checkout): a file changed, one created, one deleted,
    and an event for a file that is not an artifact."""
    c = vscode
    await c.settle()
    plan = c.workspace / MONITORING_PLAN
    plan.write_text(plan.read_text().replace("status: Aproved", "status: Approved"))
    new = c.workspace / NEW_RESEARCH
    new.write_text(research_text("See [x](missing.md)."))
    spec = c.workspace / "agentops/product-dev/specs/2025-11-08-notification-system/spec.md"
    spec.unlink()
    src = c.workspace / "src/lib/new.ts"
    src.write_text("export const x = 1;\n")
    watched(c, (uri_of(plan), Changed), (uri_of(new), Created), (uri_of(spec), Deleted), (uri_of(src), Created))
    await c.wait_until(lambda: uri_of(new) in c.diagnostics and not c.diagnostics[uri_of(spec)]
                       and not c.diagnostics[uri_of(plan)], what="the three artifacts republished")
    await c.quiet(0.1)
    assert pushed_view(c) == check_cli(c.workspace)
    assert uri_of(src) not in c.diagnostics


async def test_rename_with_file_operations(vscode: AgentopsClient):
    """Renaming k8s-upgrade-research.md to the misspelled name the plan links
    to: the plan's planted broken link now works, its `research:` link and the
    bundle's link break."""
    c = vscode
    await c.settle()
    research = c.workspace / "agentops/infrastructure-ops/research"
    old, new = research / "k8s-upgrade-research.md", research / "k8s-upgrade-reserch.md"
    old.rename(new)
    n = len(c.published)
    c.workspace_did_rename_files(
        types.RenameFilesParams(files=[types.FileRename(old_uri=uri_of(old), new_uri=uri_of(new))])
    )
    plan_uri = c.uri("agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
    bundle_uri = c.uri(".agentops/bundles/k8s-upgrade-research.md")
    plan = await c.wait_publish(plan_uri, since=n)
    bundle = await c.wait_publish(bundle_uri, since=n)
    assert [(d.code, as_tuple(d.range), d.message) for d in plan.diagnostics] == [
        ("phase-prerequisite-missing", (3, 10, 3, 45),
         "`research:` names `../research/k8s-upgrade-research.md`, which is not an artifact of kind `research`"),
        ("link-broken", (16, 497, 16, 570), "`../research/k8s-upgrade-research.md` does not exist"),
    ]
    # The bundle's source was renamed under it: stale (links in a recorded
    # digest are not checked: the source reports its own).
    assert [(d.code, as_tuple(d.range)) for d in bundle.diagnostics] == [("bundle-stale", (16, 10, 16, 70))]
    await c.quiet(0.1)
    assert pushed_view(c) == check_cli(c.workspace)

    # ...and back.
    new.rename(old)
    n = len(c.published)
    c.workspace_did_rename_files(
        types.RenameFilesParams(files=[types.FileRename(old_uri=uri_of(new), new_uri=uri_of(old))])
    )
    # (One rename is a Deleted then a Created: the plan may be published twice.)
    await c.wait_publish(bundle_uri, lambda p: not p.diagnostics, since=n)
    await c.wait_publish(
        plan_uri,
        lambda p: [(d.code, as_tuple(d.range)) for d in p.diagnostics] == [("link-broken", (13, 203, 13, 255))],
        since=n,
    )
    await c.quiet(0.1)
    assert pushed_view(c) == check_cli(c.workspace)


async def test_create_and_delete_with_file_operations(vscode: AgentopsClient):
    c = vscode
    await c.settle()
    path = c.workspace / NEW_RESEARCH
    path.write_text(research_text("See [x](missing.md)."))
    uri = uri_of(path)
    c.workspace_did_create_files(types.CreateFilesParams(files=[types.FileCreate(uri=uri)]))
    created = await c.wait_publish(uri)
    assert [d.code for d in created.diagnostics] == ["link-broken"]

    # Deleting a whole folder: every artifact under it is forgotten.
    folder = c.workspace / "agentops/product-dev/specs/2025-11-08-notification-system"
    spec_uri = uri_of(folder / "spec.md")
    assert c.diagnostics[spec_uri]
    shutil.rmtree(folder)
    path.unlink()
    n = len(c.published)
    c.workspace_did_delete_files(
        types.DeleteFilesParams(files=[types.FileDelete(uri=uri_of(folder)), types.FileDelete(uri=uri)])
    )
    await c.wait_publish(spec_uri, lambda p: not p.diagnostics, since=n)
    await c.wait_publish(uri, lambda p: not p.diagnostics, since=n)
    await c.quiet(0.1)
    assert pushed_view(c) == check_cli(c.workspace)


async def test_config_file_edit_applies_live(vscode: AgentopsClient):
    """agentops.toml edited on disk: rule severities apply without a restart."""
    c = vscode
    await c.settle()
    toml = c.workspace / "agentops.toml"
    toml.write_text(
        toml.read_text().replace(
            '# section-unexpected = "warning"', 'section-unexpected = "warning"\nlink-broken = "off"'
        )
    )
    n = len(c.published)
    watched(c, (uri_of(toml), Changed))
    broken = [rel for rel, (code, *_) in PLANTED.items() if code == "link-broken"]
    for rel in broken:
        await c.wait_publish(c.uri(rel), lambda p: not p.diagnostics, since=n)
    auth = c.uri("agentops/product-dev/specs/2025-11-06-user-authentication/spec.md")
    [d] = (await c.wait_publish(auth, since=n)).diagnostics
    assert (d.code, d.severity) == ("section-unexpected", types.DiagnosticSeverity.Warning)
    await c.quiet(0.1)
    assert pushed_view(c) == check_cli(c.workspace)
    assert len(pushed_view(c)) == len(PLANTED) - len(broken)


async def test_deleting_an_open_document_on_disk_keeps_the_editor_text(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    assert [d.code for d in await c.diagnostics_of(uri, 1)] == ["frontmatter-invalid-value"]
    (c.workspace / MONITORING_PLAN).unlink()
    n = len(c.published)
    watched(c, (uri, Deleted))
    await c.quiet(0.3)
    symbols = await c.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None and [s.name for s in symbols][:2] == ["frontmatter", "Implementation Plan: Journey Alerts"]
    assert c.publishes(uri, since=n) == [], [json_of(p) for p in c.publishes(uri, since=n)]
