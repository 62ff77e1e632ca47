"""Certificates: completion rules, numbering, PDF, verification, Open Badges."""
