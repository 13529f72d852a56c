"""The data model: the report contract, the rule catalogue, errors and settings."""
