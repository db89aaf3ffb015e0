"""The NAIS manifests in .nais/ are valid Application and Naisjob resources, in every environment.

Each manifest is rendered with each environment's variables file as nais/deploy renders it
(``{{ name }}`` replaced by the variable's value) and validated against the OpenAPI schema of
NAIS's own Custom Resource Definitions (nais/liberator, vendored in tests/data/nais/ with their
source and licence). The API server prunes fields a schema does not know, so a misspelt field
would silently do nothing: here every object that lists its properties refuses others.
"""

import copy
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NAIS = ROOT / ".nais"
CRDS = Path(__file__).resolve().parent / "data" / "nais"
ENVIRONMENTS = ("dev", "prod")
MANIFESTS = ("app", "migrate")
VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


def render(template: str, variables: dict) -> str:
    """nais/deploy's templating for plain ``{{ name }}``; an unknown name is an error."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in variables:
            raise KeyError(f"variable {name} is not in the variables file")
        return str(variables[name])

    return VARIABLE.sub(value, template)


def strict(schema: dict) -> dict:
    """The schema with unknown fields refused wherever it lists the fields it knows."""
    schema = copy.deepcopy(schema)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if (
                "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    return schema


def crd_schema(kind: str) -> tuple[str, dict]:
    path = (
        CRDS
        / {"Application": "nais.io_applications.yaml", "Naisjob": "nais.io_naisjobs.yaml"}[kind]
    )
    crd = yaml.safe_load(path.read_text())
    (version,) = crd["spec"]["versions"]
    schema = version["schema"]["openAPIV3Schema"]
    # metadata is Kubernetes' ObjectMeta, which the CRD leaves open: name, namespace, labels.
    schema["properties"]["metadata"] = {
        "type": "object",
        "required": ["name", "namespace", "labels"],
        "properties": {
            "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
            "namespace": {"type": "string"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    return f"{crd['spec']['group']}/{version['name']}", strict(schema)


def manifest(name: str, environment: str) -> dict:
    variables = yaml.safe_load((NAIS / f"{environment}.yaml").read_text())
    return yaml.safe_load(render((NAIS / f"{name}.yaml").read_text(), variables))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("name", MANIFESTS)
def test_manifest_is_valid_against_the_nais_crd(name, environment):
    resource = manifest(name, environment)
    api_version, schema = crd_schema(resource["kind"])

    errors = sorted(
        jsonschema.Draft7Validator(schema).iter_errors(resource), key=lambda e: list(e.path)
    )

    assert resource["apiVersion"] == api_version
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    assert len(resource["metadata"]["name"]) <= 63


def test_a_misspelt_field_is_caught():
    resource = manifest("app", "prod")
    resource["spec"]["liveness"]["initalDelay"] = 5
    _version, schema = crd_schema("Application")

    errors = list(jsonschema.Draft7Validator(schema).iter_errors(resource))

    assert any("initalDelay" in error.message for error in errors)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_application_has_what_production_needs(environment):
    spec = manifest("app", environment)["spec"]
    (database,) = spec["gcp"]["sqlInstances"]
    env = {item["name"]: item.get("value") for item in spec["env"]}

    assert spec["replicas"]["min"] >= 2
    assert spec["liveness"]["path"] == "/internal/isalive"
    assert spec["readiness"]["path"] == "/internal/isready"
    assert spec["prometheus"] == {"enabled": True, "path": "/internal/metrics"}
    assert database["highAvailability"] and database["pointInTimeRecovery"]
    assert spec["leaderElection"] is True
    assert spec["azure"]["sidecar"]["enabled"] is True
    assert {v["instance"] for v in spec["valkey"]} == {
        env["NAVPANEL_REDIS_INSTANCE"],
        env["NAVPANEL_BROKER_REDIS_INSTANCE"],
    }
    assert env["NAVPANEL_EXPORTS_BUCKET"] == spec["gcp"]["buckets"][0]["name"]
    assert spec["terminationGracePeriodSeconds"] >= 30
    assert spec["command"][-1] == "all"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_only_the_representatives_pages_static_files_and_the_statement_are_public(environment):
    spec = manifest("app", environment)["spec"]
    variables = yaml.safe_load((NAIS / f"{environment}.yaml").read_text())
    public = [url for url in spec["ingresses"] if variables["publicHost"] in url]
    staff = [url for url in spec["ingresses"] if url not in public]

    assert sorted(url.rsplit("/", 1)[1] for url in public) == ["r", "static", "tilgjengelighet"]
    assert all(".intern." in url for url in staff)
    assert set(spec["azure"]["sidecar"]["autoLoginIgnorePaths"]) >= {
        "/r/*",
        "/static/*",
        "/tilgjengelighet/*",
    }
