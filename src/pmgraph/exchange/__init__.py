"""Exchange between teams: merging files (:mod:`~pmgraph.exchange.merge`), differences between
versions (:mod:`~pmgraph.exchange.diff`), spreadsheets (:mod:`~pmgraph.exchange.spreadsheets`) and
JSON-LD (:mod:`~pmgraph.exchange.jsonld`)."""
