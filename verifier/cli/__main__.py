"""`python -m verifier.cli`: the same command as the `verifier` console script."""

from verifier.cli.cli import main

main()
