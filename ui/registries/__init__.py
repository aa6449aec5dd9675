"""The Registries page: prevention models, schools, service providers and hotlines."""
