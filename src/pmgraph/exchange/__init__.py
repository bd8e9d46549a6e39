"""Exchange between teams: merging files (:mod:`~pmgraph.exchange.merge`), differences between
versions (:mod:`~pmgraph.exchange.diff`), spreadsheets (:mod:`~pmgraph.exchange.spreadsheets`),
JSON-LD (:mod:`~pmgraph.exchange.jsonld`), and data in other vocabularies, W3C ORG, schema.org, DOAP
and PROJ (:mod:`~pmgraph.exchange.vocabularies`, with its mappings in ``mappings/``)."""
