"""Reading and writing RDF: files to pyoxigraph and rdflib (:mod:`~pmgraph.rdf.reading`),
serialisation and atomic writes (:mod:`~pmgraph.rdf.writing`), terms both ways
(:mod:`~pmgraph.rdf.terms`), blank-node labels (:mod:`~pmgraph.rdf.blank_nodes`), and the
limits that keep hostile input from crashing a parser (:mod:`~pmgraph.rdf.limits`,
:mod:`~pmgraph.rdf.syntax_check`), and where files state given statements, to place findings
(:mod:`~pmgraph.rdf.places`)."""
