from tracker.auth.service import create_token


def test_own_tokens_with_last_use(api, session, make_user):
    user = make_user("viewer")
    token, text = create_token(session, user, "test setup", scope="read")
    other, _ = create_token(session, make_user("viewer"), "test setup", scope="read")
    session.commit()

    response = api.get("/api/v1/tokens", headers={"Authorization": f"Bearer {text}"})

    assert response.status_code == 200
    listed = response.json["tokens"]
    assert [item["id"] for item in listed] == [token.id]
    assert listed[0]["scope"] == "read"
    assert listed[0]["prefix"] == text[:10]
    assert listed[0]["last_used_at"] is not None
    assert listed[0]["revoked_at"] is None


def test_revoke_own_token_then_it_no_longer_works(api, session, make_user):
    user = make_user("counsel")
    spare, spare_text = create_token(session, user, "test setup", scope="read")
    _main, text = create_token(session, user, "test setup", scope="read-write")
    session.commit()
    headers = {"Authorization": f"Bearer {text}"}

    revoked = api.delete(f"/api/v1/tokens/{spare.id}", headers=headers)
    refused = api.get("/api/v1/incidents", headers={"Authorization": f"Bearer {spare_text}"})

    assert revoked.status_code == 200
    assert revoked.json["token"]["revoked_at"] is not None
    assert refused.status_code == 401
    assert refused.json["error"]["message"] == "The API token is unknown, expired or revoked."


def test_another_users_token_is_unknown_to_all_but_administrators(api, session, make_user):
    victim, _ = create_token(session, make_user("counsel"), "test setup", scope="read")
    _, counsel_text = create_token(session, make_user("counsel"), "test setup", "read-write")
    _, admin_text = create_token(session, make_user("administrator"), "test setup", "read-write")
    session.commit()

    by_counsel = api.delete(
        f"/api/v1/tokens/{victim.id}", headers={"Authorization": f"Bearer {counsel_text}"}
    )
    by_admin = api.delete(
        f"/api/v1/tokens/{victim.id}", headers={"Authorization": f"Bearer {admin_text}"}
    )

    assert by_counsel.status_code == 404
    assert by_counsel.json["error"]["message"] == f"There is no token with the id {victim.id}."
    assert by_admin.status_code == 200


def test_users_for_administrators(api, bearer):
    response = api.get("/api/v1/users", headers=bearer("administrator"))

    assert response.status_code == 200
    assert [(item["id"], item["role"]) for item in response.json["users"]] == [(1, "administrator")]
    assert "password_hash" not in response.json["users"][0]


def test_incident_audit_history(api, counsel, created):
    api.post(
        f"/api/v1/incidents/{created['id']}/status",
        json={"status": "investigating"},
        headers=counsel,
    )

    response = api.get(f"/api/v1/incidents/{created['id']}/audit", headers=counsel)

    assert response.status_code == 200
    events = response.json["events"]
    assert [event["action"] for event in events] == ["incident.create", "incident.status"]
    assert events[1]["before"] == {"status": "detected"}
    assert events[1]["after"] == {"status": "investigating"}
    assert events[1]["actor_id"] == 1
    assert len(events[1]["hash"]) == 64
