"""Legal holds: scope, custodians and system owners, notices, acknowledgements, release."""
