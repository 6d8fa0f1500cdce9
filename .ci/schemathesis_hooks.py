"""schemathesis hooks for .ci/schemathesis: one check added, six narrow exceptions.

The added check holds an answer's media type parameters (`version=2`) to spec/, which
schemathesis's own `content_type_conformance` leaves out. Each exception drops one kind of
failure only in the one situation where spec/ says less than the server does on purpose;
schemathesis counts what it drops and prints it ("dropped by `filter_failure`"). Everything
else fails the run.

Request bodies need no custom serializer: schemathesis sends every `+json` media type
(`application/vnd.net.juniper.space....+json;version=1`) as JSON by itself.
"""

from __future__ import annotations

import json
import re

import schemathesis
import jsonschema_rs
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.openapi.checks import RejectedPositiveData, UndefinedStatusCode, UseAfterFree


def _media_type(text):
    """A media type as Junos Space compares them: `type/subtype` and its parameters, case
    aside, with `charset` (which the server ignores in a Content-Type) and `q` left out."""
    essence, *parameters = text.split(";")
    named = set()
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        name = name.strip().lower()
        if name and name not in ("charset", "q"):
            named.add((name, value.strip().strip('"').lower()))
    return essence.strip().lower(), frozenset(named)


@schemathesis.check
def media_type_parameters_conformance(ctx, response, case):
    """The answer's `Content-Type` has the parameters of a type documented for its status.

    `content_type_conformance` compares `type/subtype` only, but on Junos Space the `version`
    parameter is part of the type: another version may mean another shape and behaviour
    (../shared/junos-space-behaviour.md, "Media types"), and the client refuses an answer
    whose type it did not ask for. Compared as Junos Space compares types (case, spacing,
    quoting and order aside; an added `charset` forgiven, as the client forgives it). A type
    whose `type/subtype` is not documented at all is left to `content_type_conformance`.
    """
    documented = case.operation.schema.get_content_types(case.operation, response)
    received = response.headers.get("content-type")
    if not documented or not received:
        return None
    essence, parameters = _media_type(received[0])
    same_essence = [media for media in documented if _media_type(media)[0] == essence]
    if not same_essence or (essence, parameters) in {_media_type(m) for m in same_essence}:
        return None
    raise AssertionError(
        f"Undocumented media type parameters\n\nReceived: {received[0]}\n"
        f"Documented for {response.status_code}: {', '.join(same_essence)}"
    )


def _success_media_types(operation):
    raw = operation.definition.raw
    return {
        _media_type(media)
        for status, response in raw.get("responses", {}).items()
        if str(status).startswith("2")
        for media in response.get("content", {})
    }


def _refused_media_type(case, response):
    """Whether a 406/415 is the server refusing a media type the operation does not name.

    A real Junos Space answers an `Accept` it does not serve with 406 and a `Content-Type` it
    does not take (or none, for an operation with a body) with 415, both as a JBoss HTML page
    (../shared/junos-space-behaviour.md, "Media types"). spec/ does not document these
    answers: they carry no JSON (spec/README.md, "Known divergences", error bodies), and the
    generated client, its mocks and the conformance kit model JSON answers only; the kit's
    check-server probes them separately. So a 406 or 415 passes only when the request really
    named a type the operation does not list; one for a type it lists still fails.
    """
    headers = response.request.headers
    if response.status_code == 415:
        sent = headers.get("Content-Type")
        taken = {_media_type(body.media_type) for body in case.operation.body}
        return bool(taken) and (sent is None or _media_type(sent) not in taken)
    if response.status_code == 406:
        sent = headers.get("Accept")
        if sent is None:
            return False
        served = _success_media_types(case.operation)
        for entry in sent.split(","):
            essence, parameters = _media_type(entry)
            if essence in ("*/*", "application/*") or (essence, parameters) in served:
                return False
        return True
    return False


# The parameters whose value has a grammar: on collections `paging=(start eq N, limit eq M)`,
# `filter=(name eq 'x' and ...)` and `sortby=(name(ascending))`; on asynchronous calls
# `schedule=(after(HH MM))`.
_GRAMMARS = ("filter", "paging", "sortby", "schedule")


def _refused_grammar(case, response):
    """Whether a 400 refuses a parameter value outside the server's grammar for it.

    spec/ types `filter`, `paging`, `sortby` and `schedule` as plain strings (the filter
    grammar nests parentheses, and filters and sorts must name fields of the members, so no
    `pattern` could say it), and schemathesis takes any string as valid. The server
    answers 400 to a value outside its grammar (or a filter or sort on a field its members
    lack), and that 400 is documented. It passes only when the answer's message starts with
    the name of a grammar parameter the request sent (`paging: ...`); any other 400, such as
    one for a `queue` that is a URI, still fails.
    """
    if response.status_code != 400:
        return False
    try:
        message = json.loads(response.content).get("message", "")
    except (ValueError, AttributeError):
        return False
    sent = case.query or {}
    return any(name in sent and message.startswith(f"{name}:") for name in _GRAMMARS)


def _asynchronous_delete(case, failure):
    """Whether a "deleted resource still available" follows a DELETE that spec/ documents as
    asynchronous (202 with a task, and no other success).

    A real Junos Space removes a device in a job (SAC `space_device.py` expects 202 and reads
    the task; spec/README.md, deleteDevice): the device is there until the job ends, so a read
    right after the DELETE finds it. Only such a DELETE is excused; one documented 200 or 204
    must still make its resource disappear at once.
    """
    method, _, template = failure.operation.partition(" ")
    if method.upper() != "DELETE":
        return False
    raw = case.operation.schema.raw_schema
    responses = raw.get("paths", {}).get(template, {}).get("delete", {}).get("responses", {})
    successes = {str(status) for status in responses if str(status).startswith("2")}
    return successes == {"202"}


def _cancel_too_late(case, response):
    """Whether a 412 answers a schema-valid cancel of a job that is not waiting any more.

    Job cancel (`x-cancels-job`; SDK22.2 JSJobManagerSvc/rest.jobs.id.cancel.html) succeeds
    only while the job waits for its schedule, and answers 412 once it has started or
    finished, which spec/ documents. Whether the job a request names is still waiting is
    server state, not a property of the request's data, so that 412 is no rejection of valid
    data. Only a documented 412 of such an operation is excused.
    """
    if response.status_code != 412:
        return False
    raw = case.operation.definition.raw
    return raw.get("x-cancels-job") is True and "412" in {
        str(status) for status in raw.get("responses", {})
    }


def _resolved(schema, root):
    while isinstance(schema, dict) and "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _as_client_forms(value, schema, root):
    """The value with the client forms the simulator reads (Reading::CLIENT_FORMS in
    crates/model) turned into the schema's own: a list's one member sent in its place, and a
    number or boolean sent as a string."""
    schema = _resolved(schema, root)
    if not isinstance(schema, dict):
        return value
    kind = schema.get("type")
    if kind == "array":
        members = value if isinstance(value, list) else [value]
        return [_as_client_forms(member, schema.get("items", {}), root) for member in members]
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        return {
            key: _as_client_forms(member, properties[key], root) if key in properties else member
            for key, member in value.items()
        }
    if kind in ("integer", "number") and isinstance(value, str):
        try:
            number = float(value) if kind == "number" else int(value)
        except ValueError:
            return value
        return number
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _accepted_client_form(case):
    """A body schemathesis drew as invalid that is valid once read in the client forms.

    The simulator reads request bodies as a server reads what clients send, Juniper's own
    among them: a one-member list as that member, numbers and booleans as strings
    (spec/README.md, `Reading::CLIENT_FORMS`). A body whose only fault is such a form is
    one the simulator takes on purpose; any other fault still fails the run."""
    raw = case.operation.definition.raw
    root = case.operation.schema.raw_schema
    contents = raw.get("requestBody", {}).get("content", {})
    schema = next(
        (entry.get("schema") for media, entry in contents.items() if media == case.media_type),
        None,
    )
    if schema is None or case.body is None:
        return False
    read = _as_client_forms(case.body, schema, root)
    # jsonschema_rs comes with schemathesis; OpenAPI 3.0 schemas are read as draft 4.
    validator = jsonschema_rs.Draft4Validator(
        {**_resolved(schema, root), "components": root["components"]}
    )
    return read != case.body and validator.is_valid(read)


def _boolean_query_read_as_java(case, failure):
    """Whether negative data the server took is only the text of a boolean query parameter.

    Junos Space runs its REST services on JBoss (the simulator answers a missing path with
    JBoss Web's page, as a real server does), whose JAX-RS layer reads a `boolean` query
    parameter with `Boolean.valueOf`: `true` in any case is true and any other text false, so
    no text there is refused. spec/ types Security Director's `update` (publish) and
    `include-dynamic-addresses` (addresses) as booleans, and schemathesis expects `?update=null`
    to be refused; the simulator, like the server, reads it as false. Only a failure that
    names a query parameter the operation itself declares as a boolean is dropped.
    """
    found = re.search(r"parameter `([^`]+)` in query", getattr(failure, "message", ""))
    if not found:
        return False
    name = found.group(1)
    for parameter in case.operation.definition.raw.get("parameters", []):
        if parameter.get("name") == name and parameter.get("in") == "query":
            return (parameter.get("schema") or {}).get("type") == "boolean"
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response):
    # True keeps the failure; False drops it.
    if isinstance(failure, UndefinedStatusCode) and _refused_media_type(case, response):
        return False
    if isinstance(failure, RejectedPositiveData) and _refused_grammar(case, response):
        return False
    if isinstance(failure, RejectedPositiveData) and _cancel_too_late(case, response):
        return False
    if isinstance(failure, UseAfterFree) and _asynchronous_delete(case, failure):
        return False
    if isinstance(failure, AcceptedNegativeData) and _accepted_client_form(case):
        return False
    if isinstance(failure, AcceptedNegativeData) and _boolean_query_read_as_java(case, failure):
        return False
    return True
