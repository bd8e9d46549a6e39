"""Exchange between teams: merging files (:mod:`~pmgraph.exchange.merge`), differences between
versions (:mod:`~pmgraph.exchange.diff`), spreadsheets (the rows of a CSV file or a workbook's
sheet: :mod:`~pmgraph.exchange.sheets`; what their names refer to:
:mod:`~pmgraph.exchange.vocabulary`; RACI matrices in: :mod:`~pmgraph.exchange.raci_matrix`; RACI
out and role assignments in: :mod:`~pmgraph.exchange.spreadsheets`; a portfolio workbook:
:mod:`~pmgraph.exchange.workbook`), JSON-LD (:mod:`~pmgraph.exchange.jsonld`), and data in other
vocabularies, W3C ORG, schema.org, DOAP and PROJ (:mod:`~pmgraph.exchange.vocabularies`, with its
mappings in ``mappings/``)."""
