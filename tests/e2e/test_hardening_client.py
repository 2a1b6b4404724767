"""A hostile or broken client cannot silence, crash or starve the server (issue 12,
client side): odd request ids, garbage framing, an outgoing message too large to
send, and server-to-client requests the client never answers. After every abuse the
server answers a normal request.

These tests drive the release binary over raw stdio (pytest-lsp cannot send the
garbage, nor leave a server request unanswered on purpose)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import BINARY, EXAMPLE, NEW_RESEARCH, TIMEOUT, research_text, uri_of

SPEC = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md"
PARSE_ERROR, INVALID_REQUEST, REQUEST_CANCELLED = -32700, -32600, -32800


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


class Raw:
    """The server over stdio, frames read by a thread into a queue. Server requests
    are answered by `answer` (method -> result), except those in `silent`."""

    def __init__(self, root: Path, silent: set[str] = frozenset(), init_options: Any = None):
        env = {**os.environ, "AGENTOPS_LSP_CACHE": str(root.parent / "cache")}
        self.proc = subprocess.Popen(
            [BINARY], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        self.root, self.silent = root, set(silent)
        self.inbox: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        self.server_requests: list[dict] = []
        self.next_id = 1
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        caps = {
            "workspace": {
                "configuration": True,
                "applyEdit": True,
                "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"]},
            },
            "window": {"showDocument": {"support": True}},
        }
        init = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri_of(root),
                "capabilities": caps,
                "workspaceFolders": [{"uri": uri_of(root), "name": root.name}],
                "initializationOptions": init_options,
            },
        )
        assert "result" in init, init
        self.notify("initialized", {})

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            assert length is not None
            msg = json.loads(out.read(length))
            if "method" in msg and "id" in msg:
                self.server_requests.append(msg)
                if msg["method"] not in self.silent:
                    result = [{}] if msg["method"] == "workspace/configuration" else None
                    self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            self.inbox.put(msg)

    def send_raw(self, data: bytes) -> None:
        with self.lock:
            assert self.proc.stdin is not None
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def send(self, msg: dict) -> None:
        self.send_raw(frame(json.dumps(msg).encode()))

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def start(self, method: str, params: Any) -> int:
        rid, self.next_id = self.next_id, self.next_id + 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def wait(self, pred: Callable[[dict], bool], timeout: float = TIMEOUT, what: str = "") -> dict:
        for m in self.seen:
            if pred(m):
                self.seen.remove(m)
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what or 'message'} within {timeout} s; exit code {self.proc.poll()}")
            try:
                m = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if pred(m):
                return m
            self.seen.append(m)

    def response(self, rid: Any, timeout: float = TIMEOUT) -> dict:
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout, f"response to {rid!r}")

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> dict:
        return self.response(self.start(method, params), timeout)

    def error(self, timeout: float = TIMEOUT) -> dict:
        """The next error response to a message the server could not take (id null)."""
        return self.wait(lambda m: "error" in m and m.get("id") is None, timeout, "error with a null id")["error"]

    def indexed(self, timeout: float = TIMEOUT) -> None:
        """Waits for the server's "agentops: indexed" log line."""
        self.wait(
            lambda m: m.get("method") == "window/logMessage" and m["params"]["message"].startswith("agentops: indexed "),
            timeout,
            "indexing",
        )

    def alive(self) -> None:
        """A normal request is answered, and the process still runs."""
        r = self.request("agentops/status", {})
        assert "result" in r and r["result"], r
        assert self.proc.poll() is None

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            assert self.proc.wait(timeout=TIMEOUT) == 0
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "my-startup"
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture
def raw(root: Path):
    r = Raw(root)
    yield r
    r.close()


# -- 3. odd ids ------------------------------------------------------------------


@pytest.mark.parametrize("rid", [{"a": 1}, 1.5, True, [1], 2**63, -(2**63) - 1])
def test_odd_request_and_response_ids_are_answered(raw: Raw, rid):
    raw.send({"jsonrpc": "2.0", "id": rid, "method": "agentops/status", "params": {}})
    err = raw.error()
    assert err["code"] == INVALID_REQUEST, err
    raw.alive()
    raw.send({"jsonrpc": "2.0", "id": rid, "result": None})
    assert raw.error()["code"] == INVALID_REQUEST
    raw.alive()


def test_a_non_utf8_byte_in_a_header_line(raw: Raw):
    body = json.dumps({"jsonrpc": "2.0", "id": 99, "method": "agentops/status", "params": {}}).encode()
    raw.send_raw(b"Content-Length: %d\xff\r\n\r\n%s" % (len(body), body))
    assert raw.error()["code"] == PARSE_ERROR
    raw.alive()
    raw.send_raw(b"X-Note: caf\xe9\r\n" + frame(body))
    assert "result" in raw.response(99)


# -- 9. framing ------------------------------------------------------------------


def test_a_length_over_the_cap_is_answered_at_once(raw: Raw):
    raw.send_raw(b"Content-Length: 1000000000000\r\n\r\n")
    err = raw.error(timeout=5)
    assert err["code"] == PARSE_ERROR and "at most" in err["message"], err
    raw.alive()


def test_a_header_is_bounded(raw: Raw):
    raw.send_raw(b"Content-Length: 10\r\nX-Long: " + b"a" * 100_000)
    err = raw.error(timeout=5)
    assert "header over" in err["message"], err
    raw.send_raw(b"\r\n\r\n")
    raw.alive()


def test_a_length_larger_than_the_body_resynchronises(raw: Raw):
    body = json.dumps({"jsonrpc": "2.0", "id": 41, "method": "agentops/status", "params": {}}).encode()
    raw.send_raw(b"Content-Length: %d\r\n\r\n%s" % (len(body) + 500, body))
    raw.alive()  # the next frame is read, though 500 declared bytes never came
    err = raw.response(41)["error"]
    assert err["code"] == PARSE_ERROR and "ends after" in err["message"], err
    raw.alive()


# -- 1. an outgoing message too large to send ------------------------------------


def test_a_file_with_200000_findings_is_published_capped(root: Path):
    spec = root / SPEC
    spec.write_text(spec.read_text(encoding="utf-8") + "\n" + "## a\n" * 200_000, encoding="utf-8")
    assert spec.stat().st_size > 1_000_000
    r = Raw(root)
    try:
        uri = uri_of(spec)
        note = r.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
            timeout=120,
            what="diagnostics of the spec",
        )
        diags = note["params"]["diagnostics"]
        # Capped twice: at most 200 findings of one code per file (rules), and
        # at most 1000 per publication (lsp/outgoing.rs, unit-tested there).
        # 200,000 unexpected `## a` headings come out as 200 of that code,
        # the last saying how many more there are.
        assert len(diags) <= 1000
        capped = [d for d in diags if "findings in this file are not shown" in d["message"]]
        assert len(capped) == 1, [d["message"][-120:] for d in capped]
        assert capped[0]["code"] == "section-unexpected", capped[0]
        assert sum(d["code"] == "section-unexpected" for d in diags) == 200
        assert "199" in capped[0]["message"], capped[0]["message"][-200:]
        # The most severe are kept: the file's warnings are among them.
        assert any(d["severity"] == 2 for d in diags)
        r.alive()
    finally:
        r.close()


# -- 7. server requests the client never answers ---------------------------------


def test_unanswered_apply_edits_hold_no_slot_others_need(root: Path):
    (root / NEW_RESEARCH).write_text(
        research_text("Done.").replace("status: in progress", "status: complete"), encoding="utf-8"
    )
    r = Raw(root, silent={"workspace/applyEdit"}, init_options={"agentops": {"clientTimeoutMs": 3000}})
    try:
        r.indexed()
        uri = uri_of(root / NEW_RESEARCH)
        args = {"command": "agentops.advancePhase", "arguments": [{"uri": uri}]}
        started = time.monotonic()
        ids = [r.start("workspace/executeCommand", args)]
        # The first surely waits on the client (it is the one cancelled below).
        r.wait(lambda m: m.get("method") == "workspace/applyEdit", what="applyEdit")
        ids += [r.start("workspace/executeCommand", args) for _ in range(31)]
        # Every slot the client could take is taken: others are still answered, at once.
        r.alive()
        r.notify("$/cancelRequest", {"id": ids[0]})
        first = r.response(ids[0])
        assert first.get("error", {}).get("code") == REQUEST_CANCELLED, first
        answers = [r.response(i, timeout=15)["result"] for i in ids[1:]]
        assert all(a["applied"] is False for a in answers), answers
        reasons = {a["reason"].split(":")[0] for a in answers}
        assert any("did not answer workspace/applyEdit within 3000 ms" in a["reason"] for a in answers), reasons
        assert any(a["reason"].startswith("not sent: 8 requests") for a in answers), reasons
        assert time.monotonic() - started < 12
        sent = [m for m in r.server_requests if m["method"] == "workspace/applyEdit"]
        assert 8 <= len(sent) <= 9, len(sent)
        r.alive()
    finally:
        r.close()


def test_an_unanswered_configuration_request_does_not_stop_indexing(root: Path):
    r = Raw(root, silent={"workspace/configuration"})
    try:
        started = time.monotonic()
        r.wait(lambda m: m.get("method") == "workspace/configuration", what="configuration request")
        # Default settings apply after 5 s, then the workspace is indexed and published.
        r.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout=20, what="diagnostics")
        assert time.monotonic() - started >= 4.5
        log = r.wait(
            lambda m: m.get("method") == "window/logMessage" and "gave up on workspace/configuration" in m["params"]["message"],
            what="log of the give-up",
        )
        assert "5000 ms" in log["params"]["message"]
        r.alive()
    finally:
        r.close()
