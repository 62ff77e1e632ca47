"""Accounts, roles, signing in and out."""
