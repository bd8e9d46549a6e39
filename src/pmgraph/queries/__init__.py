"""Questions in SPARQL: the shipped ``.rq`` files of this folder, one question each, and the code
that runs them with checked parameters (:mod:`~pmgraph.queries.questions`)."""
