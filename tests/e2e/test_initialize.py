"""initialize: what the server advertises for each recorded client, position
encoding negotiation, pull vs push, dynamic watcher registration, progress."""

from __future__ import annotations

import pytest
from lsprotocol import types

from conftest import (
    CLIENTS,
    PLANTED,
    AgentopsClient,
    capabilities,
    derived_capabilities,
    initialize,
    json_of,
    shutdown,
)

SYNC = {"openClose": True, "change": 2, "save": True}  # 2 = incremental
FILE_OPS = {"filters": [{"pattern": {"glob": "**/*"}, "scheme": "file"}]}
PULL = {"identifier": "agentops", "interFileDependencies": True, "workspaceDiagnostics": True}


def expected_capabilities(encoding: str, pull: bool) -> dict:
    caps = {
        "positionEncoding": encoding,
        "textDocumentSync": SYNC,
        "hoverProvider": True,
        "documentSymbolProvider": True,
        "foldingRangeProvider": True,
        "workspace": {
            "workspaceFolders": {"supported": True, "changeNotifications": True},
            "fileOperations": {
                "didCreate": FILE_OPS,
                "didRename": FILE_OPS,
                "didDelete": FILE_OPS,
                "willRename": FILE_OPS,
            },
        },
        "documentLinkProvider": {"resolveProvider": False},
        "definitionProvider": True,
        "referencesProvider": True,
        "workspaceSymbolProvider": True,
        "renameProvider": {"prepareProvider": True},
    }
    if pull:
        caps["diagnosticProvider"] = PULL
    return caps


@pytest.mark.parametrize(
    "name, encoding, pull",
    [
        # VS Code 1.65.2 offers no positionEncodings and has no pull capability.
        ("vscode", "utf-16", False),
        # Neovim 0.11 offers ["utf-8", "utf-16", "utf-32"] and textDocument.diagnostic.
        ("neovim", "utf-8", True),
        # Neovim 0.9.1: neither.
        ("neovim09", "utf-16", False),
    ],
)
async def test_recorded_clients(bare: AgentopsClient, workspace, name, encoding, pull):
    await initialize(bare, name, workspace)
    result = bare.init_result
    caps = json_of(result.capabilities)
    expected = expected_capabilities(encoding, pull)
    # Exactly these for what this suite covers (other providers may come and go).
    assert {k: caps.get(k) for k in expected} == expected
    assert ("diagnosticProvider" in caps) == pull
    assert result.server_info.name == "agentops-lsp"
    assert result.server_info.version
    await shutdown(bare)


@pytest.mark.parametrize(
    "encodings, expected",
    [
        (["utf-8"], "utf-8"),
        (["utf-16", "utf-8"], "utf-8"),  # UTF-8 whenever it is offered
        (["utf-32", "utf-16"], "utf-16"),
        (["utf-16"], "utf-16"),
        ([], "utf-16"),
        (None, "utf-16"),  # not offered at all: the LSP default
    ],
)
async def test_position_encoding_negotiation(bare: AgentopsClient, workspace, encodings, expected):
    caps = capabilities("vscode")
    caps.general = types.GeneralClientCapabilities(position_encodings=encodings)
    await initialize(bare, "vscode", workspace, caps=caps)
    assert bare.position_encoding == expected
    await shutdown(bare)


@pytest.mark.parametrize("pull", [True, False])
async def test_diagnostic_provider_only_for_pull_clients(bare: AgentopsClient, workspace, pull):
    # The same VS Code capabilities, with and without textDocument.diagnostic.
    await initialize(bare, "vscode", workspace, caps=derived_capabilities("vscode", pull=pull))
    provider = bare.init_result.capabilities.diagnostic_provider
    if pull:
        assert json_of(provider) == PULL
    else:
        assert provider is None
    await shutdown(bare)


WATCHERS = [
    {"globPattern": "**/agentops/**/*.md"},
    {"globPattern": "**/agentops/**/flavor.toml"},
    {"globPattern": "**/agentops.toml"},
    {"globPattern": "**/.agentops/bundles/**"},
    {"globPattern": "**/.agents/bundles/**"},
    {"globPattern": "**/*.md"},
]


async def test_watchers_registered_dynamically_for_vscode(vscode: AgentopsClient):
    # VS Code has workspace.didChangeWatchedFiles.dynamicRegistration = true.
    await vscode.wait_until(lambda: vscode.registrations, what="client/registerCapability")
    [reg] = vscode.registrations
    assert reg.method == "workspace/didChangeWatchedFiles"
    assert reg.id == "agentops-watch"
    assert reg.register_options == {"watchers": WATCHERS}
    assert not [m for m in vscode.log_messages if "not registered" in m.message]


async def test_no_registration_without_dynamic_support(neovim: AgentopsClient):
    # Neovim 0.11: didChangeWatchedFiles.dynamicRegistration = false.
    assert not CLIENTS["neovim"].startswith("visual")
    await neovim.wait_until(
        lambda: [m for m in neovim.log_messages if "indexed" in m.message], what="indexing"
    )
    assert neovim.registrations == []


async def test_indexing_reports_work_done_progress(vscode: AgentopsClient):
    def ended():
        return [
            (token, reports)
            for token, reports in vscode.progress_reports.items()
            if reports and reports[-1].kind == "end"
        ]

    [(token, reports)] = await vscode.wait_until(ended, what="progress end")
    assert str(token).startswith("agentops/index/")
    begin, *_, end = reports
    assert begin.kind == "begin"
    assert begin.title == "agentops: indexing"
    assert begin.message == str(vscode.workspace)
    assert end.message.startswith("23 artifacts (")
    # Indexing ends with the whole workspace published.
    await vscode.wait_until(
        lambda: {p.uri for p in vscode.published} >= {vscode.uri(r) for r in PLANTED},
        what="planted files published",
    )
