"""Pure cleaning functions: strings and records in, strings and records out.

One module per concern; ``pipeline`` composes them into ``Page -> Article | Rejection``.
Nothing here reads files or knows about Prefect.
"""
