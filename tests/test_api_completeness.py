"""Everything a user can do in the web interface can be done through the JSON API.

WEB_TO_API maps each web endpoint to the API endpoint that does the same, or to WEB_ONLY with
the reason it has none. A new page or form fails the test until it is declared here.
"""

from __future__ import annotations

WEB_ONLY = "web only"

WEB_TO_API: dict[str, str | tuple[str, str]] = {
    # The shell and signing in: sessions are the browser's; the API authenticates by token.
    "index": (WEB_ONLY, "a redirect to the first page"),
    "static": (WEB_ONLY, "the stylesheet"),
    "healthz": (WEB_ONLY, "the health check, itself JSON"),
    "auth.login": (WEB_ONLY, "the API signs in by bearer token"),
    "auth.logout": (WEB_ONLY, "the API revokes a token instead"),
    "auth.setup": (WEB_ONLY, "the one-time link for the first administrator"),
    "auth.account": "api.list_tokens",
    "auth.sign_out_everywhere": (WEB_ONLY, "browser sessions; tokens are revoked one by one"),
    "auth.incident_access": "api.put_access",
    # Incidents.
    "incident.index": "api.list_incidents",
    "incident.create": "api.create_incident",
    "incident.show": "api.get_incident",
    "incident.facts": "api.get_facts",
    "incident.save_facts": "api.put_facts",
    "incident.download_facts": "api.get_facts",
    "incident.upload_facts": "api.put_facts",
    "incident.change_status": "api.change_status",
    "incident.add_entry": "api.add_timeline_entry",
    "incident.update_impact": "api.change_impact",
    # Reports.
    "report.export": "report.api_export",
    "report.download": "report.api_download",
    "report.job": "report.api_record",
    "report.verify": "report.api_verify",
    # Evidence.
    "evidence.index": "api.get_evidence",
    "evidence.create": "api.create_evidence",
    "evidence.show": "api.get_evidence",
    "evidence.transfer": "api.add_transfer",
    "evidence.upload": "api.upload_evidence",
    # Legal holds.
    "hold.index": "api.list_holds",
    "hold.create": "api.create_hold",
    "hold.show": "api.get_hold",
    "hold.issue": "api.issue_hold",
    "hold.scope": "api.change_scope",
    "hold.add_person": "api.add_custodian",
    "hold.release_person": "api.release_custodian",
    "hold.release": "api.release_hold",
    "hold_notice.notice": (WEB_ONLY, "the custodian's own page, opened from the e-mail link"),
    # Notices and obligations.
    "notice.obligation": "api.get_obligation",
    "notice.create": "api.draft_notice",
    "notice.not_required": "api.not_required",
    "notice.show": "api.get_notice",
    "notice.edit": "api.edit_notice",
    "notice.approve": "api.approve_notice",
    "notice.send": "api.send_notice",
    "notice.acknowledge": "api.acknowledge_notice",
    "notice.add_attachments": "api.add_attachments",
    "notice.download": "api.download_attachment",
    "notice.recipients": "api.recipients",
    "incident.what_if": "api.deadlines",
    "regimes.index": (WEB_ONLY, "docs/regimes.md lists the same"),
    "regimes.show": (WEB_ONLY, "docs/regimes.md lists the same"),
    # The board, metrics and calendar feeds.
    "board.index": "api.list_obligations",
    "board.metrics_page": "api.get_metrics",
    "board.incident_download": (WEB_ONLY, "an iCalendar file, itself machine-readable"),
    "board.user_feed": (WEB_ONLY, "an iCalendar feed, itself machine-readable"),
    "board.incident_feed": (WEB_ONLY, "an iCalendar feed, itself machine-readable"),
    "board.make_feed": "api.make_feed",
    "board.revoke_feed": "api.revoke_feed",
    # The compliance calendar and plan reports.
    "plan.calendar_page": "api.get_calendar",
    "plan.add_duty": "api.add_duty",
    "plan.duty_owner": "api.duty_owner",
    "plan.task_page": "api.get_task",
    "plan.complete_task": "api.complete_task",
    "plan.add_evidence": "api.add_evidence",
    "plan.download_evidence": "api.download_evidence",
    "plan.plan_reports": "api.list_plan_reports",
    "plan.plan_report": "api.get_plan_report",
    "plan.plan_report_pdf": "api.plan_report_pdf",
    "plan.audit_pack": "api.audit_pack",
    "reminder_policy.policy": "api.save_reminder_policy",
    "reminder_policy.delete_policy_view": "api.delete_reminder_policy",
    # Playbooks, checklists, post-mortems and exercises.
    "plan.tick": "api.tick_step",
    "plan.untick": "api.untick_step",
    "plan.resolve_override": "api.resolve_override",
    "plan.playbooks": "api.list_playbooks",
    "plan.edit_playbook": "api.put_playbook",
    "plan.reset_playbook": "api.reset_playbook",
    "plan.post_mortem": "api.get_post_mortem",
    "plan.open_post_mortem": "api.open_post_mortem",
    "plan.save_agenda": "api.save_agenda",
    "plan.answer_why": "api.answer_why",
    "plan.complete_post_mortem": "api.complete_post_mortem",
    "plan.add_action": "api.add_action",
    "plan.action_status": "api.action_status",
    "plan.post_mortem_report": "api.post_mortem_report",
    "plan.overdue": "api.overdue_actions",
    "plan.exercises": "api.list_exercises",
    "plan.new_exercise": "api.create_exercise",
    # Analysis of public breach records.
    "stats.index": "api.get_analysis",
    "stats.chart_svg": (WEB_ONLY, "a chart of the analysis page"),
    # The outbox, for administrators and counsel.
    "reminder.outbox": (WEB_ONLY, "the outbox is an operator's page"),
    "reminder.message": (WEB_ONLY, "the outbox is an operator's page"),
    "reminder.message_html": (WEB_ONLY, "the outbox is an operator's page"),
    "reminder.retry": (WEB_ONLY, "the outbox is an operator's page"),
}


def web_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if not rule.rule.startswith("/api/")}


def test_every_page_and_form_has_its_api_route_or_says_why_not(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = sorted(web_endpoints(app) - set(WEB_TO_API))
    stale = sorted(set(WEB_TO_API) - web_endpoints(app))
    missing_api = sorted(
        f"{web} -> {api}"
        for web, api in WEB_TO_API.items()
        if isinstance(api, str) and api not in endpoints
    )

    assert not undeclared, (
        f"Web endpoints {undeclared} have no entry in WEB_TO_API in "
        "tests/test_api_completeness.py: name the API endpoint that does the same, or "
        "(WEB_ONLY, reason)."
    )
    assert not stale, f"WEB_TO_API names endpoints the application does not serve: {stale}"
    assert not missing_api, f"API endpoints named but not served: {missing_api}"
    for web, api in WEB_TO_API.items():
        if not isinstance(api, str):
            assert api[0] == WEB_ONLY and api[1], web
