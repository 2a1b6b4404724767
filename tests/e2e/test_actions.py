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
