// Deletes those of these interactions that no stakeholder takes part in any more (after a person is
// deleted or erased): an interaction is always with someone at the customer.
// $ids: interaction ids
// Columns: deleted
UNWIND $ids AS interaction_id
MATCH (i:Interaction {id: interaction_id})
WHERE NOT (i)-[:WITH]->(:Person)
DETACH DELETE i
RETURN count(*) AS deleted
