"""The JSON API under /api/v1: bearer tokens, facts in and out, errors that name the field."""
