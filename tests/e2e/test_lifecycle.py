"""shutdown / exit: exit codes per the spec, requests after shutdown, and exit
while the server is still waiting on the client."""

from __future__ import annotations

import asyncio

import pytest
from pygls.exceptions import JsonRpcException

from conftest import MONITORING_PLAN, TIMEOUT, AgentopsClient, initialize

INVALID_REQUEST = -32600


async def exit_code(client: AgentopsClient, timeout: float = 5.0) -> int:
    return await asyncio.wait_for(client._server.wait(), timeout)


@pytest.mark.parametrize("name", ["vscode", "neovim"])
async def test_shutdown_then_exit_exits_0(bare: AgentopsClient, workspace, name):
    await initialize(bare, name, workspace)
    bare.open(MONITORING_PLAN)
    await bare.settle()
    assert await asyncio.wait_for(bare.shutdown_async(None), TIMEOUT) is None
    bare.exit(None)
    assert await exit_code(bare) == 0


@pytest.mark.parametrize("name", ["vscode", "neovim"])
async def test_exit_without_shutdown_exits_1(bare: AgentopsClient, workspace, name):
    await initialize(bare, name, workspace)
    await bare.settle()
    bare.exit(None)
    assert await exit_code(bare) == 1


async def test_exit_before_initialize_exits_1(bare: AgentopsClient):
    bare.exit(None)
    assert await exit_code(bare) == 1


async def test_requests_after_shutdown_are_invalid(bare: AgentopsClient, workspace):
    await initialize(bare, "vscode", workspace)
    uri = bare.open(MONITORING_PLAN)
    await bare.settle()
    await asyncio.wait_for(bare.shutdown_async(None), TIMEOUT)
    with pytest.raises(JsonRpcException) as err:
        await bare.raw_request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}},
        )
    assert err.value.code == INVALID_REQUEST
    # Nothing is published after shutdown, even for an edit.
    count = len(bare.published)
    bare.raw_notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "---\nstatus: Nope\n---\n"}]},
    )
    await bare.quiet(0.2)
    assert len(bare.published) == count
    bare.exit(None)
    assert await exit_code(bare) == 0


async def test_exit_while_initialized_awaits_the_client(bare: AgentopsClient, workspace):
    # A client that is slow to answer workspace/configuration, and quits meanwhile
    # (e.g. an editor closed during startup).
    bare.hold_configuration = asyncio.Event()
    await initialize(bare, "vscode", workspace)
    await bare.wait_until(lambda: bare.configuration_requests, what="workspace/configuration")
    await asyncio.wait_for(bare.shutdown_async(None), TIMEOUT)
    bare.exit(None)
    # Released only after `exit`: a server that stopped reading stdin at exit
    # while a handler waited on this reply would never see it and never end.
    bare.hold_configuration.set()
    try:
        code = await exit_code(bare, timeout=3.0)
    finally:
        if bare._server.returncode is None:
            bare._server.kill()
            await bare._server.wait()
    assert code == 0
