"""Benchmarks against the budgets of DESIGN §8. Run: uv run python -m bench"""
