"""Reminders before each deadline, escalations once it is missed, and the mail outbox.

Reminders are rows (`models.Reminder`), each pointing at its subject by `target_kind` and
`target_id`. One sweep (`sweep.run_sweep`, run every minute by the scheduler in `tasks`, or
by `tracker reminders sweep --at INSTANT`) claims the due rows atomically, renders their
messages into the outbox (`models.MailMessage`) and delivers the outbox over SMTP (`mail`),
or keeps it for the outbox page when no SMTP server is configured.

Other packages add their own kinds of reminder through the registry in `targets`:

    from tracker.reminder.models import Reminder
    from tracker.reminder.targets import Outgoing, Skip, register_target, render_mail

    def render_custodian(session, reminder):          # inside the sweep's transaction
        custodian = session.get(Custodian, reminder.target_id)
        if custodian.acknowledged_at is not None:
            return Skip("the custodian acknowledged the hold")     # or None
        text, html = render_mail("mail/hold_reminder", custodian=custodian)
        return [Outgoing(custodian.email, "Legal hold: please confirm", text, html, "custodian")]

    register_target("custodian", render_custodian, follow=None)

- The package stores `Reminder(target_kind="custodian", target_id=..., step="ack-3d",
  kind="before"|"due"|"overdue", remind_at=..., deadline_at=..., incident_id=...)` rows
  itself (step and deadline_at together are unique per target), and cancels them with
  `service.cancel_target_reminders(session, kind, target_id, reason)`.
- `render(session, reminder)` returns a list of `Outgoing` (one e-mail per recipient; an
  empty list marks the reminder failed: nobody to tell), or None / `Skip(reason)` to mark it
  skipped. An exception marks that reminder failed, with its cause shown on the outbox page;
  the rest of the sweep goes on.
- `follow(session, reminder, at)`, when given, runs after a reminder went out and may add the
  next reminder of a chain (as the obligation target does for daily overdue reminders; use
  `policy.local_days_after` for cadences in local days).
- The module that calls `register_target` must be imported before the sweep: name it
  `tracker/<package>/reminders.py` and the sweep imports it, or import it from the
  package's `init_app`. Reminders of a kind nobody registered stay pending, untouched.
- When several reminders of one target and deadline fall due in the same sweep (nothing ran
  for a while), only the latest goes out; the earlier ones are marked skipped.
"""
