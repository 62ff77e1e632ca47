"""People: staff manage accounts (search, edit, roles, deactivation, reset links); everyone
keeps a profile and may ask for a correction of the name printed on a certificate."""
