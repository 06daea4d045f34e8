"""Claim checks for docs/<lang>/common-problems/."""
