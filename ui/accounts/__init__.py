"""The administrator's desk for accounts, one's own password, and the way back in with the recovery key."""
