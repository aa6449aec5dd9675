"""The Overview page: targets against goals, what needs attention, the year's work in charts."""
