-- One row per agent, state interval and local staffing interval it
-- overlaps (states split at interval and midnight boundaries).

with

slices as (

    select * from {{ ref('int_agent_state_slices') }}

),

final as (

    select
        agent_id,
        state,
        is_logged_in,
        is_handling,
        is_available,
        state_date,
        interval_start_local,
        slice_start_local,
        slice_end_local,
        slice_seconds
    from slices

)

select * from final
