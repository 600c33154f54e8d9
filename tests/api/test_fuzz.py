"""The API against its own OpenAPI document: generated requests, in-process through WSGI.

Every response must be a documented status with a body matching its documented schema, and
none may be a server error. The example count is kept small so that the suite stays quick.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from tracker.api.openapi import openapi_document
from tracker.auth.service import create_token

# Modest by default; set TRACKER_FUZZ_EXAMPLES for a deeper run.
EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "15"))


@pytest.fixture
def fuzz_headers(session, make_user, make_incident):
    """A counsel's read-write token, and one incident with obligations to aim ids at."""
    user = make_user("counsel")
    make_incident(actor=user)
    _token, text = create_token(session, user, "test setup", scope="read-write")
    session.commit()
    return {"Authorization": f"Bearer {text}"}


@schemathesis.serializer("application/pdf")
def _pdf_body(ctx, value):
    """A report to verify goes as raw bytes; generated values are sent as they come."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# The document is the one the application serves; it needs no application to be built.
schema = schemathesis.openapi.from_dict(openapi_document())


# Exporting a signed PDF takes seconds a call; the report tests cover that route.
@schema.exclude(path="/incidents/{incident_id}/reports", method="POST").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_response_is_documented_and_none_is_a_server_error(case, app, fuzz_headers):
    case.operation.schema.app = app  # this test's application, on this test's database
    case.call_and_validate(
        app=app,
        base_url="http://localhost/api/v1",
        headers=fuzz_headers,
        # The schema cannot say everything the facts format checks (that a zone is in the IANA
        # database, that a subdivision code exists, that discovery or awareness is given), so
        # a schema-valid body may still be refused; those refusals are tested literally. The
        # token is added to every request, so a case generated without it is not negative.
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
