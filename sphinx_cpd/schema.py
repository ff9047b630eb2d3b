"""The JSON Schema of ``portfolio.json``, generated from the kinds' descriptions.

``make schema`` writes the copy the documentation publishes,
``docs/portfolio.schema.json``; a test checks that it is current.
"""

from __future__ import annotations

import json

from sphinx_cpd.config import PROFILE_KEYS
from sphinx_cpd.kinds import DATA
from sphinx_cpd.options import COMMON, DATE, TEXT, exports
from sphinx_cpd.visibility import VISIBILITIES

SCHEMA_VERSION = 1
#: The top-level key of each kind in portfolio.json.
PLURALS = {
    "event": "events",
    "reflection": "reflections",
    "action": "actions",
    "evidence": "evidence",
    "photo": "photos",
    "rating": "ratings",
    "feedback": "feedback",
}
#: What portfolio.json says of every object, whatever its kind.
RECORD: dict[str, object] = {
    "id": {"type": "string", "minLength": 1},
    "title": {"type": "string"},
    "page": {"type": "string", "description": "The document the object is written in."},
    "href": {"type": "string", "description": "Link to the object, relative to the output root."},
    "date": DATE,
    **{o.json: dict(o.schema, description=o.help) for o in COMMON if o.json},
    "visibility": {"enum": [*VISIBILITIES, None]},
    "text": {"type": "string", "description": "The object's body as plain text."},
}
#: Values a kind's export adds from the whole portfolio, not from its options.
EXTRAS: dict[str, dict[str, object]] = {
    "action": {"reflection": dict(TEXT, description="The id of the reflection it belongs to.")},
    "evidence": {
        "number": {"type": ["string", "null"], "pattern": r"^E\d+$", "description": "E1, E2, …"}
    },
    "photo": {"licence-url": dict(TEXT, description="The licence's deed.")},
}
REQUIRED: dict[str, list[str]] = {"action": ["status"]}
FRAMEWORK: dict[str, object] = {
    "type": "object",
    "required": ["id", "title", "criteria"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "short": {"type": "string"},
        "version": {"type": ["string", "null"]},
        "scale": {
            "type": "object",
            "required": ["min", "max"],
            "additionalProperties": False,
            "properties": {
                "min": {"type": "integer"},
                "max": {"type": "integer"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "criteria": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "description": {"type": ["string", "null"]},
                    "parent": {"type": ["string", "null"]},
                },
            },
        },
    },
}


#: The scheme named by ``cpd_scheme``, with the period the requirements were counted in.
SCHEME: dict[str, object] = {
    "type": ["object", "null"],
    "required": ["id", "title", "start", "end"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "start": {"type": ["string", "null"], "format": "date", "description": "null: no period"},
        "end": {"type": ["string", "null"], "format": "date"},
    },
}
REQUIREMENT: dict[str, object] = {
    "type": "object",
    "required": ["key", "title", "kind", "need", "have", "met"],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string"},
        "title": {"type": "string"},
        "kind": {"enum": ["hours", "participatory-hours", "count", "words", "declaration"]},
        "need": {
            "type": ["number", "null"],
            "description": "Hours (a number, exact to two places, like every number of hours "
            "here), objects, the most words (null: no limit), or 1 for a declaration.",
        },
        "have": {
            "type": "number",
            "description": "Hours, objects or words the audience of this build sees in the "
            "period; 1 or 0 for a declaration.",
        },
        "met": {"type": "boolean"},
        "declared": {
            "type": ["string", "null"],
            "format": "date",
            "description": "A declaration: the date it was made (perhaps before the period).",
        },
    },
}


def kind_schema(kind: str) -> dict[str, object]:
    properties = dict(RECORD)
    for _, key, schema, help in exports(DATA[kind]):
        properties[key] = dict(schema, description=help)
    properties.update(EXTRAS.get(kind, {}))
    return {
        "type": "object",
        "required": ["id", "title", "page", "href", *REQUIRED.get(kind, [])],
        "properties": properties,
        "additionalProperties": False,
    }


def portfolio_schema() -> dict[str, object]:
    plural = {kind: PLURALS[kind] for kind in DATA}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sphinx-cpd.example/portfolio.schema.json",
        "title": "sphinx-cpd portfolio export (portfolio.json)",
        "description": "Everything a build of a sphinx-cpd portfolio records, for its audience.",
        "type": "object",
        "required": ["schema_version", "profile", *plural.values(), "frameworks"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "generator": {"type": "string"},
            "generated": {"type": "string", "format": "date"},
            "project": {"type": "string"},
            "profile": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "propertyNames": {"enum": list(PROFILE_KEYS)},
            },
            **{
                key: {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}
                for kind, key in plural.items()
            },
            "frameworks": {"type": "array", "items": {"$ref": "#/$defs/framework"}},
            "scheme": {"$ref": "#/$defs/scheme"},
            "requirements": {"type": "array", "items": {"$ref": "#/$defs/requirement"}},
        },
        "additionalProperties": False,
        "$defs": {
            **{kind: kind_schema(kind) for kind in DATA},
            "framework": FRAMEWORK,
            "scheme": SCHEME,
            "requirement": REQUIREMENT,
        },
    }


def schema_text() -> str:
    return json.dumps(portfolio_schema(), indent=2, ensure_ascii=False) + "\n"
