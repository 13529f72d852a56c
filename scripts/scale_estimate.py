"""What an archive costs with the llm engine: requests, tokens, batch files and dollars.

    python scripts/scale_estimate.py [--articles 100000] [--completion-tokens 700] [--model M ...]

Plans the requests the llm engine would send for a sample of real news texts (the PolNeAR dev
texts from ../shared/ when present, else the example articles), exactly as `verifier batch
submit` plans them (the same request bodies), and scales the figures to `--articles` articles:
requests, prompt tokens (estimated with the engine's tokenizer-free estimate of 4 characters a
token over the whole request body: messages and response schema), completion tokens (an
assumption, `--completion-tokens` per request: the answer's length depends on the model), the
number of batch files at the API's limits, and the cost at list and batch prices from
`verifier.engines.pricing`. No request is sent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
from pathlib import Path

from verifier.engines import pricing
from verifier.engines.chunking import estimate_tokens
from verifier.engines.llm import LLMExtractor
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import batch
from verifier.stages import segment

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "eval" / "external" / "polnear" / "polnear_dev_subset.jsonl"


def sample() -> tuple[str, list[tuple[str, str]]]:
    if POLNEAR.exists():
        docs = [json.loads(x)["text"] for x in POLNEAR.read_text(encoding="utf-8").splitlines() if x]
        return "PolNeAR dev texts", [(f"polnear-{i}.txt", t) for i, t in enumerate(docs)]
    return "example articles", [(p.name, p.read_text(encoding="utf-8"))
                                for p in sorted((ROOT / "examples").iterdir())
                                if p.is_file() and p.suffix in (".txt", ".html")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--completion-tokens", type=int, default=700)
    parser.add_argument("--model", nargs="+", default=["gpt-4o-mini", "gpt-4.1-mini", "gpt-5-mini", "gpt-4o"])
    opts = parser.parse_args()
    kind, docs = sample()
    # the client insists on a key even though no call is made
    settings = Settings(engine="llm", model=opts.model[0], cache=False, api_key="sk-estimate-only")
    requests = prompt = line_bytes = words = 0
    with contextlib.closing(LLMExtractor(settings)) as extractor:
        for name, text in docs:
            article = load.load_text(text, path=name)
            words += len(text.split())
            for planned in extractor.plan_requests(article, segment.segment(article)):
                body = extractor.request_body(planned)
                requests += 1
                prompt += estimate_tokens(json.dumps({k: body[k] for k in ("messages", "tools") if k in body},
                                                     ensure_ascii=False))
                line_bytes += len(batch._request_line(planned.key, body))
    scale = opts.articles / len(docs)
    total_requests = requests * scale
    total_prompt = prompt * scale
    total_completion = total_requests * opts.completion_tokens
    per_file = min(batch.MAX_REQUESTS, batch.MAX_FILE_BYTES // (line_bytes / requests))
    print(f"sample: {len(docs)} {kind}, {words / len(docs):.0f} words per article")
    print(f"per article: {requests / len(docs):.2f} requests, {prompt / len(docs):,.0f} prompt tokens "
          f"(estimated), {opts.completion_tokens * requests / len(docs):,.0f} completion tokens (assumed)")
    print(f"{opts.articles:,} articles: {total_requests:,.0f} requests, {total_prompt / 1e6:,.1f}M prompt "
          f"tokens, {total_completion / 1e6:,.1f}M completion tokens")
    print(f"batch files: {line_bytes / requests / 1000:.1f} KB a request, so {per_file:,.0f} requests a file "
          f"(limits {batch.MAX_REQUESTS:,} requests, {batch.MAX_FILE_BYTES / 1e6:.0f} MB): "
          f"{math.ceil(total_requests / per_file)} files")
    print(f"{'model':14s} {'list price':>12s} {'batch price':>12s}")
    for model in opts.model:
        full = pricing.cost_usd(model, None, round(total_prompt), round(total_completion))
        half = pricing.cost_usd(model, None, round(total_prompt), round(total_completion), batch=True)
        print(f"{model:14s} {'$' + format(full or 0, ',.0f'):>12s} {'$' + format(half or 0, ',.0f'):>12s}")


if __name__ == "__main__":
    main()
