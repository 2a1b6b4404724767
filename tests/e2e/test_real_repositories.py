"""Layouts as real repositories have them (issue 13): an Agent OS 1.x spec
folder kept under Agent OS 2's agent-os/, judged by the 1.x schema from its
own files; a repository's copy of a template among the plans, not checked;
a translated spec-kit spec; a code block listing routes. Each opened in the
editor must come out clean, and agentops/status must say where each is."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AgentopsClient

V1_SPEC = "agent-os/specs/2025-08-01-csv-export/spec.md"
V1_TASKS = "agent-os/specs/2025-08-01-csv-export/tasks.md"
TEMPLATE = "thoughts/shared/plans/TEMPLATE.md"
PLACEHOLDER_PLAN = "thoughts/shared/plans/2025-01-01-placeholder.md"
KO_SPEC = "specs/001-sharing/spec.md"

FILES = [
    (
        V1_SPEC,
        "# Spec Requirements Document\n\n> Spec: CSV Export\n\n## Overview\n\nExport reports.\n\n"
        "## User Stories\n\n## Spec Scope\n\n## Out of Scope\n\n## Expected Deliverable\n",
    ),
    (
        V1_TASKS,
        "# Spec Tasks\n\n## Phase 1: Backend\n\n- [ ] 1. Write the exporter\n"
        "  - [ ] 1.1 Write tests for the exporter\n",
    ),
    (
        TEMPLATE,
        "# [Feature/Task Name] Implementation Plan\n\n## Overview\n\n"
        "[Brief description]\n\n**File**: `path/to/file.ext`\n",
    ),
    (
        PLACEHOLDER_PLAN,
        "---\ndate: YYYY-MM-DD HH:MM:SS\n---\n\n# Implementation Plan: [FEATURE]\n\n"
        "See [the spec](../../missing.md).\n",
    ),
    (".specify/memory/constitution.md", "# Photo Constitution\n\n## 핵심 원칙\n\n## 거버넌스\n"),
    (
        KO_SPEC,
        "# 기능 명세서: 공유\n\n## 사용자 시나리오 및 테스트 *(필수)*\n\n"
        "## 요구사항 *(필수)*\n\n## 가정\n\n- 로그인되어 있다.\n\n"
        "Pages:\n\n```\n/login      로그인\n/api/v1/users\n```\n",
    ),
]


@pytest.fixture
def real(workspace: Path) -> Path:
    """Files written before the server starts (detection runs at setup)."""
    for rel, text in FILES:
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_text(text, encoding="utf-8")
    return workspace


@pytest.mark.parametrize("rel", [V1_SPEC, V1_TASKS, TEMPLATE, PLACEHOLDER_PLAN, KO_SPEC])
async def test_real_shapes_open_clean(real: Path, push_or_pull: AgentopsClient, rel: str):
    c = push_or_pull
    uri = c.open(rel)
    diags = await c.diagnostics_of(uri, 1)
    assert [(d.code, d.message) for d in diags] == []


async def test_status_says_which_folder_is_agent_os_1(real: Path, vscode: AgentopsClient):
    [report] = (await vscode.raw_request("agentops/status", None))["roots"]
    adopted = [layout for layout in report["layouts"] if layout["source"] == "adopted"]
    assert adopted == [
        {
            "flavor": "agent-os-v1",
            "folders": ["agent-os/specs/2025-08-01-csv-export"],
            "source": "adopted",
            "evidence": V1_SPEC,
        }
    ]
    items = {f["name"]: [i["key"] for i in f["items"]] for f in report["flavors"]}
    assert "2025-08-01-csv-export" in items["agent-os-v1"]
    # Templates are no work items.
    assert not any("placeholder" in k or k == "TEMPLATE" for keys in items.values() for k in keys)
    assert "001-sharing" in items["spec-kit"]
