-- Agent productivity per agent and local date: handled contacts (inbound
-- answered, attributed to the local date of answered_at, when the agent
-- worked them) per logged-in hour (every state but offline).

{{
    config(
        materialized=incremental_kpi(),
        unique_key='state_date',
    )
}}

with

contacts as (

    -- the local date of answered_at is on or after a date when
    -- answered_at_local is on or after its midnight: a plain column, which
    -- DuckDB compares while scanning (local_date() of 8M contacts: 1 s)
    {{ rows_of_rebuilt_dates(ref('fct_contacts'), 'answered_at_local', 'state_date') }}

),

state_intervals as (

    {{ rows_of_rebuilt_dates(ref('fct_agent_state_intervals'), 'state_date', 'state_date') }}

),

handled as (

    select
        agent_id,
        {{ local_date('answered_at') }} as state_date
    from contacts
    where {{ is_handled() }}

),

handled_by_day as (

    select
        agent_id,
        state_date,
        count(*) as handled_contacts
    from handled
    group by 1, 2

),

-- state time is already split at local midnight (and interval)
-- boundaries, so each slice adds to its own local date
logged_in_by_day as (

    select
        agent_id,
        state_date,
        sum(slice_seconds) as logged_in_seconds
    from state_intervals
    where {{ is_logged_in_state() }}
    group by 1, 2

),

joined as (

    select
        logged_in_by_day.agent_id,
        logged_in_by_day.state_date,
        coalesce(handled_by_day.handled_contacts, 0) as handled_contacts,
        logged_in_by_day.logged_in_seconds
    from logged_in_by_day
    left join handled_by_day
        on
            logged_in_by_day.agent_id = handled_by_day.agent_id
            and logged_in_by_day.state_date = handled_by_day.state_date
    -- kpis.md: agent-day rows exist where logged-in time > 0
    where logged_in_by_day.logged_in_seconds > 0

),

final as (

    select
        agent_id,
        state_date,
        handled_contacts,
        logged_in_seconds,
        logged_in_seconds / 3600.0 as logged_in_hours,
        {{ safe_ratio('handled_contacts', 'logged_in_seconds / 3600.0') }}
            as contacts_per_logged_in_hour
    from joined

)

select * from final
