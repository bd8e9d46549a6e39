"""What pmgraph shows people: the HTML report (:mod:`~pmgraph.render.report`), the ontology
reference (:mod:`~pmgraph.render.reference`), and how things are named (:mod:`~pmgraph.render.names`)."""
