-- One row per agent state interval and local staffing interval it touches:
-- a state that crosses an interval boundary or local midnight is split so
-- that every metric bucketing time sums the seconds of its own bucket
-- (kpis.md, "Agent state time is split at interval and local-midnight
-- boundaries"). Intervals divide the hour, so midnight is a boundary too.

with

states as (

    select * from {{ ref('stg_agent_states') }}

),

buckets as (

    select
        agent_id,
        state,
        is_logged_in,
        started_at_local,
        ended_at_local,
        {{ unnest_interval_starts('started_at_local', 'ended_at_local') }}
            as interval_start_local
    from states

),

clipped as (

    select
        agent_id,
        state,
        is_logged_in,
        interval_start_local,
        greatest(started_at_local, interval_start_local) as slice_start_local,
        least(
            ended_at_local,
            {{ dbt.dateadd('minute', var('interval_minutes'), 'interval_start_local') }}
        ) as slice_end_local
    from buckets

),

final as (

    select
        agent_id,
        state,
        is_logged_in,
        state in ('on_contact', 'acw') as is_handling,
        state = 'available' as is_available,
        cast(interval_start_local as date) as state_date,
        interval_start_local,
        slice_start_local,
        slice_end_local,
        {{ seconds_between('slice_start_local', 'slice_end_local') }}
            as slice_seconds
    from clipped
    -- an interval ending exactly on a boundary touches the next bucket
    -- for zero seconds
    where slice_end_local > slice_start_local

)

select * from final
