"""Validation: the SHACL-to-SPARQL engine (:mod:`~pmgraph.validation.engine`: shapes compiled into
the checks of :mod:`~pmgraph.validation.checks`, SHACL-SPARQL queries read by
:mod:`~pmgraph.validation.prebinding`, the checks run by :mod:`~pmgraph.validation.running`), the
routing of a shape it cannot evaluate to pySHACL (:mod:`~pmgraph.validation.routing`), the check of
shapes graphs against SHACL-for-SHACL (:mod:`~pmgraph.validation.shapes_check`), any data against
any shapes (:mod:`~pmgraph.validation.shacl`), and the validator with its typed report
(:mod:`~pmgraph.validation.validator`)."""
