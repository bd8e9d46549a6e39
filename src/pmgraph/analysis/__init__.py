"""Analyses of an organisation: role overlap and people's concurrent, conflicting roles
(:mod:`~pmgraph.analysis.overlap`), and role assignments as facts (:mod:`~pmgraph.analysis.assignments`)."""
