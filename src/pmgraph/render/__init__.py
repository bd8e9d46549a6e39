"""What pmgraph shows people: the HTML report (:mod:`~pmgraph.render.report`), the ontology
reference (:mod:`~pmgraph.render.reference`), how things are named (:mod:`~pmgraph.render.names`),
and validation findings for CI systems, GitHub's and SARIF's (:mod:`~pmgraph.render.findings`)."""
