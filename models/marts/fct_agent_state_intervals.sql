-- One row per agent, state interval and local staffing interval it
-- overlaps (states split at interval and midnight boundaries, macro
-- agent_state_slices).

-- Incremental, against the folder's table materialization: at a year of
-- history a daily load would otherwise rebuild every slice to add one day.
-- The rows have no key, so whole local dates are replaced (delete+insert
-- on state_date); a column change stops the run (on_schema_change)
-- instead of leaving old rows with another shape.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='state_date',
        on_schema_change='fail',
    )
}}

with

states as (

    select * from {{ ref('stg_agent_states') }}

),

{% if is_incremental() %}
    -- New and late states start at most var incremental_lookback_days
    -- before the last date already built, so the dates from there on are
    -- recomputed: every state that ends after the first of them starts is
    -- sliced (a state crossing midnight into a recomputed date brings its
    -- slices of that date, or the date would be replaced without them),
    -- and its slices of earlier dates are left out.
    previous_build as (

        select
            first_recomputed_date,
            -- the same bound as an instant, a day early (no time zone is a
            -- day off UTC): ended_at compared with it, a plain column, lets
            -- DuckDB leave the older states out while scanning, before
            -- to_local is computed for the rest (10M contacts: 25M states,
            -- 2.8 s -> 0.85 s); an empty table: every state
            coalesce(
                {{ from_local('cast(first_recomputed_date as timestamp)') }}
                - interval '1 day',
                cast('-infinity' as timestamptz)
            ) as ended_after
        from (
            select {{ first_rebuilt_date('state_date') }} as first_recomputed_date
            from {{ this }}
        ) as built

    ),

    recomputed_states as (

        select states.*
        from states
        cross join previous_build
        where
            states.ended_at > previous_build.ended_after
            and (
                -- an empty table: build everything
                previous_build.first_recomputed_date is null
                or {{ to_local('states.ended_at') }}
                > previous_build.first_recomputed_date
            )

    ),
{% else %}
    recomputed_states as (

        select * from states

    ),
{% endif %}

slices as (

    {{ agent_state_slices('recomputed_states') }}

),

recomputed as (

    select slices.*
    from slices
    {% if is_incremental() %}
        cross join previous_build
        where
            previous_build.first_recomputed_date is null
            or slices.state_date >= previous_build.first_recomputed_date
    {% endif %}

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
        slice_start_at,
        slice_start_local,
        slice_end_local,
        slice_seconds,
        {{ built_at() }} as built_at
    from recomputed

)

select * from final
