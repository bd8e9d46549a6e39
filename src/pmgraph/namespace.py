"""``PM``: the pmgraph vocabulary as an rdflib namespace that fails on a misspelt term.

Generated from ``ontology/pmgraph.ttl`` by ``scripts/generate_namespace.py``; do not edit by hand.

>>> from pmgraph.namespace import PM
>>> PM.ProjectManager
rdflib.term.URIRef('https://w3id.org/pmgraph#ProjectManager')
>>> PM.ProjectManagr
Traceback (most recent call last):
...
AttributeError: term 'ProjectManagr' not in namespace 'https://w3id.org/pmgraph#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["PM"]


class PM(DefinedNamespace):
    """The terms of ``https://w3id.org/pmgraph#``."""

    _fail = True
    _NS = Namespace("https://w3id.org/pmgraph#")

    Accountable: URIRef  # Taking part in a responsibility by answering for its result and making the final
    accountableFor: URIRef  # Reference model: relates a role to a responsibility that a holder of the role an
    Active: URIRef  # Under way: work is being done now.
    actualCost: URIRef  # The money a scope has spent so far, in the same currency as its budget.
    agent: URIRef  # Relates a role or responsibility assignment to the person or team it is given to
    allocation: URIRef  # The share of a full-time person's working time that a role assignment takes, fro
    appliesTo: URIRef  # Relates a role to a kind of scope on which it may be held; a role with no such s
    BacklogManagement: URIRef  # Keeping a team's ordered list of work items clear, current and ready to be worke
    budget: URIRef  # The amount of money approved for a scope, as a number that is not negative.
    BudgetAdherence: URIRef  # How a project's spending compares with its approved budget.
    Budgeting: URIRef  # Planning, obtaining approval for and controlling the money a scope spends.
    Closed: URIRef  # Finished or stopped for good; for a project, formally ended.
    Consulted: URIRef  # Taking part in a responsibility by giving advice that is asked for before decisi
    consultedOn: URIRef  # Reference model: relates a role to a responsibility on which a holder of the rol
    ContinuousDelivery: URIRef  # A way of working, associated with DevOps, in which changes are built, tested and
    Deliverable: URIRef  # A distinct, checkable result that a project must hand over, such as a document,
    delivers: URIRef  # Relates a project or program to a product that it builds or changes.
    DeliveryCoordination: URIRef  # Lining up the work of several teams or projects so that they deliver together, e
    DeliveryEfficiency: URIRef  # How much a program delivers for the effort and money it uses across its projects
    dependsOn: URIRef  # Relates a project to another project whose results it needs before it can finish
    DirectorOfProduct: URIRef  # A Product Manager at director level who leads the strategy of a product or famil
    endDate: URIRef  # The last day on which a scope, a role assignment or a responsibility assignment
    Feature: URIRef  # A capability of a product that its users can see and use, built by a feature tea
    featureOf: URIRef  # Relates a feature to the product it belongs to.
    follows: URIRef  # Relates a project or team to a methodology that it works by.
    Funding: URIRef  # Providing the money for a scope and deciding whether it goes on being paid for.
    Informed: URIRef  # Taking part in a responsibility by being told of progress and decisions.
    informedOn: URIRef  # Reference model: relates a role to a responsibility on which a holder of the rol
    inProductLine: URIRef  # Relates a product to the product line or family it belongs to.
    Kanban: URIRef  # A way of working that makes the flow of work visible on a board and limits the w
    KPI: URIRef  # A measure, tracked over time against targets, that tells how well a scope is doi
    kpi: URIRef  # Relates a scope to a key performance indicator by which it is measured.
    KpiType: URIRef  # A kind of key performance indicator, such as revenue or delivery efficiency, tog
    kpiType: URIRef  # Relates a key performance indicator to its kind.
    LifecycleStatus: URIRef  # The stage a scope is in: planned, active, on hold or closed.
    MarketAnalysis: URIRef  # Studying a market, its users and its competitors to learn which problems are wor
    measuredBy: URIRef  # Relates an objective to a key performance indicator that shows whether it is bei
    measuredValue: URIRef  # The value actually observed in a measurement period.
    Measurement: URIRef  # The target and the measured value of a key performance indicator for one period,
    measurement: URIRef  # Relates a key performance indicator to one of its periodic measurements.
    memberOf: URIRef  # Relates a person to a team that they belong to.
    Methodology: URIRef  # A way of organising and carrying out the work that a project or team follows, su
    Objective: URIRef  # A result that a scope sets out to reach, stated so that its achievement can be j
    objective: URIRef  # Relates a scope to an objective it sets out to reach.
    OnHold: URIRef  # Started, then paused by decision, and expected to resume or to be closed.
    OutputPredictability: URIRef  # How closely what a program actually delivers in each period matches what it plan
    partOf: URIRef  # Relates a project to the program or portfolio it belongs to, or a program to its
    Person: URIRef  # A human being who works in or with the organisation and may hold roles on its sc
    Planned: URIRef  # Approved or proposed, with no work started yet.
    Portfolio: URIRef  # The whole set of projects and programs an organisation runs, managed together so
    PortfolioManager: URIRef  # The role that chooses and balances the projects and programs an organisation und
    portfolioManager: URIRef  # Short form: relates a portfolio to a person holding the Portfolio Manager role o
    PortfolioSelection: URIRef  # Choosing which projects and programs the organisation starts, continues or stops
    Post: URIRef  # A standing position in the organisation, such as the Director of Product of a pr
    post: URIRef  # Relates a role assignment to the standing post that it fills for its period.
    postRole: URIRef  # Relates a post to the role that its holder takes on.
    postScope: URIRef  # Relates a post to the scope on which its holder takes on the post's role.
    Prioritization: URIRef  # Deciding what is done first and what is not done at all, given limited means.
    produces: URIRef  # Relates a project or team to a deliverable that it hands over.
    Product: URIRef  # Whatever an organisation offers to a market to solve a problem or meet a want or
    ProductLeadership: URIRef  # Leading the people who manage products: giving them a shared direction and staff
    ProductLine: URIRef  # A family of related products managed together, often under one Director of Produ
    ProductManager: URIRef  # The role that drives a product's business outcome: it understands the market, se
    productManager: URIRef  # Short form: relates a product to a person holding the Product Manager role on it
    ProductMarketFit: URIRef  # How far a product solves a problem that its market is ready to pay for, shown by
    ProductOwner: URIRef  # The role that serves a feature or Scrum team: it analyses needs, writes the requ
    productOwner: URIRef  # Short form: relates a product or team to a person holding the Product Owner role
    ProductStrategy: URIRef  # Choosing which market problems a product solves and how it wins, so that it reac
    Program: URIRef  # A group of related projects run together to build an efficient, predictable deli
    ProgramManager: URIRef  # The role that runs a program: it coordinates the delivery of several related pro
    programManager: URIRef  # Short form: relates a program to a person holding the Program Manager role on it
    Programme: URIRef  # The British spelling used for programs by drafts before pmgraph 0.1; deprecated
    Project: URIRef  # A temporary piece of work, with a start and an end, undertaken to reach defined
    ProjectDelivery: URIRef  # Reaching a project's objectives: bringing about the outcome the project was star
    ProjectManager: URIRef  # The role given by the organisation that carries out a project to reach the proje
    projectManager: URIRef  # Short form: relates a project to a person holding the Project Manager role on it
    QualityLevel: URIRef  # How well what a project produces meets its quality requirements, for instance as
    QualityManagement: URIRef  # Making sure that what is produced meets the agreed requirements and standards.
    raci: URIRef  # Relates a responsibility assignment to its RACI level.
    RaciLevel: URIRef  # One of the four ways of taking part in a responsibility: responsible, accountabl
    realizedBy: URIRef  # Relates a roadmap item to a project or deliverable that brings it about.
    reportsTo: URIRef  # Relates a person to the person they report to in the line organisation.
    RequirementsAnalysis: URIRef  # Working out what users need and writing it down as requirements a team can build
    Resourcing: URIRef  # Finding the people and other means the work needs and following up what each has
    Responsibility: URIRef  # A kind of work or decision that someone must take charge of on a scope, such as
    responsibility: URIRef  # Relates a responsibility assignment to the responsibility it is about.
    ResponsibilityAssignment: URIRef  # The fact that an agent takes part in a responsibility on a scope at one RACI lev
    Responsible: URIRef  # Taking part in a responsibility by doing the work.
    responsibleFor: URIRef  # Reference model: relates a role to a responsibility whose work a holder of the r
    Revenue: URIRef  # The money a product earns in a period; the usual measure of a product's business
    RiskManagement: URIRef  # Finding what could go wrong with the work and deciding how to prevent it or less
    Roadmap: URIRef  # A plan over time of how a product or program is to evolve, made of dated items;
    roadmap: URIRef  # Relates a product or program to its roadmap.
    RoadmapItem: URIRef  # One planned step of a roadmap, such as a theme or a release, with the period in
    roadmapItem: URIRef  # Relates a roadmap to one of its items.
    Roadmapping: URIRef  # Laying out over time how a product or program will evolve, and keeping that plan
    Role: URIRef  # A kind of position that a person or team can hold on a scope, such as Product Ma
    role: URIRef  # Relates a role assignment to the role that it gives.
    RoleAssignment: URIRef  # The fact that an agent holds a role on a scope over a period of time, with an op
    Scheduling: URIRef  # Setting the timeline and deadlines of the work and keeping the work to them.
    Scope: URIRef  # Something whose work an organisation manages and to which roles and responsibili
    scope: URIRef  # Relates a role or responsibility assignment to the portfolio, program, project,
    ScopeCompletion: URIRef  # The share of the agreed work of a project that has been delivered.
    Scrum: URIRef  # An agile framework in which a small team with a Product Owner and a Scrum Master
    ScrumMaster: URIRef  # The role that helps a Scrum team work well: it facilitates the team's events and
    Sponsor: URIRef  # The role of the person or group who provides the money and backing for a project
    Stakeholder: URIRef  # The role of anyone who affects or is affected by a scope and is therefore consul
    StakeholderReporting: URIRef  # Telling the people concerned how the work is progressing and which problems it m
    startDate: URIRef  # The first day on which a scope, a role assignment or a responsibility assignment
    status: URIRef  # Relates a scope to the lifecycle stage it is in now.
    targetValue: URIRef  # The value a measurement period aims for.
    Team: URIRef  # A group of people working together on a product or a project, such as a feature
    TeamFacilitation: URIRef  # Helping a team follow its way of working and removing the obstacles that slow it
    Timeliness: URIRef  # Whether a project meets its deadlines and milestones.
    typicalFor: URIRef  # Relates a KPI type to the kind of scope it is usually used to measure.
    unit: URIRef  # The unit in which a key performance indicator's values are given, such as EUR, p
    Waterfall: URIRef  # A plan-driven way of working in which a project moves through requirements, desi
    worksOn: URIRef  # Relates a team to a product or project that it builds or carries out.
