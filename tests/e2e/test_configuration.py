"""Settings: section "agentops", key debounceMs, from initializationOptions,
from workspace/configuration, and changed live with didChangeConfiguration."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from conftest import MONITORING_PLAN, AgentopsClient, rng

SLOW = 5000  # ms: long enough that nothing can be published while we watch


async def edit_and_time(c: AgentopsClient, uri: str, change, within: float) -> float | None:
    """Sends one edit; the seconds until its publishDiagnostics, or None if none
    came within ``within`` seconds."""
    loop = asyncio.get_running_loop()
    v = c.edit(uri, change)
    t0 = loop.time()
    try:
        await c.wait_publish(uri, lambda p: p.version == v, timeout=within)
    except AssertionError:
        return None
    return loop.time() - t0


def change_configuration(c: AgentopsClient, settings) -> int:
    n = len(c.configuration_requests)
    c.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
    return n


@pytest.mark.init_options({"debounceMs": SLOW})
async def test_debounce_from_initialization_options_then_changed(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    # Debounced for 5 s: nothing within half a second.
    assert await edit_and_time(c, uri, (rng(1, 9, 1, 9), "p"), within=0.5) is None

    # VS Code style: the new settings in the notification; the server also re-reads
    # workspace/configuration (this client has no "agentops" section: null).
    n = change_configuration(c, {"agentops": {"debounceMs": 0}})
    await c.wait_until(lambda: len(c.configuration_requests) > n, what="workspace/configuration")
    [item] = c.configuration_requests[-1].items
    assert item.section == "agentops"

    # The setting may reach the server after the edit it was meant for: an edit
    # waiting on the old 5 s debounce is re-scheduled on the new one.
    elapsed = await edit_and_time(c, uri, (rng(1, 8, 1, 16), "Waiting"), within=2.0)
    assert elapsed is not None and elapsed < 0.5, elapsed
    # Nothing older is published after the newest version.
    await c.quiet(0.3)
    assert c.publishes(uri)[-1].version == c.doc_version(uri)


@pytest.mark.client_config({"agentops": {"debounceMs": SLOW}})
async def test_debounce_from_workspace_configuration(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    assert c.configuration_requests, "the server asks for its section after initialized"
    assert await edit_and_time(c, uri, (rng(1, 9, 1, 9), "p"), within=0.5) is None

    # The client's settings change; it says so with null settings and the
    # server pulls the new value.
    c.set_configuration({"agentops": {"debounceMs": 0}})
    n = change_configuration(c, None)
    await c.wait_until(lambda: len(c.configuration_requests) > n, what="workspace/configuration")
    elapsed = await edit_and_time(c, uri, (rng(1, 8, 1, 16), "Waiting"), within=2.0)
    assert elapsed is not None and elapsed < 0.5, elapsed


@pytest.mark.parametrize(
    "settings",
    [None, "garbage", 42, [], {"agentops": None}, {"agentops": {"debounceMs": "fast"}},
     {"agentops": {"debounceMs": -1}}, {"agentops": {"debounceMs": 10**30}}, {"debounceMs": 0}],
    ids=repr,
)
async def test_odd_settings_are_tolerated(vscode: AgentopsClient, settings):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    n = len(c.configuration_requests)
    c.raw_notify("workspace/didChangeConfiguration", {"settings": settings})
    await c.wait_until(lambda: len(c.configuration_requests) > n, what="workspace/configuration")
    hover = await c.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=2))
    )
    assert hover is not None
    # Edits are still checked (whatever the debounce ended up as, at most 10 s).
    v = c.edit(uri, (rng(1, 8, 1, 15), "Waiting"))
    await c.wait_publish(uri, lambda p: p.version == v, timeout=12)
