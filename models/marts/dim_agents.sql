-- One row per agent: every agent of the roster, plus agents that handled
-- contacts or logged states without being in the roster yet (rosters lag
-- behind the platform), flagged by is_in_roster.

with

roster as (

    select * from {{ ref('stg_agents') }}

),

contacts as (

    select * from {{ ref('stg_contacts') }}

),

states as (

    select * from {{ ref('stg_agent_states') }}

),

seen_agents as (

    select agent_id from contacts
    where agent_id is not null
    union
    select agent_id from states
    union
    select agent_id from roster

),

final as (

    select
        seen_agents.agent_id,
        roster.agent_id is not null as is_in_roster,
        roster.full_name_hash,
        roster.team,
        roster.site,
        roster.hired_on,
        roster.left_on,
        roster.hourly_cost,
        roster.cost_currency
    from seen_agents
    left join roster
        on seen_agents.agent_id = roster.agent_id

)

select * from final
