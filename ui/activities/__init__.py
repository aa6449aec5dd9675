"""The Activities page: the list of prevention work and the form for each activity."""
