"""The Reports page (`ui.reports.page.ReportsPage`): choose, write, preview and save the reports of `app.reports`."""
