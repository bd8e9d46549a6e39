"""Analyses of an organisation, a module for each question a reader asks.

- Which role types share responsibilities: :mod:`~pmgraph.analysis.role_overlap`.
- Who holds overlapping or conflicting roles at once: :mod:`~pmgraph.analysis.people_overlap`, with
  gaps and duplicates of accountability (:mod:`~pmgraph.analysis.accountability`) and people's load
  and key people (:mod:`~pmgraph.analysis.workload`), from the facts of
  :mod:`~pmgraph.analysis.people_facts`.
- Both, and the graph joining them (GraphML): :mod:`~pmgraph.analysis.overlap`, which names every
  public name of the two analyses.
- What they share: reading the organisation (:mod:`~pmgraph.analysis.reading`) and periods of days
  (:mod:`~pmgraph.analysis.periods`); role assignments as rdflib facts for the rules and exchanges
  (:mod:`~pmgraph.analysis.assignments`).
"""
