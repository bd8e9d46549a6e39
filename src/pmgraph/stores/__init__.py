"""Where an organisation's graph lives: in memory, in an on-disk store (:mod:`~pmgraph.stores.disk`),
or behind a SPARQL endpoint (:mod:`~pmgraph.stores.endpoint`)."""
