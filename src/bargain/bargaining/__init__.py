"""Closed-form bargaining theory with numeric and symbolic twins (placeholder)."""
