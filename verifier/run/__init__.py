"""Running the pipeline over one article or many: batches, resumption, deadlines."""
