"""`status` as a dashboard: the JSON report (CLI and `agentops/status`) against
its published JSON Schema, and the `--html` page rendered in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import BINARY, EXAMPLE, REPO, AgentopsClient

SCHEMA = json.loads((REPO / "docs" / "status.schema.json").read_text(encoding="utf-8"))


def validate(report: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)


def status(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BINARY, "status", str(root), "--no-cache", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_json_follows_the_schema(workspace: Path) -> None:
    out = status(workspace, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    validate(report)
    keys = [i["key"] for f in report["flavors"] for i in f["items"]]
    assert "k8s-upgrade" in keys
    # Broken: the schema notices a missing field.
    del report["flavors"][0]["items"][0]["attention"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(report)


async def test_request_returns_the_same_report(vscode: AgentopsClient, workspace: Path) -> None:
    c = vscode
    by_request = await c.raw_request("agentops/status", None)
    [report] = by_request["roots"]
    validate(report)
    cli = json.loads(status(workspace, "--json").stdout)
    # The same items in the same order; the root is the editor's absolute folder.
    assert [[i["key"] for i in f["items"]] for f in report["flavors"]] == [
        [i["key"] for i in f["items"]] for f in cli["flavors"]
    ]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def test_html_page_renders_in_chromium(workspace: Path, tmp_path: Path) -> None:
    page = tmp_path / "status.html"
    out = status(workspace, "--html", str(page))
    assert out.returncode == 0, out.stderr
    html = page.read_text(encoding="utf-8")
    # Self-contained: nothing fetched.
    assert "<script" not in html and "http://" not in html and "https://" not in html
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium: install the Debian package `chromium` (tests/editors/install does)")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=False)
    assert dom.returncode == 0, dom.stderr
    # The board as the browser parsed it: one table per flavor, a row per item.
    assert dom.stdout.count('<table class="board">') == 3, dom.stdout[:2000]
    assert 'data-key="k8s-upgrade"' in dom.stdout
    assert 'role="progressbar" aria-valuenow="7" aria-valuemax="21"' in dom.stdout
    assert 'href="file://' in dom.stdout
    shot = tmp_path / "status.png"
    run = subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1280,900",
                          "--hide-scrollbars", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0 and shot.exists(), run.stderr
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 900)
    # Not blank: a blank white page compresses to a few kilobytes.
    assert len(png) > 20_000, len(png)
    if os.environ.get("STATUS_SCREENSHOT"):
        shutil.copy(shot, os.environ["STATUS_SCREENSHOT"])
