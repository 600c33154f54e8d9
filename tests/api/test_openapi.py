import re

from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from tracker.facts import Facts

RULE_PARAMETER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def registered_operations(app):
    """Every (path, method) the application serves under /api/v1, in the document's form."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = RULE_PARAMETER.sub(r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def documented_operations(document):
    return {(path, method) for path, item in document["paths"].items() for method in item}


def test_every_route_is_documented_and_every_documented_route_exists(app, api):
    document = api.get("/api/v1/openapi.json").json

    assert documented_operations(document) == registered_operations(app)
    assert ("/incidents/{incident_id}/facts", "put") in documented_operations(document)


def test_the_document_needs_no_token_and_says_that_everything_else_does(api):
    response = api.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "/api/v1"}]
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    assert document["paths"]["/openapi.json"]["get"]["security"] == []


def test_facts_schema_comes_from_the_facts_model(api):
    document = api.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    generated = Facts.model_json_schema(ref_template="#/components/schemas/{model}")

    assert schemas["Facts"] == {key: value for key, value in generated.items() if key != "$defs"}
    for name, schema in generated["$defs"].items():
        assert schemas[name] == schema
    body = document["paths"]["/incidents"]["post"]["requestBody"]
    assert body == {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Facts"}}},
    }


def test_every_operation_documents_its_errors(api):
    document = api.get("/api/v1/openapi.json").json
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

    for path, item in document["paths"].items():
        for method, operation in item.items():
            if path == "/openapi.json":
                continue
            codes = {code for code in operation["responses"] if code.startswith("4")}
            assert {"401", "403"} <= codes, (path, method)
            if "{" in path:
                assert "404" in codes, (path, method)
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                assert {"413", "422"} <= codes, (path, method)
            elif body:
                assert {"413", "415"} <= codes, (path, method)
            for code in codes:
                assert operation["responses"][code]["content"] == error


def test_the_document_is_valid_openapi_3_1(api):
    validate(api.get("/api/v1/openapi.json").json, cls=OpenAPIV31SpecValidator)
