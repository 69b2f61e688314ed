-- Utilization per agent and local date: the share of logged-in time (every
-- state but offline) spent handling contacts (on_contact + acw).

{{
    config(
        materialized=incremental_kpi(),
        unique_key='state_date',
    )
}}

with

state_intervals as (

    {{ rows_of_rebuilt_dates(ref('fct_agent_state_intervals'), 'state_date', 'state_date') }}

),

-- state time is already split at local midnight (and interval)
-- boundaries, so each slice adds to its own local date
aggregated as (

    select
        agent_id,
        state_date,
        sum(case when {{ is_handling_state() }} then slice_seconds else 0 end)
            as handling_seconds,
        sum(case when {{ is_logged_in_state() }} then slice_seconds else 0 end)
            as logged_in_seconds
    from state_intervals
    group by 1, 2

),

final as (

    select
        agent_id,
        state_date,
        handling_seconds,
        logged_in_seconds,
        {{ safe_ratio('handling_seconds', 'logged_in_seconds') }}
            as utilization
    from aggregated
    -- kpis.md: agent-day rows exist where logged-in time > 0
    where logged_in_seconds > 0

)

select * from final
