"""The pipeline stages: segmentation, quotes, speakers, signals, grounding, verification, policy."""
