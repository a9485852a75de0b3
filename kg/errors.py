"""One exception root for the project's own errors.

Every message is a sentence a person can act on: what is wrong, and what to do next.
"""


class KgError(Exception):
    """Root of every error the project raises on purpose."""


class ConfigurationError(KgError):
    """A setting is missing or contradicts another."""


class Neo4jProvisioningError(KgError):
    """The local Neo4j could not be downloaded or laid out (Java, Maven, disk)."""


class Neo4jStartError(KgError):
    """The local Neo4j did not start or did not answer in time."""


class Neo4jUnavailableError(KgError):
    """No Neo4j answers at the configured address."""


class Neo4jAuthError(KgError):
    """Neo4j refused the configured credentials."""


class OntologyViolation(KgError):
    """A fact or entity breaks the vocabulary (unknown predicate, wrong types, malformed qualifier)."""


class InputError(KgError):
    """An input file or payload cannot be read as an article."""


class GraphQueryError(KgError):
    """Neo4j refused a query or an operation (a constraint, a syntax error, a timeout); `code` is Neo4j's status
    code (Neo.ClientError.Schema.ConstraintValidationFailed, ...)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class UnsafeQueryError(KgError):
    """A user's Cypher query was refused because it could write or escape."""
