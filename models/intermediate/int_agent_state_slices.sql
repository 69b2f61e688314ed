-- One row per agent state interval and local staffing interval it touches:
-- a state that crosses an interval boundary or local midnight is split so
-- that every metric bucketing time sums the seconds of its own bucket
-- (kpis.md, "Agent state time is split at interval and local-midnight
-- boundaries"). Intervals divide the hour, so midnight is a boundary too.
-- Slices are cut and measured in instants and labelled in local time, so
-- that a daylight-saving change neither stretches nor drops an hour.

with

states as (

    select * from {{ ref('stg_agent_states') }}

),

buckets as (

    select
        agent_id,
        state,
        is_logged_in,
        started_at,
        ended_at,
        {{ unnest_interval_start_instants('started_at', 'ended_at') }}
            as interval_start_at
    from states

),

clipped as (

    select
        agent_id,
        state,
        is_logged_in,
        interval_start_at,
        {{ to_local('interval_start_at') }} as interval_start_local,
        greatest(started_at, interval_start_at) as slice_start_at,
        least(
            ended_at,
            {{ dbt.dateadd('minute', var('interval_minutes'), 'interval_start_at') }}
        ) as slice_end_at
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
        slice_start_at,
        -- no offset changes inside an interval: arithmetic, not a time
        -- zone lookup per row; the end may fall on the next offset
        interval_start_local + (slice_start_at - interval_start_at)
            as slice_start_local,
        {{ to_local('slice_end_at') }} as slice_end_local,
        {{ seconds_between('slice_start_at', 'slice_end_at') }}
            as slice_seconds
    from clipped
    -- a state ending exactly on a boundary touches the next interval for
    -- zero seconds
    where slice_end_at > slice_start_at

)

select * from final
