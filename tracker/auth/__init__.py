"""Users, roles, sign-in, API tokens and the first administrator's setup link."""
