"""Each curation action as one call on a connection, in one transaction with its audit log entry and (for the
actions that change facts) its one call to the change feed. What the API and the CLI use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec

from neo4j import ManagedTransaction

from kg.curation import entity_actions, fact_actions, merging
from kg.curation.records import Outcome
from kg.curation.regroup import FactRules
from kg.store.connection import GraphConnection
from kg.store.schema import apply_schema
from kg.store.writer import derived_fact_properties, recompute_facts

P = ParamSpec("P")
WRITER_RULES = FactRules(derive=derived_fact_properties, recompute=recompute_facts)


class Curator:
    """Curation actions on one graph, done by `by` (a person's name, "api", "cli")."""

    def __init__(self, conn: GraphConnection, by: str) -> None:
        self.conn, self.by = conn, by
        self._schema_ready = False

    def _run(self, action: Callable[Concatenate[ManagedTransaction, P], Outcome], *args: P.args,
             **kwargs: P.kwargs) -> Outcome:
        if not self._schema_ready:
            apply_schema(self.conn)
            self._schema_ready = True

        def work(tx: ManagedTransaction) -> Outcome:
            outcome = action(tx, *args, **kwargs)
            if outcome.changes.all_ids():
                outcome.changes.record(tx)
            return outcome

        return self.conn.write(work)

    def merge(self, into: str, merge: str, why: str) -> Outcome:
        return self._run(merging.merge_entities, into, merge, WRITER_RULES, by=self.by, why=why)

    def split(self, entity: str, merged: str, why: str) -> Outcome:
        return self._run(merging.split_entities, entity, merged, WRITER_RULES, by=self.by, why=why)

    def rename(self, entity: str, name: str, why: str) -> Outcome:
        return self._run(entity_actions.rename_entity, entity, name, by=self.by, why=why)

    def retype(self, entity: str, type_name: str, why: str) -> Outcome:
        return self._run(entity_actions.retype_entity, entity, type_name, by=self.by, why=why)

    def alias(self, entity: str, alias: str, why: str) -> Outcome:
        return self._run(entity_actions.add_alias, entity, alias, by=self.by, why=why)

    def wikidata(self, entity: str, wikidata_id: str, why: str) -> Outcome:
        return self._run(entity_actions.set_wikidata_id, entity, wikidata_id, by=self.by, why=why)

    def reject(self, fact_id: str, why: str) -> Outcome:
        return self._run(fact_actions.reject_fact, fact_id, recompute_facts, by=self.by, why=why)

    def confirm(self, fact_id: str, why: str) -> Outcome:
        return self._run(fact_actions.confirm_fact, fact_id, by=self.by, why=why)
