"""The incident response plan: playbooks, post-mortems and their actions, drills, the calendar."""
