"""End-to-end harness: the release binary over stdio, driven by pytest-lsp clients
that replay the capabilities recorded from real editors.

Every client gets its own server process and its own copy of examples/my-startup
(the repository's example is never touched). What the recorded capability sets
(pytest-lsp 1.0.1) make the server do:

- ``vscode``       VS Code 1.65.2: push diagnostics (no ``textDocument.diagnostic``),
                   UTF-16 (no ``general.positionEncodings``), dynamic registration of
                   watched files, file operations, work-done progress.
- ``neovim``       Neovim 0.11.0: pull diagnostics (it has ``textDocument.diagnostic``),
                   UTF-8 (it offers ``utf-8`` first), no diagnostic refresh, no dynamic
                   watcher registration.
- ``neovim09``     Neovim 0.9.1: push diagnostics, UTF-16.

and two sets derived from VS Code's to isolate one code path:

- ``vscode_utf8``  VS Code offering UTF-8 (still push).
- ``vscode_pull``  VS Code with pull diagnostics and refresh support (as later VS Code sends).

The server binary is $AGENTOPS_LSP (tests/e2e/run builds and sets it), else
target/release/agentops-lsp.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from lsprotocol.converters import get_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("AGENTOPS_LSP") or str(REPO / "target" / "release" / "agentops-lsp")
EXAMPLE = REPO / "examples" / "my-startup"

TIMEOUT = 10.0  # seconds for anything the server should do "at once"
TEST_TIMEOUT = 60  # seconds per test phase: a hung server fails its test, not the run

# Recorded capability sets, pinned to a version so a newer pytest-lsp recording
# cannot silently change which code paths a test exercises.
CLIENTS = {
    "vscode": "visual-studio-code@v1.65.2",
    "neovim": "neovim@v0.11.0",
    "neovim09": "neovim@v0.9.1",
}

# The eight planted defects (examples/my-startup/README.md) as
# path: (code, LSP severity, 0-based start, end or None); every line is ASCII up
# to the range, so UTF-8 and UTF-16 agree.
PLANTED = {
    "agentops/infrastructure-ops/plans/dr-plan.md": ("frontmatter-invalid", 1, (4, 0), (4, 17)),
    "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md": ("link-broken", 1, (13, 203), (13, 255)),
    "agentops/infrastructure-ops/plans/monitoring-plan.md": ("frontmatter-invalid-value", 1, (1, 8), (1, 15)),
    "agentops/infrastructure-ops/research/disaster-recovery-research.md": ("link-broken", 1, (45, 432), (45, 463)),
    "agentops/infrastructure-ops/research/monitoring-strategy-research.md": ("section-order", 2, (71, 0), None),
    "agentops/product-dev/specs/2025-11-06-user-authentication/spec.md": ("section-unexpected", 3, (66, 0), None),
    "agentops/product-dev/specs/2025-11-07-payment-integration/tasks.md": ("phase-status-mismatch", 2, (1, 8), None),
    "agentops/product-dev/specs/2025-11-08-notification-system/spec.md": ("section-missing", 2, (0, 0), None),
}

MONITORING_PLAN = "agentops/infrastructure-ops/plans/monitoring-plan.md"

# Defect 2 (`status: Aproved`) exactly as the server reports it.
STATUSES = "Draft, Active, In Progress, Approved, Complete, Deprecated, Superseded"
DOCS = "https://github.com/agentops/agentops-lsp/blob/main/docs/rules.md"

APROVED = {
    "range": {"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 15}},
    "severity": 1,
    "code": "frontmatter-invalid-value",
    "codeDescription": {"href": f"{DOCS}#frontmatter-invalid-value"},
    "source": "agentops",
    "message": f"`Aproved` is not a valid status; expected one of: {STATUSES} (did you mean `Approved`?)",
}
NEW_RESEARCH = "agentops/infrastructure-ops/research/edge-cache-research.md"
FINDING_LINE = 18  # 0-based line of research_text()'s finding


# -- small helpers -------------------------------------------------------------


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


async def status_hover(c: "AgentopsClient", uri: str | None = None) -> types.Hover:
    """A request that must work after any abuse: hover on the `status` key of
    ``uri`` (by default the monitoring plan, opened for it), answered at once."""
    if uri is None:
        uri = c.open(MONITORING_PLAN)
    hover = await asyncio.wait_for(
        c.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(1, 2))
        ),
        TIMEOUT,
    )
    assert hover is not None and hover.contents.value.startswith("**status**")
    return hover


def rng(l1: int, c1: int, l2: int, c2: int) -> types.Range:
    return types.Range(start=pos(l1, c1), end=pos(l2, c2))


def as_tuple(r: types.Range) -> tuple[int, int, int, int]:
    return (r.start.line, r.start.character, r.end.line, r.end.character)


def plain(obj: Any) -> Any:
    """pygls turns untyped JSON objects into namedtuples; back to dicts and lists."""
    if hasattr(obj, "_asdict"):
        return {k: plain(v) for k, v in obj._asdict().items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    return obj


def json_of(obj: Any) -> Any:
    """lsprotocol value -> plain JSON, for exact comparisons."""
    return json.loads(json.dumps(get_converter().unstructure(obj)))


def summary(diags) -> list[tuple]:
    """LSP diagnostics as sorted (code, severity, message, range) tuples."""
    return sorted((str(d.code), int(d.severity), d.message, as_tuple(d.range)) for d in diags)


def check_cli(root: Path) -> dict[str, list[tuple]]:
    """What `agentops-lsp check --format json` says about the files on disk, per
    root-relative path, in summary()'s shape: the oracle for "the server's view
    equals the disk" (columns in characters: compare on ASCII lines only)."""
    out = subprocess.run(
        [BINARY, "check", "--no-cache", "--format", "json", str(root)],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode in (0, 1), out.stderr
    severity = {"error": 1, "warning": 2, "info": 3, "hint": 4}
    found: dict[str, list[tuple]] = {}
    for d in json.loads(out.stdout)["diagnostics"]:
        s, e = d["range"]["start"], d["range"]["end"]
        found.setdefault(d["path"], []).append(
            (d["code"], severity[d["severity"]], d["message"],
             (s["line"] - 1, s["column"] - 1, e["line"] - 1, e["column"] - 1))
        )
    return {k: sorted(v) for k, v in found.items()}


def research_text(finding: str) -> str:
    """A complete research artifact (every required section, in order) whose
    Key Findings line (0-based FINDING_LINE) is ``finding``."""
    return f"""---
date: 2025-11-20
researcher: e2e test
topic: Caching booking pages at the edge
tags:
  - cdn
status: in progress
---

# Research: Edge Cache

## Problem Statement
Booking pages are slow far from eu-west-1.

## Scope
The CDN in front of the public booking pages only.

## Key Findings
{finding}

## Recommended Approach
Cache rendered pages at the edge for a minute.

## Open Questions
- None.

## References
- None yet.

## Next Steps
1. Write the plan.
"""


# -- the client ----------------------------------------------------------------


class AgentopsClient(LanguageClient):
    """pytest-lsp's client, plus: a log of every publishDiagnostics, the
    registrations and configuration requests the server made, document
    versions, raw JSON-RPC, and helpers to wait on the server."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.configuration_requests: list[types.ConfigurationParams] = []
        self.applied_edits: list[types.WorkspaceEdit] = []  # workspace/applyEdit, applied to disk
        self.lens_refreshes = 0  # workspace/codeLens/refresh requests answered
        self.workspace: Path | None = None  # the (first) root
        self.position_encoding: str | None = None
        self.init_result: types.InitializeResult | None = None
        self.roots_to_index = 0  # "indexed" log lines settle() waits for
        self.hold_configuration: asyncio.Event | None = None  # a slow client
        self._changed = asyncio.Event()
        self._last_message = 0.0
        self._versions: dict[str, int] = {}

    # -- from the server
    def _heard(self) -> None:
        self._last_message = asyncio.get_running_loop().time()
        self._changed.set()

    def _on_publish(self, params: types.PublishDiagnosticsParams) -> None:
        self.diagnostics[params.uri] = params.diagnostics
        self.published.append(params)
        self._heard()

    async def wait_until(self, check: Callable[[], Any], timeout: float = TIMEOUT, what: str = ""):
        """Waits until ``check()`` returns something truthy (re-checked after each
        message from the server and every 50 ms), and returns it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = check()
            if found:
                return found
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or check}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(left, 0.05))
            except asyncio.TimeoutError:
                pass

    def publishes(self, uri: str, since: int = 0) -> list[types.PublishDiagnosticsParams]:
        """The publishDiagnostics for ``uri`` from index ``since`` of the log on."""
        return [p for p in self.published[since:] if p.uri == uri]

    async def wait_publish(
        self,
        uri: str,
        check: Callable[[types.PublishDiagnosticsParams], bool] = lambda p: True,
        since: int = 0,
        timeout: float = TIMEOUT,
    ) -> types.PublishDiagnosticsParams:
        """The first publishDiagnostics for ``uri`` from index ``since`` on that
        satisfies ``check``."""

        def found():
            return next((p for p in self.publishes(uri, since) if check(p)), None)

        return await self.wait_until(found, timeout, f"publishDiagnostics for {uri}")

    def indexed(self) -> list[str]:
        """The server's "agentops: indexed <root>" log lines so far."""
        return [m.message for m in self.log_messages if m.message.startswith("agentops: indexed ")]

    async def settle(self) -> None:
        """Waits until startup is over: the `initialized` handler (configuration
        request, watcher registration) is done once indexing has been logged, and
        indexing ends with a publish of the whole workspace, which is let pass.
        (Sending exit while that handler awaits the client hangs the server:
        see test_lifecycle.py.)"""
        if self.roots_to_index:
            await self.wait_until(lambda: len(self.indexed()) >= self.roots_to_index, what="indexing")
            loop = asyncio.get_running_loop()
            await self.wait_until(lambda: loop.time() - self._last_message >= 0.1, what="a quiet moment")

    async def quiet(self, seconds: float) -> None:
        """Lets the server work for a while (to assert that nothing happens)."""
        await asyncio.sleep(seconds)

    # -- documents
    def uri(self, rel: str) -> str:
        assert self.workspace is not None
        return uri_of(self.workspace / rel)

    def open(self, rel: str, text: str | None = None, version: int = 1, root: Path | None = None) -> str:
        """didOpen of a file of the workspace, with its text on disk unless given."""
        path = (root or self.workspace) / rel
        if text is None:
            text = path.read_text(encoding="utf-8")
        uri = uri_of(path)
        self.roots_to_index = max(self.roots_to_index, 1)  # a folder-less server finds its root
        self._versions[uri] = version
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
            )
        )
        return uri

    def edit(self, uri: str, *changes: tuple[types.Range | None, str]) -> int:
        """One didChange with the given (range, text) changes, in order (a None
        range replaces the whole text); returns the new version."""
        version = self._versions.get(uri, 0) + 1
        self._versions[uri] = version
        events = [
            types.TextDocumentContentChangePartial(range=r, text=t)
            if r is not None
            else types.TextDocumentContentChangeWholeDocument(text=t)
            for r, t in changes
        ]
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=events,
            )
        )
        return version

    def doc_version(self, uri: str) -> int:
        return self._versions[uri]

    async def diagnostics_of(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics of an open document at ``version``: pulled, or for a
        push client the publish for that version; a push server republishes
        only what changed, so if none comes, what was shown last stands."""
        ident = types.TextDocumentIdentifier(uri=uri)
        if self.init_result.capabilities.diagnostic_provider is not None:
            report = await self.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
            return list(report.items)
        # A request that brings the document up to date first (then publishes).
        await self.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=ident))
        try:
            return list((await self.wait_publish(uri, lambda p: p.version == version, timeout=1.0)).diagnostics)
        except AssertionError:
            return list(self.diagnostics.get(uri, []))

    # -- raw JSON-RPC, for malformed params and unknown methods
    async def raw_request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        """Sends a request exactly as given (no lsprotocol typing either way).
        Raises pygls' JsonRpcException on an error response."""
        msg_id = str(uuid.uuid4())
        fut: Future = Future()
        self.protocol._request_futures[msg_id] = fut
        self.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return plain(await asyncio.wait_for(asyncio.wrap_future(fut), timeout))

    def raw_notify(self, method: str, params: Any) -> None:
        self.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    def raw_bytes(self, data: bytes) -> None:
        self.protocol.writer.write(data)


def _path(uri: str) -> Path:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(uri).path))


def _offset(text: str, p: types.Position) -> int:
    """A position (UTF-16 code units; these tests edit BMP text) -> str index."""
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[: p.line]) + p.character


def apply_to_disk(edit: types.WorkspaceEdit) -> None:
    """Carries out a WorkspaceEdit on the files, as an editor would on save:
    creates (never over an existing file), renames, and text edits."""
    ops = list(edit.document_changes or [])
    for uri, edits in (edit.changes or {}).items():
        ops.append(types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None), edits=edits))
    for op in ops:
        if isinstance(op, types.CreateFile):
            path = _path(op.uri)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("")
        elif isinstance(op, types.RenameFile):
            _path(op.old_uri).rename(_path(op.new_uri))
        elif isinstance(op, types.TextDocumentEdit):
            path = _path(op.text_document.uri)
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            for e in sorted(op.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
                a, b = _offset(text, e.range.start), _offset(text, e.range.end)
                text = text[:a] + e.new_text + text[b:]
            path.write_text(text, encoding="utf-8")


def make_client() -> AgentopsClient:
    """pytest-lsp's default client features, with recording wrappers."""
    client = AgentopsClient()
    features = dict(DEFAULT_CLIENT_FEATURES)
    default_log = features[types.WINDOW_LOG_MESSAGE]
    default_configuration = features[types.WORKSPACE_CONFIGURATION]

    def publish(c: AgentopsClient, params: types.PublishDiagnosticsParams):
        c._on_publish(params)

    def log(c: AgentopsClient, params: types.LogMessageParams):
        default_log(c, params)
        c._heard()

    def register(c: AgentopsClient, params: types.RegistrationParams):
        c.registrations.extend(params.registrations)

    def unregister(c: AgentopsClient, params: types.UnregistrationParams):
        return None

    async def configuration(c: AgentopsClient, params: types.ConfigurationParams):
        c.configuration_requests.append(params)
        c._heard()
        if c.hold_configuration is not None:
            await c.hold_configuration.wait()
        return default_configuration(c, params)

    def apply_edit(c: AgentopsClient, params: types.ApplyWorkspaceEditParams):
        c.applied_edits.append(params.edit)
        apply_to_disk(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    def lens_refresh(c: AgentopsClient, params: None):
        c.lens_refreshes += 1
        c._heard()
        return None

    features[types.WORKSPACE_APPLY_EDIT] = apply_edit
    features[types.WORKSPACE_CODE_LENS_REFRESH] = lens_refresh
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.WINDOW_LOG_MESSAGE] = log
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    features[types.CLIENT_UNREGISTER_CAPABILITY] = unregister
    features[types.WORKSPACE_CONFIGURATION] = configuration
    register_lsp_features(client, features)
    return client


# The index cache goes to a per-session folder, never to ~/.cache.
_CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / f"agentops-e2e-cache-{os.getpid()}"
CONFIG = ClientServerConfig(
    server_command=[BINARY],
    client_factory=make_client,
    server_env={**os.environ, "AGENTOPS_LSP_CACHE": str(_CACHE), "RUST_BACKTRACE": "1"},
)


# -- capabilities, initialize, shutdown ----------------------------------------


def derived_capabilities(
    name: str, *, encodings: list[str] | None = None, pull: bool | None = None, pull_refresh: bool = False
) -> types.ClientCapabilities:
    """A recorded capability set with its position encodings and/or pull
    diagnostics support changed (everything else as recorded)."""
    caps = capabilities(name)
    if encodings is not None:
        caps.general = caps.general or types.GeneralClientCapabilities()
        caps.general.position_encodings = encodings
    if pull is not None:
        caps.text_document = caps.text_document or types.TextDocumentClientCapabilities()
        caps.text_document.diagnostic = (
            types.DiagnosticClientCapabilities(dynamic_registration=False, related_document_support=False)
            if pull
            else None
        )
    if pull_refresh:
        caps.workspace = caps.workspace or types.WorkspaceClientCapabilities()
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


DERIVED: dict[str, Callable[[], types.ClientCapabilities]] = {
    "vscode_utf8": lambda: derived_capabilities("vscode", encodings=["utf-8", "utf-16"]),
    "vscode_pull": lambda: derived_capabilities("vscode", pull=True, pull_refresh=True),
}


def capabilities(name: str) -> types.ClientCapabilities:
    if name in DERIVED:
        return DERIVED[name]()
    return pytest_lsp.client_capabilities(CLIENTS[name])


async def initialize(
    client: AgentopsClient,
    name: str,
    workspace: Path | None,
    request: pytest.FixtureRequest | None = None,
    caps: types.ClientCapabilities | None = None,
    folders: list[Path] | None = None,
) -> AgentopsClient:
    """initialize + initialized as client ``name`` with ``workspace`` as the folder
    (or ``folders``; none with the no_folder marker). Markers init_options(...) and
    client_config(...) set initializationOptions and the client's settings."""
    init_options = None
    if request is not None:
        if (m := request.node.get_closest_marker("init_options")) is not None:
            init_options = m.args[0]
        if (m := request.node.get_closest_marker("client_config")) is not None:
            client.set_configuration(m.args[0])
        if request.node.get_closest_marker("no_folder") is not None:
            folders = []
    if folders is None:
        folders = [workspace] if workspace is not None else []
    client.workspace = workspace
    params = types.InitializeParams(
        capabilities=caps if caps is not None else capabilities(name),
        client_info=types.ClientInfo(name=f"pytest-lsp ({CLIENTS.get(name, name)})"),
        root_uri=uri_of(folders[0]) if folders else None,
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(f), name=f.name) for f in folders] or None,
        initialization_options=init_options,
    )
    client.init_result = await asyncio.wait_for(client.initialize_session(params), TIMEOUT)
    client.roots_to_index = len(folders)
    client.position_encoding = client.init_result.capabilities.position_encoding
    return client


async def shutdown(client: AgentopsClient) -> None:
    """shutdown + exit once startup is over; the process must end with code 0."""
    server = client._server
    assert server is not None
    await client.settle()
    await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    assert server.returncode == 0, f"server exited with {server.returncode} after shutdown+exit"


async def finish(client: AgentopsClient) -> None:
    """Fixture teardown: a clean shutdown if the test left the server running
    (pytest-lsp's own teardown waits for the process to end); if that fails, or
    the server was never initialized, the process is killed so nothing hangs."""
    server = client._server
    if server is None or server.returncode is not None:
        return
    try:
        if client.capabilities is not None and not client.stopped and client.error is None:
            await shutdown(client)
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()


# -- fixtures ------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh copy of examples/my-startup for this test."""
    dest = tmp_path / "my-startup"
    shutil.copytree(EXAMPLE, dest)
    return dest


async def ready(client: AgentopsClient, request: pytest.FixtureRequest) -> None:
    """Tests start on an indexed workspace (see test_indexing.py for why), unless
    marked `early`: then they start right after `initialized`."""
    if request.node.get_closest_marker("early") is None:
        await client.settle()


def _client_fixture(name: str):
    @pytest_lsp.fixture(config=CONFIG)
    async def fixture(lsp_client: AgentopsClient, request, workspace):
        await initialize(lsp_client, name, workspace, request)
        await ready(lsp_client, request)
        yield
        await finish(lsp_client)

    fixture.__doc__ = f"A server initialized by {CLIENTS.get(name, name)} on a copy of my-startup."
    return fixture


vscode = _client_fixture("vscode")
neovim = _client_fixture("neovim")
neovim09 = _client_fixture("neovim09")
vscode_utf8 = _client_fixture("vscode_utf8")
vscode_pull = _client_fixture("vscode_pull")


def _param_fixture(names: list[str], doc: str):
    @pytest_lsp.fixture(config=CONFIG, params=names)
    async def fixture(lsp_client: AgentopsClient, request, workspace):
        await initialize(lsp_client, request.param, workspace, request)
        await ready(lsp_client, request)
        yield
        await finish(lsp_client)

    fixture.__doc__ = doc
    return fixture


push_client = _param_fixture(["vscode", "neovim09"], "Each push client: VS Code 1.65.2, Neovim 0.9.1.")
push_or_pull = _param_fixture(["vscode", "neovim"], "VS Code 1.65.2 (UTF-16, push), Neovim 0.11 (UTF-8, pull).")
any_encoding = _param_fixture(
    ["vscode", "vscode_utf8", "neovim"], "UTF-16 push, UTF-8 push (VS Code offering UTF-8), UTF-8 pull (Neovim 0.11)."
)


@pytest_lsp.fixture(config=CONFIG)
async def bare(lsp_client: AgentopsClient):
    """A started server, not initialized: the test does it."""
    yield
    await finish(lsp_client)


# -- pytest hooks --------------------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line("markers", "init_options(value): initializationOptions for the client fixtures")
    config.addinivalue_line("markers", "client_config(value): the client's answer to workspace/configuration")
    config.addinivalue_line("markers", "no_folder: initialize with neither rootUri nor workspaceFolders")
    config.addinivalue_line("markers", "early: the client fixture does not wait for indexing to finish")


def pytest_sessionstart(session):
    if not Path(BINARY).is_file():
        raise pytest.UsageError(f"no server binary at {BINARY} (build it, or set AGENTOPS_LSP)")
    _CACHE.mkdir(parents=True, exist_ok=True)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    def expired(signum, frame):
        raise TimeoutError(f"{item.nodeid}: more than {TEST_TIMEOUT}s in one phase")

    previous = signal.signal(signal.SIGALRM, expired)
    try:
        return (yield)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    signal.alarm(TEST_TIMEOUT)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    signal.alarm(TEST_TIMEOUT)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    signal.alarm(TEST_TIMEOUT)
    return (yield)


def rel_of(client: AgentopsClient, uri: str, root: Path | None = None) -> str:
    """Root-relative path of a file URI."""
    prefix = uri_of(root or client.workspace) + "/"
    assert uri.startswith(prefix), uri
    return uri[len(prefix):]


def pushed_view(client: AgentopsClient, root: Path | None = None) -> dict[str, list[tuple]]:
    """What a push client shows now for the files under ``root``, per
    root-relative path, in check_cli()'s shape (files cleared last left out)."""
    prefix = uri_of(root or client.workspace) + "/"
    return {
        rel_of(client, u, root): summary(d)
        for u, d in client.diagnostics.items()
        if d and u.startswith(prefix)
    }
