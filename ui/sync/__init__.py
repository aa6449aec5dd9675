"""The Sync page (`ui.sync.page.SyncPage`): enrolment, packages up the tree, receipts, province mode."""
