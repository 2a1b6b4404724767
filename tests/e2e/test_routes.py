"""Routes that reach the other team (issue 16), over stdio: the walkthrough's
"service mesh" on examples/my-startup. Product edits the authentication spec;
ops' monitoring research gets route-stale naming the section, the hover shows
the change, the "Acknowledge" quick fix clears it, and status lists what waits."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conftest import AgentopsClient, apply_to_disk, plain, pos, rng

AUTH_SPEC = "agentops/product-dev/specs/2025-11-06-user-authentication/spec.md"
MONITORING_RESEARCH = "agentops/infrastructure-ops/research/monitoring-strategy-research.md"
EXPIRY = "- Expiry 30 days"


async def codes_until(c: AgentopsClient, uri: str, want: bool, code: str) -> list[types.Diagnostic]:
    """The document's diagnostics once `code` is (or is no longer) among them: pulled,
    or for a push client the last published (a dependent is republished at the same
    document version, so waiting for a version would find the earlier publish)."""
    pull = c.init_result.capabilities.diagnostic_provider is not None
    for _ in range(100):
        if pull:
            diags = await c.diagnostics_of(uri, c.doc_version(uri))
        else:
            diags = list(c.diagnostics.get(uri, []))
        if any(d.code == code for d in diags) == want:
            return diags
        await asyncio.sleep(0.1)
    raise AssertionError(f"{code} {'never came' if want else 'never went'} on {uri}: {diags}")


async def test_auth_spec_edit_reaches_monitoring_research(push_or_pull: AgentopsClient, workspace):
    c = push_or_pull
    research = c.open(MONITORING_RESEARCH)
    spec = c.open(AUTH_SPEC)
    await c.settle()
    text = (workspace / AUTH_SPEC).read_text()
    line = text.split("\n").index(next(l for l in text.split("\n") if l.startswith(EXPIRY)))
    c.edit(spec, (rng(line, 9, line, 11), "14"))

    diags = await codes_until(c, research, True, "route-stale")
    stale = next(d for d in diags if d.code == "route-stale")
    assert stale.severity == types.DiagnosticSeverity.Warning
    assert "edited `Specific Requirements`" in stale.message, stale.message
    assert stale.range.start == pos(10, 4)
    spec_diags = await codes_until(c, spec, True, "route-unacknowledged")
    assert any("has not acknowledged this version" in d.message for d in spec_diags)

    hover = await c.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=research), position=pos(10, 8))
    )
    assert "**Changed since acknowledged**: edited `Specific Requirements`" in hover.contents.value

    diff = plain(await c.workspace_execute_command_async(
        types.ExecuteCommandParams(command="agentops.routeDiff", arguments=[{"uri": research}])
    ))
    [route] = [r for r in diff["routes"] if r["source"] == AUTH_SPEC]
    assert route["state"] == "changed" and route["changed"] == "edited `Specific Requirements`"

    status = plain(await c.workspace_execute_command_async(
        types.ExecuteCommandParams(command="agentops.status", arguments=[])
    ))
    ops = next(f for f in status["roots"][0]["flavors"] if f["name"] == "infrastructure-ops")
    assert [(r["source"], r["state"]) for r in ops["routesAwaiting"]] == [(AUTH_SPEC, "changed")]

    actions = await c.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=research),
            range=stale.range,
            context=types.CodeActionContext(diagnostics=[stale]),
        )
    )
    [ack] = [a for a in actions or [] if getattr(a, "title", "").startswith("Acknowledge ")]
    assert ack.title == "Acknowledge the product-dev spec `2025-11-06-user-authentication`"
    assert ack.kind == types.CodeActionKind.QuickFix and ack.is_preferred
    # The spec's edit is saved, then the acknowledgement applied and sent as the editor would.
    (workspace / AUTH_SPEC).write_text(text.replace(EXPIRY, "- Expiry 14 days"))
    apply_to_disk(ack.edit)
    c.edit(research, (None, (workspace / MONITORING_RESEARCH).read_text()))
    await codes_until(c, research, False, "route-stale")
    await codes_until(c, spec, False, "route-unacknowledged")
