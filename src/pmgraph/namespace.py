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
    agent: URIRef  # Relates a role or responsibility assignment to the person or team it is given to
    allocation: URIRef  # The share of a full-time person's working time that a role assignment takes, fro
    appliesTo: URIRef  # Relates a role to a kind of scope on which it may be held; a role with no such s
    BacklogManagement: URIRef  # Keeping a team's ordered list of work items clear, current and ready to be worke
    budget: URIRef  # The amount of money approved for a scope, as a number that is not negative.
    Budgeting: URIRef  # Planning, obtaining approval for and controlling the money a scope spends.
    Consulted: URIRef  # Taking part in a responsibility by giving advice that is asked for before decisi
    consultedOn: URIRef  # Reference model: relates a role to a responsibility on which a holder of the rol
    delivers: URIRef  # Relates a project or program to a product that it builds or changes.
    DeliveryCoordination: URIRef  # Lining up the work of several teams or projects so that they deliver together, e
    dependsOn: URIRef  # Relates a project to another project whose results it needs before it can finish
    DirectorOfProduct: URIRef  # A Product Manager at director level who leads the strategy of a product or famil
    endDate: URIRef  # The last day on which a scope, a role assignment or a responsibility assignment
    Funding: URIRef  # Providing the money for a scope and deciding whether it goes on being paid for.
    Informed: URIRef  # Taking part in a responsibility by being told of progress and decisions.
    informedOn: URIRef  # Reference model: relates a role to a responsibility on which a holder of the rol
    MarketAnalysis: URIRef  # Studying a market, its users and its competitors to learn which problems are wor
    memberOf: URIRef  # Relates a person to a team that they belong to.
    partOf: URIRef  # Relates a project to the program or portfolio it belongs to, or a program to its
    Person: URIRef  # A human being who works in or with the organisation and may hold roles on its sc
    Portfolio: URIRef  # The whole set of projects and programs an organisation runs, managed together so
    PortfolioManager: URIRef  # The role that chooses and balances the projects and programs an organisation und
    portfolioManager: URIRef  # Short form: relates a portfolio to a person holding the Portfolio Manager role o
    PortfolioSelection: URIRef  # Choosing which projects and programs the organisation starts, continues or stops
    Prioritization: URIRef  # Deciding what is done first and what is not done at all, given limited means.
    Product: URIRef  # Whatever an organisation offers to a market to solve a problem or meet a want or
    ProductLeadership: URIRef  # Leading the people who manage products: giving them a shared direction and staff
    ProductManager: URIRef  # The role that drives a product's business outcome: it understands the market, se
    productManager: URIRef  # Short form: relates a product to a person holding the Product Manager role on it
    ProductOwner: URIRef  # The role that serves a feature or Scrum team: it analyses needs, writes the requ
    productOwner: URIRef  # Short form: relates a product or team to a person holding the Product Owner role
    ProductStrategy: URIRef  # Choosing which market problems a product solves and how it wins, so that it reac
    Program: URIRef  # A group of related projects run together to build an efficient, predictable deli
    ProgramManager: URIRef  # The role that runs a program: it coordinates the delivery of several related pro
    programManager: URIRef  # Short form: relates a program to a person holding the Program Manager role on it
    Project: URIRef  # A temporary piece of work, with a start and an end, undertaken to reach defined
    ProjectDelivery: URIRef  # Reaching a project's objectives: bringing about the outcome the project was star
    ProjectManager: URIRef  # The role given by the organisation that carries out a project to reach the proje
    projectManager: URIRef  # Short form: relates a project to a person holding the Project Manager role on it
    QualityManagement: URIRef  # Making sure that what is produced meets the agreed requirements and standards.
    raci: URIRef  # Relates a responsibility assignment to its RACI level.
    RaciLevel: URIRef  # One of the four ways of taking part in a responsibility: responsible, accountabl
    reportsTo: URIRef  # Relates a person to the person they report to in the line organisation.
    RequirementsAnalysis: URIRef  # Working out what users need and writing it down as requirements a team can build
    Resourcing: URIRef  # Finding the people and other means the work needs and following up what each has
    Responsibility: URIRef  # A kind of work or decision that someone must take charge of on a scope, such as
    responsibility: URIRef  # Relates a responsibility assignment to the responsibility it is about.
    ResponsibilityAssignment: URIRef  # The fact that an agent takes part in a responsibility on a scope at one RACI lev
    Responsible: URIRef  # Taking part in a responsibility by doing the work.
    responsibleFor: URIRef  # Reference model: relates a role to a responsibility whose work a holder of the r
    RiskManagement: URIRef  # Finding what could go wrong with the work and deciding how to prevent it or less
    Roadmapping: URIRef  # Laying out over time how a product or program will evolve, and keeping that plan
    Role: URIRef  # A kind of position that a person or team can hold on a scope, such as Product Ma
    role: URIRef  # Relates a role assignment to the role that it gives.
    RoleAssignment: URIRef  # The fact that an agent holds a role on a scope over a period of time, with an op
    Scheduling: URIRef  # Setting the timeline and deadlines of the work and keeping the work to them.
    Scope: URIRef  # Something whose work an organisation manages and to which roles and responsibili
    scope: URIRef  # Relates a role or responsibility assignment to the portfolio, program, project,
    ScrumMaster: URIRef  # The role that helps a Scrum team work well: it facilitates the team's events and
    Sponsor: URIRef  # The role of the person or group who provides the money and backing for a project
    Stakeholder: URIRef  # The role of anyone who affects or is affected by a scope and is therefore consul
    StakeholderReporting: URIRef  # Telling the people concerned how the work is progressing and which problems it m
    startDate: URIRef  # The first day on which a scope, a role assignment or a responsibility assignment
    Team: URIRef  # A group of people working together on a product or a project, such as a feature
    TeamFacilitation: URIRef  # Helping a team follow its way of working and removing the obstacles that slow it
    worksOn: URIRef  # Relates a team to a product or project that it builds or carries out.
