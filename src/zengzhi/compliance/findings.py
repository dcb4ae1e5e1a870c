"""What the lint reports, and how it is shown to people and to tools."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from zengzhi.i18n import normalize_lang


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "mlm.recruitment_reward"; tools may key suppressions on it
    severity: Severity
    source: str  # the legal source, Chinese citation then English name
    message_en: str
    message_zh: str
    key: str | None  # the plan key it is about, e.g. "indirect_rate", "ranks[2].price"


_FIELDS = ("rule", "severity", "source", "message_en", "message_zh", "key")

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        Severity.ERROR: "ERROR",
        Severity.WARNING: "WARNING",
        "source": "source",
        "key": "key",
        "none": "No findings.",
        "summary": "{errors} error(s), {warnings} warning(s)",
    },
    "zh": {
        Severity.ERROR: "错误",
        Severity.WARNING: "警告",
        "source": "依据",
        "key": "配置项",
        "none": "未发现问题。",
        "summary": "共 {errors} 个错误，{warnings} 个警告",
    },
}


def render_text(findings: Iterable[Finding], lang: str = "en") -> str:
    """Human output: one block per finding (severity and rule, source, key, message)."""
    code = normalize_lang(lang)
    labels = _LABELS[code]
    items = list(findings)
    if not items:
        return labels["none"] + "\n"
    blocks = []
    for f in items:
        message = f.message_zh if code == "zh" else f.message_en
        lines = [f"{labels[f.severity]} {f.rule}", f"  {labels['source']}: {f.source}"]
        if f.key is not None:
            lines.append(f"  {labels['key']}: {f.key}")
        lines.append(f"  {message}")
        blocks.append("\n".join(lines))
    errors = sum(1 for f in items if f.severity is Severity.ERROR)
    summary = labels["summary"].format(errors=errors, warnings=len(items) - errors)
    return "\n\n".join(blocks) + "\n\n" + summary + "\n"


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, str | None]]:
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "source": f.source,
            "message_en": f.message_en,
            "message_zh": f.message_zh,
            "key": f.key,
        }
        for f in findings
    ]


def finding_from_json(data: Mapping[str, object]) -> Finding:
    """The inverse of one ``findings_to_json`` item, for tools that store and reload findings."""
    missing = [name for name in _FIELDS if name not in data]
    if missing:
        raise ValueError(f"finding: missing {missing[0]!r}")
    text: dict[str, str] = {}
    for name in ("rule", "severity", "source", "message_en", "message_zh"):
        value = data[name]
        if not isinstance(value, str):
            raise ValueError(f"finding.{name}: must be a string")
        text[name] = value
    key = data["key"]
    if key is not None and not isinstance(key, str):
        raise ValueError("finding.key: must be a string or null")
    try:
        severity = Severity(text["severity"])
    except ValueError:
        raise ValueError(f"finding.severity: {text['severity']!r} is not a severity") from None
    return Finding(
        rule=text["rule"],
        severity=severity,
        source=text["source"],
        message_en=text["message_en"],
        message_zh=text["message_zh"],
        key=key,
    )


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
