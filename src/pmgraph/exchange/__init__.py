"""Exchange between teams: merging files (:mod:`~pmgraph.exchange.merge`), differences between
versions (:mod:`~pmgraph.exchange.diff`), spreadsheets (the rows of a CSV file or a workbook's
sheet: :mod:`~pmgraph.exchange.sheets`; what their names refer to:
:mod:`~pmgraph.exchange.vocabulary`; RACI matrices in: :mod:`~pmgraph.exchange.raci_matrix`; RACI
out and role assignments in: :mod:`~pmgraph.exchange.spreadsheets`) and JSON-LD
(:mod:`~pmgraph.exchange.jsonld`)."""
