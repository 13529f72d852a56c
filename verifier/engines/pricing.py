"""pricing: what a run cost, from a table of hosted models' list prices.

Prices are US dollars per million tokens (input, output), OpenAI's list prices for standard
(not batch) requests as published in 2025; check https://openai.com/api/pricing before relying on
them. A model not in the table, or any server other than api.openai.com (a local or self-hosted
model), has no price: `cost_usd` is then None, shown as null in the report.
"""

from __future__ import annotations

from urllib.parse import urlparse

OPENAI_HOST = "api.openai.com"
BATCH_DISCOUNT = 0.5  # the Batch API's price, as a fraction of the list price

# model -> (input $/1M tokens, output $/1M tokens)
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "o3": (2.00, 8.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
}


def price_for(model: str | None, base_url: str | None) -> tuple[float, float] | None:
    """(input, output) price per million tokens, or None for unknown or self-hosted models."""
    if not model or not is_openai(base_url):
        return None
    if model in PRICES:
        return PRICES[model]
    # Dated snapshots ("gpt-4o-mini-2024-07-18") cost what their family costs: longest prefix wins.
    family = max((name for name in PRICES if model.startswith(name + "-")), key=len, default=None)
    return PRICES[family] if family else None


def cost_usd(model: str | None, base_url: str | None, prompt_tokens: int,
             completion_tokens: int, batch: bool = False) -> float | None:
    """Dollars for the given tokens, rounded to 1/1,000,000 of a dollar; None when unpriced.
    `batch`: the tokens went through the Batch API, at its discount."""
    price = price_for(model, base_url)
    if price is None:
        return None
    scale = BATCH_DISCOUNT if batch else 1.0
    return round((prompt_tokens * price[0] + completion_tokens * price[1]) * scale / 1_000_000, 6)


def is_openai(base_url: str | None) -> bool:
    """True for OpenAI's own API (no base URL configured means OpenAI)."""
    return base_url is None or urlparse(base_url).hostname == OPENAI_HOST
