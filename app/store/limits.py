"""How long each free text may be, on every face: Graph's caps where Microsoft documents one (a
dynamic membership rule: 3,072 characters), the admin center's otherwise (a description: 1,024; an
imported device identity's details: 128). Names and identifiers are capped by their columns."""

DESCRIPTION = 1024
IDENTIFIER_DETAILS = 128
MEMBERSHIP_RULE = 3072
