"""Claim checks: tests/claims/<section>/test_<page>.py backs the statements of docs/<lang>/<section>/<page>.md
(tools/claims.py explains the markers)."""
