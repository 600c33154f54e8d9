"""The notice pages without JavaScript: draft from the incident page, edit, approve, send with
proof, acknowledge, close as not required; each refusal shown beside its form."""

import re
from datetime import UTC, date, datetime
from html import unescape
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.notice import service
from tracker.notice.models import Attachment, Notice

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ON_TIME = "2026-03-08T08:00"  # America/New_York, before the GDPR date 2026-03-08 14:30 UTC
LATE = "2026-03-10T08:00"


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def section(html, section_id):
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match is not None, f"no section {section_id}"
    return text_of(match.group(0))


def refusal(html, refusal_id):
    match = re.search(
        rf'<div class="refusal" role="alert" id="{refusal_id}">(.*?)</div>', html, re.S
    )
    assert match is not None, f"no refusal {refusal_id}"
    return text_of(match.group(1))


@pytest.fixture
def signed_in(client, counsel, login):
    login(client, counsel)
    return client


def draft(client, obligation, letter=None):
    data = {"letter": letter} if letter else {}
    if not letter:
        from tracker.notice import letters

        data["letter"] = letters.letter_for(obligation.key).id
    answer = client.post(f"/obligations/{obligation.id}/notices", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rsplit("/", 1)[1])


def content(notice_id, session, **changes):
    session.rollback()
    notice = session.get(Notice, notice_id)
    filled = {name: value or f"{name} text" for name, value in notice.content.items()}
    filled.update(changes)
    return {f"content-{name}": value for name, value in filled.items()}


def approved(client, session, obligation):
    notice_id = draft(client, obligation)
    assert (
        client.post(f"/notices/{notice_id}/content", data=content(notice_id, session)).status_code
        == 302
    )
    assert client.post(f"/notices/{notice_id}/approve").status_code == 302
    return notice_id


def sending(when=ON_TIME, **extra):
    return {
        "sent_local": when,
        "sent_zone": "America/New_York",
        "channel": "portal",
        "reference": "DPC-2026-0042",
        **extra,
    }


def stored(session, notice_id):
    session.rollback()
    return session.get(Notice, notice_id)


def test_the_incident_page_offers_a_draft_per_obligation(signed_in, incident, obligation):
    html = signed_in.get(f"/incidents/{incident.id}").get_data(as_text=True)
    row = obligation("gdpr/supervisory_authority")

    assert f'action="/obligations/{row.id}/notices"' in html
    assert '<option value="gdpr-art33" selected>' in html
    assert "Notice: No notice yet" in text_of(html)


def test_a_draft_lists_its_empty_required_elements(signed_in, session, obligation):
    notice_id = draft(signed_in, obligation("gdpr/supervisory_authority"))
    html = signed_in.get(f"/notices/{notice_id}").get_data(as_text=True)

    missing = section(html, "content")
    assert "5 required elements are empty;" in missing
    for label in (
        "Supervisory authority",
        "Categories of data subjects concerned",
        "Data protection officer or other contact point",
        "Likely consequences of the breach",
        "Measures taken or proposed, including to mitigate its effects",
    ):
        assert label in missing
    assert 'value="Example Corp"' in html
    letter = section(html, "letter")
    assert "To [Supervisory authority] Controller Example Corp" in letter
    assert "[Not yet written: Data protection officer or other contact point]" in letter


def test_approval_is_refused_while_a_required_element_is_empty(signed_in, session, obligation):
    notice_id = draft(signed_in, obligation("gdpr/supervisory_authority"))
    answer = signed_in.post(f"/notices/{notice_id}/approve")

    assert answer.status_code == 422
    reason = refusal(answer.get_data(as_text=True), "approve-errors")
    assert reason.startswith(
        "The notice cannot be approved while these required elements are empty:"
    )
    assert "Supervisory authority" in reason
    assert stored(session, notice_id).status == "draft"


def test_approval_freezes_the_content_and_an_edit_sends_it_back(signed_in, session, obligation):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    notice = stored(session, notice_id)
    assert notice.status == "approved"
    html = signed_in.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert notice.content_hash in html

    changed = content(notice_id, session, measures="Passwords reset for every account.")
    answer = signed_in.post(f"/notices/{notice_id}/content", data=changed, follow_redirects=True)
    assert "sent the notice back to draft" in answer.get_data(as_text=True)
    notice = stored(session, notice_id)
    assert (notice.status, notice.content_hash) == ("draft", None)
    assert notice.content["measures"] == "Passwords reset for every account."


def test_a_responder_cannot_approve_and_is_told_why(client, session, login, responder, obligation):
    login(client, responder)
    notice_id = draft(client, obligation("gdpr/supervisory_authority"))
    client.post(f"/notices/{notice_id}/content", data=content(notice_id, session))
    answer = client.post(f"/notices/{notice_id}/approve")

    assert answer.status_code == 403
    assert refusal(answer.get_data(as_text=True), "approve-errors") == (
        "A user with the role responder cannot approve a notice; counsel or an administrator can."
    )
    assert stored(session, notice_id).status == "draft"


def test_a_viewer_reads_but_cannot_draft(client, login, viewer, obligation):
    login(client, viewer)
    row = obligation("gdpr/supervisory_authority")
    assert client.get(f"/obligations/{row.id}").status_code == 200
    assert (
        client.post(f"/obligations/{row.id}/notices", data={"letter": "generic"}).status_code == 403
    )


def test_a_draft_cannot_skip_approval(signed_in, session, obligation):
    notice_id = draft(signed_in, obligation("gdpr/supervisory_authority"))
    answer = signed_in.post(f"/notices/{notice_id}/send", data=sending())

    assert answer.status_code == 409
    assert refusal(answer.get_data(as_text=True), "send-errors") == (
        "The notice is still a draft; counsel must approve it before it is sent."
    )
    assert stored(session, notice_id).status == "draft"


def test_sending_is_recorded_with_its_proof(signed_in, session, obligation, app, counsel):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    data = sending(attachments=[(BytesIO(PDF), "../Portal receipt <DPC>.pdf")])
    answer = signed_in.post(f"/notices/{notice_id}/send", data=data)
    assert answer.status_code == 302, text_of(answer.get_data(as_text=True))[-1500:]

    notice = stored(session, notice_id)
    assert notice.status == "sent"
    assert notice.sent_at == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert (notice.channel, notice.reference, notice.sent_by_id) == (
        "portal",
        "DPC-2026-0042",
        counsel.id,
    )
    assert notice.due_at_sent == datetime(2026, 3, 8, 14, 30, tzinfo=UTC)
    [proof] = notice.attachments
    assert (proof.filename, proof.content_type, proof.size) == (
        "Portal receipt DPC.pdf",
        "application/pdf",
        len(PDF),
    )
    path = app.instance_path + "/attachments/" + proof.stored_name
    assert re.fullmatch(r"[0-9a-f]{32}", proof.stored_name)
    with open(path, "rb") as handle:
        assert handle.read() == PDF


def test_proof_is_served_only_as_a_download_to_signed_in_users(
    client, signed_in, session, obligation, make_user, login
):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    signed_in.post(
        f"/notices/{notice_id}/send",
        data=sending(attachments=[(BytesIO(PDF), "r\u00e9c\u00e9piss\u00e9.pdf")]),
    )
    session.rollback()
    proof = session.scalars(select(Attachment)).one()
    url = f"/notices/{notice_id}/attachments/{proof.id}"

    answer = signed_in.get(url)
    assert answer.status_code == 200
    assert answer.data == PDF
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=\"recepisse.pdf\"; filename*=UTF-8''r%C3%A9c%C3%A9piss%C3%A9.pdf"
    )
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert signed_in.get(f"/notices/{notice_id + 1}/attachments/{proof.id}").status_code == 404

    signed_in.post("/logout")
    assert signed_in.get(url).status_code == 302
    login(client, make_user("viewer"))
    assert client.get(url).status_code == 200


def test_a_notice_cannot_be_sent_twice(signed_in, session, obligation):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    assert signed_in.post(f"/notices/{notice_id}/send", data=sending()).status_code == 302
    answer = signed_in.post(f"/notices/{notice_id}/send", data=sending())

    assert answer.status_code == 409
    assert refusal(answer.get_data(as_text=True), "send-errors") == (
        "The notice is already sent on 2026-03-08 12:00 UTC; it cannot be sent again."
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "letter.pdf",
            b"%PDF-" + b"x" * (1024 * 1024),
            "The file letter.pdf is larger than 1.0 MB, the most accepted for one proof file.",
        ),
        (
            "receipt.pdf",
            b"<html><script>alert(1)</script></html>",
            "The file receipt.pdf is not of an accepted type; proof is accepted as PDF, PNG, "
            "JPEG, plain text (.txt) or a saved e-mail (.eml).",
        ),
        (
            "setup.exe",
            b"MZ\x90\x00",
            "The file setup.exe is not of an accepted type; proof is accepted as PDF, PNG, "
            "JPEG, plain text (.txt) or a saved e-mail (.eml).",
        ),
    ],
)
def test_oversize_or_unexpected_proof_is_refused_and_nothing_is_sent(
    make_app, make_user, login, session, obligation, name, data, message
):
    client = make_app(ATTACHMENT_MAX_MB=1).test_client()
    login(client, make_user("counsel"))
    notice_id = approved(client, session, obligation("gdpr/supervisory_authority"))
    answer = client.post(
        f"/notices/{notice_id}/send", data=sending(attachments=[(BytesIO(data), name)])
    )

    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert message in text_of(re.search(r'id="attachments-errors">.*?</ul>', html, re.S).group(0))
    notice = stored(session, notice_id)
    assert (notice.status, notice.attachments) == ("approved", [])


def test_a_late_notice_needs_the_reason_for_the_delay(signed_in, session, obligation):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    answer = signed_in.post(f"/notices/{notice_id}/send", data=sending(LATE))

    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    beside = text_of(re.search(r'id="delay_reason-errors">.*?</ul>', html, re.S).group(0))
    assert beside == 'id="delay_reason-errors"> ' + (
        "The notice was sent at 2026-03-10T08:00:00-04:00, after its due date "
        "2026-03-08T14:30:00+00:00; give the reason for the delay."
    )
    assert stored(session, notice_id).status == "approved"

    reason = "The scope was only established on 9 March."
    answer = signed_in.post(f"/notices/{notice_id}/send", data=sending(LATE, delay_reason=reason))
    assert answer.status_code == 302
    assert stored(session, notice_id).delay_reason == reason


def test_acknowledgement_is_recorded(signed_in, session, obligation):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    signed_in.post(f"/notices/{notice_id}/send", data=sending())
    data = {
        "acknowledged_local": "2026-03-08T09:15",
        "acknowledged_zone": "America/New_York",
        "reference": "ACK-7",
    }
    assert signed_in.post(f"/notices/{notice_id}/acknowledge", data=data).status_code == 302

    notice = stored(session, notice_id)
    assert notice.status == "acknowledged"
    assert notice.acknowledged_at == datetime(2026, 3, 8, 13, 15, tzinfo=UTC)
    assert notice.reference == "ACK-7"


def test_closing_as_not_required_needs_counsel_and_a_reason(
    client, signed_in, session, obligation, login, responder, counsel
):
    row = obligation("us-ca/individuals")
    answer = signed_in.post(f"/obligations/{row.id}/not-required", data={"reason": ""})
    assert answer.status_code == 422
    assert refusal(answer.get_data(as_text=True), "not-required-errors") == (
        "Say why no notice is required; the reason is kept with the decision."
    )

    reason = "The exposed records were encrypted and the key was not taken."
    answer = signed_in.post(
        f"/obligations/{row.id}/not-required", data={"reason": reason}, follow_redirects=True
    )
    listing = section(answer.get_data(as_text=True), "notices")
    assert f"Not required : {reason} (decided by {counsel.name})" in listing

    signed_in.post("/logout")
    login(client, responder)
    other = obligation("gdpr/supervisory_authority")
    answer = client.post(f"/obligations/{other.id}/not-required", data={"reason": reason})
    assert answer.status_code == 403
    assert "cannot decide that a notice is not required" in answer.get_data(as_text=True)


def test_phased_law_takes_further_notices_others_do_not(signed_in, session, obligation):
    gdpr = obligation("gdpr/supervisory_authority")
    first = approved(signed_in, session, gdpr)
    signed_in.post(f"/notices/{first}/send", data=sending())
    second = draft(signed_in, gdpr)
    assert stored(session, second).sequence == 2
    assert stored(session, second).phase == "supplement"

    california = obligation("us-ca/individuals")
    notice_id = approved(signed_in, session, california)
    signed_in.post(f"/notices/{notice_id}/send", data=sending(reference="LTR-1"))
    answer = signed_in.post(f"/obligations/{california.id}/notices", data={"letter": "generic"})
    assert answer.status_code == 409
    assert refusal(answer.get_data(as_text=True), "draft-errors") == (
        "A notice for us-ca/individuals was already sent on 2026-03-08 12:00 UTC; this law "
        "does not provide for further phases."
    )


def test_a_recorded_notice_dates_the_chained_obligation(signed_in, session, obligation, incident):
    # Before the residents are told: 15 days after the latest date for telling them (30 days
    # after discovery on 2026-03-05), the end of 2026-04-19 in the legal time zone.
    before = obligation("us-ca/attorney_general").due_at
    assert before == datetime(2026, 4, 20, 3, 59, 59, 999999, tzinfo=UTC)

    notice_id = approved(signed_in, session, obligation("us-ca/individuals"))
    signed_in.post(f"/notices/{notice_id}/send", data=sending(reference="LTR-1"))

    session.rollback()
    facts = service.facts_with_notices(session, incident)
    assert facts.notices["us-ca/individuals"] == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    due = obligation("us-ca/attorney_general").due_at
    # 15 calendar days after the residents were told on 2026-03-08 (Cal. Civ. Code 1798.82(f)).
    assert due.astimezone(ZoneInfo("America/New_York")).date() == date(2026, 3, 23)
    html = signed_in.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Notice: Sent" in text_of(html)


def test_a_sent_notice_survives_a_change_of_facts(signed_in, session, obligation, incident, facts):
    gdpr = obligation("gdpr/supervisory_authority")
    notice_id = approved(signed_in, session, gdpr)
    signed_in.post(f"/notices/{notice_id}/send", data=sending())

    from tracker.incident.service import update_facts

    session.rollback()
    document = incident.facts_document
    document["events"]["discovered_at"] = "2026-03-04T09:30:00-05:00"
    update_facts(session, incident, document, None)
    session.commit()

    notice = stored(session, notice_id)
    assert notice.status == "sent"
    assert notice.obligation.due_at == datetime(2026, 3, 7, 14, 30, tzinfo=UTC)
    record = section(signed_in.get(f"/notices/{notice_id}").get_data(as_text=True), "record")
    assert "The facts changed after sending: the obligation is now due 2026-03-07 09:30" in record
    incident_page = text_of(signed_in.get(f"/incidents/{incident.id}").get_data(as_text=True))
    assert "the facts changed since: now due 2026-03-07 09:30" in incident_page


def test_a_withdrawn_obligation_keeps_its_notice_on_the_incident_page(
    signed_in, session, obligation, incident
):
    notice_id = approved(signed_in, session, obligation("us-ca/individuals"))
    signed_in.post(f"/notices/{notice_id}/send", data=sending(reference="LTR-1"))

    from tracker.incident.service import update_facts

    session.rollback()
    document = incident.facts_document
    document["affected"] = {"DE": 40}
    update_facts(session, incident, document, None)
    session.commit()

    html = text_of(signed_in.get(f"/incidents/{incident.id}").get_data(as_text=True))
    assert "The facts no longer give rise to this obligation; its notices stay on record." in html
    assert stored(session, notice_id).status == "sent"


def test_a_request_over_the_upload_limit_is_refused_beside_the_form(
    make_app, make_user, login, session, obligation
):
    client = make_app(MAX_UPLOAD_MB=1).test_client()
    login(client, make_user("counsel"))
    notice_id = approved(client, session, obligation("gdpr/supervisory_authority"))
    big = b"%PDF-" + b"x" * (1024 * 1024 + 10)
    answer = client.post(
        f"/notices/{notice_id}/send", data=sending(attachments=[(BytesIO(big), "big.pdf")])
    )

    assert answer.status_code == 413
    assert refusal(answer.get_data(as_text=True), "send-errors") == (
        "The files sent are larger than 1.0 MB together, the most one request may carry; "
        "send fewer or smaller files."
    )
    assert stored(session, notice_id).status == "approved"


def test_a_sending_before_the_incident_is_refused_beside_the_time(signed_in, session, obligation):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    answer = signed_in.post(f"/notices/{notice_id}/send", data=sending("2020-01-01T09:00"))

    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    beside = text_of(re.search(r'id="sent_local-errors">.*?</ul>', html, re.S).group(0))
    assert beside == 'id="sent_local-errors"> ' + (
        "The sending time 2020-01-01T09:00:00-05:00 is before the incident's occurrence on "
        "2026-03-01 10:00 EST; a notice cannot precede the incident it reports."
    )
    assert stored(session, notice_id).status == "approved"


def test_an_acknowledgement_before_the_sending_is_refused(signed_in, session, obligation):
    notice_id = approved(signed_in, session, obligation("gdpr/supervisory_authority"))
    signed_in.post(f"/notices/{notice_id}/send", data=sending())
    data = {"acknowledged_local": "2026-03-08T07:59", "acknowledged_zone": "America/New_York"}

    answer = signed_in.post(f"/notices/{notice_id}/acknowledge", data=data)

    assert answer.status_code == 422
    assert stored(session, notice_id).status == "sent"
