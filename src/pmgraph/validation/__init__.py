"""Validation against pmgraph's rules: the SHACL-to-SPARQL engine (:mod:`~pmgraph.validation.engine`)
and the validator with its pySHACL path and typed report (:mod:`~pmgraph.validation.validator`)."""
