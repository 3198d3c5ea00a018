"""Competency frameworks as data: a JSON file per framework (levels and competencies), loaded by
`framework_load` (the `load_framework` command and the reference data use it). Another framework
(e-CF, a national standard) is another file, not new code."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

HERE = Path(__file__).resolve().parent
DEFAULT_FILE = HERE / "default.json"


def _require(data: dict, key: str, where: str):
    if key not in data or data[key] in ("", None):
        raise ValidationError(f"{where}: '{key}' is missing.")
    return data[key]


@transaction.atomic
def framework_load(data: dict):
    """Create or update a framework with its levels and competencies from `data` (the JSON shape of
    `competencies/frameworks/*.json`). Levels must be numbered 1, 2, ... without gaps; levels or
    competencies no longer in the file are kept (assessments may refer to them)."""
    from competencies.models import Competency, Framework, ProficiencyLevel

    code = _require(data, "code", "The framework")
    levels = data.get("levels") or []
    numbers = sorted(int(_require(level, "number", f"A level of {code}")) for level in levels)
    if not numbers or numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError(f"Framework {code}: levels must be numbered 1, 2, 3 ... without gaps; got {numbers}.")
    codes = [_require(c, "code", f"A competency of {code}") for c in data.get("competencies") or []]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValidationError(f"Framework {code}: competency codes appear twice: {', '.join(duplicates)}.")
    is_default = bool(data.get("default"))
    if is_default:
        Framework.objects.exclude(code=code).filter(is_default=True).update(is_default=False)
    framework, _ = Framework.objects.update_or_create(
        code=code,
        defaults={
            "name": _require(data, "name", f"Framework {code}"),
            "description": data.get("description", ""),
            "is_default": is_default,
        },
    )
    for level in levels:
        ProficiencyLevel.objects.update_or_create(
            framework=framework,
            number=int(level["number"]),
            defaults={
                "code": str(level.get("code") or level["number"]),
                "name": _require(level, "name", f"Level {level['number']} of {code}"),
                "description": level.get("description", ""),
            },
        )
    for competency in data.get("competencies") or []:
        Competency.objects.update_or_create(
            framework=framework,
            code=competency["code"],
            defaults={
                "name": _require(competency, "name", f"Competency {competency['code']}"),
                "category": competency.get("category", ""),
                "description": competency.get("description", ""),
            },
        )
    return framework


def framework_load_file(path: str | Path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(f"Cannot read the framework file {path}: {error}") from error
    return framework_load(data)
