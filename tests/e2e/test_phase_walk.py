"""A topic walked from research to an approved plan through code actions and the
explicit approve command, over stdio against the release binary, as VS Code would
apply the edits."""

from __future__ import annotations

from lsprotocol import types

from conftest import AgentopsClient

RESEARCH = "agentops/infrastructure-ops/research/cache-layer-research.md"
PLAN = "agentops/infrastructure-ops/plans/cache-layer-plan.md"
# Complete research with content: one of headings only is unstarted (blank),
# whatever its status says, and offers no Advance.
RESEARCH_TEXT = (
    "---\nstatus: complete\n---\n# Research: Cache layer\n\n"
    "## Problem Statement\nReads hit the database on every request.\n"
    "## Scope\n## Key Findings\n## Recommended Approach\n"
    "## Open Questions\n## References\n## Next Steps\n"
)


FILLED_PLAN = (
    "## Overview\nCache reads in Redis.\n\n## Approach\nRead-through.\n\n"
    "## Files to Modify\n- `api/cache.rs`\n\n## Test Strategy\nLoad test.\n\n"
    "## Implementation Order\n1. Deploy.\n\n## Rollback Plan\nTurn it off.\n\n"
    "## Risk Assessment\n- Stale reads.\n\n## Approval\n- [x] Approach validated\n"
    "- [x] Changes reviewed\n- [x] Risks acceptable\n- [x] Ready to implement\n"
)


async def actions_of(c: AgentopsClient, uri: str) -> list[types.CodeAction]:
    zero = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    found = await c.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=zero,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def titled(actions: list[types.CodeAction], prefix: str) -> types.CodeAction:
    matches = [a for a in actions if a.title.startswith(prefix)]
    assert matches, [a.title for a in actions]
    return matches[0]


async def test_research_to_an_approved_plan(vscode: AgentopsClient):
    c = vscode
    (c.workspace / RESEARCH).write_text(RESEARCH_TEXT, encoding="utf-8")
    c.raw_notify("workspace/didCreateFiles", {"files": [{"uri": c.uri(RESEARCH)}]})
    research = c.open(RESEARCH)
    await c.settle()

    # Research is done: "Advance to Plan" creates the plan from the flavor's template.
    advance = titled(await actions_of(c, research), "Advance to Plan: create cache-layer-plan.md")
    ops = advance.edit.document_changes
    assert isinstance(ops[0], types.CreateFile) and ops[0].uri == c.uri(PLAN)
    assert ops[0].options.overwrite is False
    assert isinstance(ops[1], types.TextDocumentEdit)
    plan_path = c.workspace / PLAN
    assert not plan_path.exists()
    plan_path.write_text(ops[1].edits[0].new_text, encoding="utf-8")
    c.raw_notify("workspace/didCreateFiles", {"files": [{"uri": c.uri(PLAN)}]})
    text = plan_path.read_text(encoding="utf-8")
    assert "# Implementation Plan: Cache layer" in text
    assert "research: ../research/cache-layer-research.md" in text

    # The fresh plan is its template: nothing marks or approves it, and approving refuses.
    plan = c.open(PLAN)
    titles = [a.title for a in await actions_of(c, plan)]
    assert not [t for t in titles if t.startswith(("Mark ", "Approve"))], titles
    refused = await c.raw_request("workspace/executeCommand", {
        "command": "agentops.approve", "arguments": [{"uri": plan, "by": "Ada"}]})
    assert refused["applied"] is False and "placeholders" in refused["reason"], refused

    # The human writes it and ticks the sign-off boxes; then approves, explicitly.
    written = text.split("## Overview")[0] + FILLED_PLAN
    plan_path.write_text(written, encoding="utf-8")
    v = c.edit(plan, (None, written))
    await c.diagnostics_of(plan, v)  # the server has checked what the human wrote
    # Raw JSON: lsprotocol reads a CodeAction that carries a command as a Command.
    raw = await c.raw_request("textDocument/codeAction", {
        "textDocument": {"uri": plan},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}})
    [approve] = [a for a in raw if a["title"].startswith("Approve cache-layer-plan.md")]
    assert approve["kind"] == "refactor" and not approve.get("diagnostics"), approve
    assert approve["command"]["command"] == "agentops.approve"
    result = await c.raw_request("workspace/executeCommand", {
        "command": "agentops.approve", "arguments": [{"uri": plan, "by": "Ada Lovelace"}]})
    assert result["applied"] is True, result
    approved = plan_path.read_text(encoding="utf-8")
    assert "status: Approved\n" in approved and "approved_by: Ada Lovelace\n" in approved, approved
    assert f"approved_at: {result['approved_at']}\n" in approved, approved
    assert approved.count("- [x]") == 4  # ticked by the human, not by approving
    v = c.edit(plan, (None, approved))
    assert v == 3  # the status request below brings open documents up to date itself

    report = await c.raw_request("agentops/status", {"uri": plan})
    infra = next(f for f in report["roots"][0]["flavors"] if f["name"] == "infrastructure-ops")
    item = next(i for i in infra["items"] if i["key"] == "cache-layer")
    assert item["current"] == "implement", item
    assert item["timeline"].startswith("✓ research (complete) · ✓ plan (Approved) · → implement"), item
    # The plan exists now: no advance is offered again, so nothing can be overwritten.
    assert not [a for a in await actions_of(c, research) if a.title.startswith("Advance to Plan")]
