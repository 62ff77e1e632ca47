"""The audit log: who did what to whom, from which value to which."""
