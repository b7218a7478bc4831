// Lists accounts with all their properties and their size: stakeholders and the contacts who cover them.
// $account_id: one account's id, or null for all
// Columns: id, name, industry, mapping_goal, updated_on, customer_type, stage, lifecycle, owner_team,
//   owner_id, intent, revenue_12m, first_deal_on, last_inquiry_on, renewal_intent, required_roles,
//   size_band, founded_on, address, first_contact_on, products, total_amount, last_deal_on, term, grade,
//   satisfaction, risks, opportunities, profit_share, average_order, transactions_6m,
//   recorded_interactions_6m, growth_notes, tenure_months, complaints_12m, tier, size_text, tier_basis,
//   strategy, core_needs, key_contact, notes, people, contacts
MATCH (a:Account)
WHERE $account_id IS NULL OR a.id = $account_id
OPTIONAL MATCH (p:Person {account_id: a.id})
OPTIONAL MATCH (c:Contact)-[:COVERS]->(p)
WITH a, count(DISTINCT p) AS people, count(DISTINCT c) AS contacts
RETURN a.id AS id, a.name AS name, a.industry AS industry, a.mapping_goal AS mapping_goal,
       a.updated_on AS updated_on, a.customer_type AS customer_type, a.stage AS stage,
       a.lifecycle AS lifecycle, a.owner_team AS owner_team, a.owner_id AS owner_id, a.intent AS intent,
       a.revenue_12m AS revenue_12m, a.first_deal_on AS first_deal_on, a.last_inquiry_on AS last_inquiry_on,
       a.renewal_intent AS renewal_intent, a.required_roles AS required_roles, a.size_band AS size_band,
       a.founded_on AS founded_on, a.address AS address, a.first_contact_on AS first_contact_on,
       a.products AS products, a.total_amount AS total_amount, a.last_deal_on AS last_deal_on, a.term AS term,
       a.grade AS grade, a.satisfaction AS satisfaction, a.risks AS risks, a.opportunities AS opportunities,
       a.profit_share AS profit_share, a.average_order AS average_order, a.transactions_6m AS transactions_6m,
       a.recorded_interactions_6m AS recorded_interactions_6m, a.growth_notes AS growth_notes,
       a.tenure_months AS tenure_months, a.complaints_12m AS complaints_12m, a.tier AS tier,
       a.size_text AS size_text, a.tier_basis AS tier_basis, a.strategy AS strategy, a.core_needs AS core_needs,
       a.key_contact AS key_contact, a.notes AS notes, people, contacts
ORDER BY name, id
