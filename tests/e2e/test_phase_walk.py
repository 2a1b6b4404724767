"""A topic walked from research to an approved plan through code actions alone,
over stdio against the release binary, as VS Code would apply the edits."""

from __future__ import annotations

from lsprotocol import types

from conftest import AgentopsClient

RESEARCH = "agentops/infrastructure-ops/research/cache-layer-research.md"
PLAN = "agentops/infrastructure-ops/plans/cache-layer-plan.md"
RESEARCH_TEXT = (
    "---\nstatus: complete\n---\n# Research: Cache layer\n\n"
    "## Problem Statement\n## Scope\n## Key Findings\n## Recommended Approach\n"
    "## Open Questions\n## References\n## Next Steps\n"
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

    # The draft plan is approved by its action: status and the Approval checklist.
    plan = c.open(PLAN)
    approve = titled(await actions_of(c, plan), "Mark Plan approved")
    [change] = approve.edit.document_changes
    v = c.edit(plan, *[(e.range, e.new_text) for e in change.edits])
    assert v == 2  # the status request below brings open documents up to date itself

    report = await c.raw_request("agentops/status", {"uri": plan})
    infra = next(f for f in report["roots"][0]["flavors"] if f["name"] == "infrastructure-ops")
    item = next(i for i in infra["items"] if i["key"] == "cache-layer")
    assert item["current"] == "implement", item
    assert item["timeline"].startswith("✓ research (complete) · ✓ plan (Approved) · → implement"), item
    # The plan exists now: no advance is offered again, so nothing can be overwritten.
    assert not [a for a in await actions_of(c, research) if a.title.startswith("Advance to Plan")]
