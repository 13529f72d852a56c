"""Reading input: articles, sources, transcripts, HTML, Markdown and changed-since ranges."""
