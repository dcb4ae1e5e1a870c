"""Rendering findings for people (en, zh) and tools (JSON), and the example plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zengzhi.compliance import (
    Finding,
    Severity,
    finding_from_json,
    findings_to_json,
    has_errors,
    lint_plan,
    render_text,
    sources,
)
from zengzhi.distribution.plan import load_plan, plan_from_mapping

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"

BAD = plan_from_mapping(
    {
        "indirect_rate": "0.05",
        "ranks": [{"name": "V1", "rate": "0", "price": "10"}],
        "marketing": {"texts": {"slogan": "购物返本"}},
    }
)


def test_render_en_has_every_part_of_every_finding() -> None:
    findings = lint_plan(BAD)
    text = render_text(findings)
    for f in findings:
        assert f.rule in text and f.source in text and f.message_en in text
        assert f.key is not None and f"key: {f.key}" in text
    assert "ERROR mlm.team_compensation" in text
    assert "WARNING mlm.entry_fee" in text
    assert "source: " + sources.ANTI_PYRAMID_7_3 in text
    assert text.endswith("2 error(s), 1 warning(s)\n")


@pytest.mark.parametrize("lang", ["zh", "zh-CN", "zh_CN", "ZH-cn"])
def test_render_zh(lang: str) -> None:
    findings = lint_plan(BAD)
    text = render_text(findings, lang)
    for f in findings:
        assert f.message_zh in text and f.source in text and f.message_en not in text
    assert "错误 mlm.team_compensation" in text and "警告 mlm.entry_fee" in text
    assert "依据: " + sources.ANTI_PYRAMID_7_3 in text and "配置项: indirect_rate" in text
    assert "第七条第（三）项" in text
    assert text.endswith("共 2 个错误，1 个警告\n")


def test_render_without_key_omits_the_key_line() -> None:
    text = render_text(lint_plan(plan_from_mapping({"direct_rate": "0.5"})))
    assert "key:" not in text and "第二十四条" in text


def test_render_nothing() -> None:
    assert render_text([]) == "No findings.\n"
    assert render_text([], "zh") == "未发现问题。\n"


def test_render_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        render_text([], "fr")


def test_json_round_trip() -> None:
    findings = lint_plan(load_plan(PLANS / "lint-bad.toml"))
    data = findings_to_json(findings)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert [finding_from_json(d) for d in json.loads(json.dumps(data))] == findings
    first = data[0]
    assert set(first) == {"rule", "severity", "source", "message_en", "message_zh", "key"}
    assert first["severity"] in {"error", "warning"}
    assert any(d["key"] is None for d in data)


@pytest.mark.parametrize(
    "data",
    [
        {"rule": "x", "severity": "error", "source": "s", "message_en": "e", "message_zh": "z"},
        {
            "rule": "x",
            "severity": "fatal",
            "source": "s",
            "message_en": "e",
            "message_zh": "z",
            "key": None,
        },
        {
            "rule": 1,
            "severity": "error",
            "source": "s",
            "message_en": "e",
            "message_zh": "z",
            "key": None,
        },
        {
            "rule": "x",
            "severity": "error",
            "source": "s",
            "message_en": "e",
            "message_zh": "z",
            "key": 3,
        },
    ],
)
def test_finding_from_json_rejects_bad_items(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        finding_from_json(data)


def test_has_errors() -> None:
    warning = Finding("r", Severity.WARNING, "s", "e", "z", None)
    error = Finding("r", Severity.ERROR, "s", "e", "z", None)
    assert not has_errors([])
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert has_errors(iter([error]))


def test_lint_bad_example_breaks_every_plan_rule() -> None:
    findings = lint_plan(load_plan(PLANS / "lint-bad.toml"))
    assert has_errors(findings)
    assert {f.rule for f in findings} == {
        "mlm.recruitment_reward",
        "mlm.entry_fee",
        "mlm.team_compensation",
        "direct_selling.reward_cap",
        "plan.over_budget",
        "illegal_fundraising.fixed_return",
        "illegal_fundraising.principal_back",
        "illegal_fundraising.recharge_pool",
        "illegal_fundraising.promotion_words",
        "illegal_fundraising.appreciation_claim",
    }


def test_two_level_example_is_only_team_compensation() -> None:
    findings = lint_plan(load_plan(PLANS / "lint-two-level.toml"))
    assert [(f.rule, f.key) for f in findings] == [("mlm.team_compensation", "indirect_rate")]


@pytest.mark.parametrize("path", sorted(PLANS.glob("lint-*.toml")), ids=lambda p: p.name)
def test_every_lint_example_loads_and_has_errors(path: Path) -> None:
    assert has_errors(lint_plan(load_plan(path)))
