from .conftest import obligations_by_key

GDPR = "gdpr/supervisory_authority"

FILLED = {
    "controller": "Example Corp",
    "authority": "Data Protection Commission (IE)",
    "nature": "Credential stuffing against the customer portal",
    "subject_categories": "Customers",
    "subject_count": "1240",
    "record_categories": "Names, social security numbers",
    "record_count": "15000",
    "dpo_contact": "dpo@example.com",
    "consequences": "Risk of identity theft",
    "measures": "Passwords reset, rate limits raised",
    "phases": "",
    "delay": "",
}


def gdpr_id(api, headers, incident_id):
    return obligations_by_key(api, headers, incident_id)[GDPR]["id"]


def test_draft_edit_approve_send_acknowledge(api, counsel, created):
    obligation_id = gdpr_id(api, counsel, created["id"])

    drafted = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel)
    notice_id = drafted.json["notice"]["id"]
    edited = api.put(
        f"/api/v1/notices/{notice_id}/content", json={"content": FILLED}, headers=counsel
    )
    approved = api.post(f"/api/v1/notices/{notice_id}/approve", headers=counsel)
    sent = api.post(
        f"/api/v1/notices/{notice_id}/send",
        json={"sent_at": "2026-03-07T10:00:00+01:00", "channel": "portal", "reference": "DPC-9"},
        headers=counsel,
    )
    acknowledged = api.post(
        f"/api/v1/notices/{notice_id}/acknowledge",
        json={"acknowledged_at": "2026-03-07T12:00:00+01:00"},
        headers=counsel,
    )

    assert drafted.status_code == 201
    assert drafted.json["notice"]["status"] == "draft"
    assert drafted.json["notice"]["letter"] == "gdpr-art33"
    # Prefilled from the facts: of 1200 in California and 40 in Germany, the GDPR letter
    # counts the 40 in the EEA; 15000 records.
    assert drafted.json["notice"]["content"]["subject_count"] == "40"
    assert drafted.json["notice"]["content"]["record_count"] == "15000"
    assert drafted.json["obligation"]["notice_status"] == "draft"
    assert edited.status_code == 200
    assert edited.json["notice"]["content"] == FILLED
    assert approved.status_code == 200
    assert approved.json["notice"]["status"] == "approved"
    assert len(approved.json["notice"]["content_hash"]) == 64
    assert sent.status_code == 200
    assert sent.json["notice"]["sent_at"] == "2026-03-07T09:00:00+00:00"
    assert sent.json["obligation"]["notice_status"] == "sent"
    assert acknowledged.status_code == 200
    assert acknowledged.json["notice"]["acknowledged_at"] == "2026-03-07T11:00:00+00:00"
    read = api.get(f"/api/v1/notices/{notice_id}", headers=counsel)
    assert read.json == acknowledged.json


def test_approval_is_refused_while_required_content_is_empty(api, counsel, created):
    obligation_id = gdpr_id(api, counsel, created["id"])
    notice_id = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel).json[
        "notice"
    ]["id"]

    response = api.post(f"/api/v1/notices/{notice_id}/approve", headers=counsel)

    assert response.status_code == 422
    # The nature, counts and categories come from the facts; they name no organisation, so
    # the controller is empty like the fields only counsel can write.
    assert response.json["error"]["fields"] == {
        "controller": "required before approval",
        "authority": "required before approval",
        "subject_categories": "required before approval",
        "dpo_contact": "required before approval",
        "consequences": "required before approval",
        "measures": "required before approval",
    }


def test_state_refusals(api, counsel, created):
    obligation_id = gdpr_id(api, counsel, created["id"])
    notice_id = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel).json[
        "notice"
    ]["id"]
    sending = {"sent_at": "2026-03-07T10:00:00Z", "channel": "portal"}

    send_draft = api.post(f"/api/v1/notices/{notice_id}/send", json=sending, headers=counsel)
    second_draft = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel)
    acknowledge_draft = api.post(f"/api/v1/notices/{notice_id}/acknowledge", headers=counsel)

    assert send_draft.status_code == 409
    assert send_draft.json["error"]["message"] == (
        "The notice is still a draft; counsel must approve it before it is sent."
    )
    assert second_draft.status_code == 409
    assert second_draft.json["error"]["fields"] == {"obligation": "a notice is in progress"}
    assert acknowledge_draft.status_code == 409


def test_content_refusals(api, counsel, created):
    obligation_id = gdpr_id(api, counsel, created["id"])
    notice_id = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel).json[
        "notice"
    ]["id"]
    url = f"/api/v1/notices/{notice_id}/content"

    unknown_field = api.put(url, json={"content": {"signature": "x"}}, headers=counsel)
    not_text = api.put(url, json={"content": {"controller": 5}}, headers=counsel)
    no_content = api.put(url, json={}, headers=counsel)

    assert unknown_field.status_code == 422
    assert unknown_field.json["error"]["fields"] == {"signature": "unknown field"}
    assert not_text.json["error"]["fields"] == {"content.controller": "expected text; got 5"}
    assert no_content.json["error"]["fields"] == {"content": "this field is required"}


def test_unknown_letter_is_refused(api, counsel, created):
    obligation_id = gdpr_id(api, counsel, created["id"])

    response = api.post(
        f"/api/v1/obligations/{obligation_id}/drafts", json={"letter": "poem"}, headers=counsel
    )

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "letter": (
            "expected one of gdpr-art33, gdpr-art34, us-ca-individuals, hipaa-individuals, "
            "hhs-report, customer-contract, generic"
        )
    }


def test_not_required_closes_the_obligation(api, counsel, created):
    obligation_id = gdpr_id(api, counsel, created["id"])
    url = f"/api/v1/obligations/{obligation_id}/not-required"

    empty = api.post(url, json={"reason": "  "}, headers=counsel)
    closed = api.post(url, json={"reason": "Data was encrypted; key not taken"}, headers=counsel)

    assert empty.status_code == 422
    assert empty.json["error"]["fields"] == {"reason": "this field must not be empty"}
    assert closed.status_code == 201
    assert closed.json["notice"]["status"] == "not_required"
    assert closed.json["notice"]["not_required_reason"] == "Data was encrypted; key not taken"
    assert closed.json["obligation"]["notice_status"] == "not_required"
    open_keys = [
        item["key"] for item in api.get("/api/v1/obligations", headers=counsel).json["obligations"]
    ]
    assert GDPR not in open_keys


def test_a_responder_drafts_but_does_not_approve(api, bearer, counsel, created):
    responder = bearer("responder")
    obligation_id = gdpr_id(api, counsel, created["id"])

    drafted = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=responder)
    approve = api.post(f"/api/v1/notices/{drafted.json['notice']['id']}/approve", headers=responder)

    assert drafted.status_code == 201
    assert approve.status_code == 403
    assert approve.json["error"]["message"] == (
        "The role responder may not do this (notice.record)."
    )


def test_unknown_notice_is_404(api, counsel):
    response = api.get("/api/v1/notices/77", headers=counsel)

    assert response.status_code == 404
    assert response.json["error"]["message"] == "There is no notice with the id 77."


def test_impact_assessment(api, counsel, created):
    url = f"/api/v1/incidents/{created['id']}/impact"

    changed = api.patch(
        url,
        json={"impact_users": 1240, "customer_impact": "degraded", "impact_systems": ["portal"]},
        headers=counsel,
    )
    negative = api.patch(url, json={"impact_users": -1}, headers=counsel)
    wrong = api.patch(url, json={"customer_impact": "bad"}, headers=counsel)

    assert changed.status_code == 200
    impact = changed.json["incident"]["impact"]
    assert impact["impact_users"] == 1240
    assert impact["customer_impact"] == "degraded"
    assert impact["impact_systems"] == ["portal"]
    assert impact["revenue_impact"] == ""
    assert negative.json["error"]["fields"] == {
        "impact_users": "expected a number of 0 or more; got -1"
    }
    assert wrong.json["error"]["fields"] == {
        "customer_impact": "expected one of 'none', 'degraded' or 'unavailable'; got 'bad'"
    }
    stored = api.get(f"/api/v1/incidents/{created['id']}", headers=counsel).json["incident"]
    assert stored["impact"] == impact


def test_sending_before_the_incident_and_acknowledging_before_the_sending_are_refused(
    api, counsel, created
):
    obligation_id = gdpr_id(api, counsel, created["id"])
    notice_id = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel).json[
        "notice"
    ]["id"]
    api.put(f"/api/v1/notices/{notice_id}/content", json={"content": FILLED}, headers=counsel)
    api.post(f"/api/v1/notices/{notice_id}/approve", headers=counsel)

    early = api.post(
        f"/api/v1/notices/{notice_id}/send",
        json={"sent_at": "2020-01-01T00:00:00Z", "channel": "portal"},
        headers=counsel,
    )
    sent = api.post(
        f"/api/v1/notices/{notice_id}/send",
        json={"sent_at": "2026-03-07T10:00:00Z", "channel": "portal"},
        headers=counsel,
    )
    acknowledged = api.post(
        f"/api/v1/notices/{notice_id}/acknowledge",
        json={"acknowledged_at": "2026-03-07T09:59:00Z"},
        headers=counsel,
    )

    assert early.status_code == 422
    assert early.json["error"]["fields"] == {
        "sent_at": (
            "expected an instant on or after the occurrence on 2026-03-01 10:00 EST; "
            "got 2020-01-01T00:00:00+00:00"
        )
    }
    assert sent.status_code == 200
    assert acknowledged.status_code == 422
    assert acknowledged.json["error"]["fields"] == {
        "acknowledged_at": (
            "expected an instant on or after the sending at 2026-03-07T10:00:00+00:00; "
            "got 2026-03-07T09:59:00+00:00"
        )
    }
