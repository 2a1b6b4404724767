"""Smoke tests of the newer surface: code actions, code lens, commands and the
agentops/status request (content in flux: only the loop "action -> edit ->
diagnostic gone" and the shapes are pinned)."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import MONITORING_PLAN, AgentopsClient, as_tuple, plain

INVALID_PARAMS = -32602


async def test_quickfix_fixes_the_status(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    [diag] = (await c.wait_publish(uri)).diagnostics
    actions = await c.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix" and a.edit]
    assert fixes, actions
    edit = fixes[0].edit
    # Apply it as the editor would: its text edits, as one didChange.
    [change] = edit.document_changes
    assert change.text_document.uri == uri
    v = c.edit(uri, *[(e.range, e.new_text) for e in change.edits])
    fixed = await c.wait_publish(uri, lambda p: p.version == v)
    assert list(fixed.diagnostics) == []


async def test_code_lens_and_status(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    [lens] = await c.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert as_tuple(lens.range) == (9, 0, 9, 37)  # the title
    assert lens.command.command == "agentops.status"
    assert lens.command.command in c.init_result.capabilities.execute_command_provider.commands
    by_command = plain(
        await c.workspace_execute_command_async(
            types.ExecuteCommandParams(command=lens.command.command, arguments=lens.command.arguments)
        )
    )
    by_request = await c.raw_request("agentops/status", {"uri": uri})
    assert by_command == by_request
    assert len(by_request["roots"]) == 1
    assert await c.raw_request("agentops/status", None) == by_request  # one root anyway

    with pytest.raises(JsonRpcException) as err:
        await c.workspace_execute_command_async(types.ExecuteCommandParams(command="agentops.noSuchCommand"))
    assert err.value.code == INVALID_PARAMS


K8S_PLAN = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"
DR_PLAN = "agentops/infrastructure-ops/plans/dr-plan.md"
MONITORING_RESEARCH = "agentops/infrastructure-ops/research/monitoring-strategy-research.md"


@pytest.mark.parametrize(
    "rel,code,title",
    [
        (K8S_PLAN, "link-broken", "Change link to `../research/k8s-upgrade-research.md`"),
        (DR_PLAN, "frontmatter-invalid", "Close the list: `tags: [dr, backup]`"),
        (MONITORING_RESEARCH, "section-order", "Move `Scope` before `Key Findings`"),
    ],
)
async def test_the_preferred_quick_fix_clears_a_planted_defect(any_encoding: AgentopsClient, rel, code, title):
    """The example's defects get their one obvious fix where they are reported,
    marked preferred and attached to that diagnostic, in every encoding."""
    c = any_encoding
    uri = c.open(rel)
    [diag] = [d for d in await c.diagnostics_of(uri, 1) if d.code == code]
    actions = await c.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    preferred = [a for a in actions if isinstance(a, types.CodeAction) and a.is_preferred]
    assert [a.title for a in preferred] == [title], [a.title for a in actions]
    [fix] = preferred
    assert [d.code for d in fix.diagnostics] == [code]
    [change] = fix.edit.document_changes
    # The edits are simultaneous: applied one by one from the end of the text.
    edits = sorted(change.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
    v = c.edit(uri, *[(e.range, e.new_text) for e in edits])
    assert code not in [d.code for d in await c.diagnostics_of(uri, v)]
