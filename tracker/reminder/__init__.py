"""Reminders before each deadline, escalations once it is missed, and the mail outbox."""
