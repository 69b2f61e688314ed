{#- The start of the var('interval_minutes') interval holding a local
    timestamp. Intervals divide the hour, so each local midnight starts
    one. -#}
{% macro floor_to_interval(timestamp_local) -%}
    {{ dbt.dateadd(
        'minute',
        '(floor(extract(minute from ' ~ timestamp_local ~ ') / '
            ~ var('interval_minutes') ~ ') * ' ~ var('interval_minutes') ~ ')',
        dbt.date_trunc('hour', timestamp_local)
    ) }}
{%- endmacro %}

{#- A ratio that is null, never an error, when its denominator is 0. -#}
{% macro safe_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif({{ denominator }}, 0))
{%- endmacro %}

{#- One row per agent state of `states` (agent_id, state, is_logged_in,
    started_at, ended_at) and local staffing interval it touches, clipped
    to that interval. Slices are cut and measured in instants and labelled
    in local time, so that a daylight-saving change neither stretches nor
    drops an hour. A full build of fct_agent_state_intervals slices every
    state, an incremental run only the states that reach into the dates it
    rebuilds. -#}
{% macro agent_state_slices(states) -%}
    with

    buckets as (

        select
            agent_id,
            state,
            is_logged_in,
            started_at,
            ended_at,
            {{ unnest_interval_start_instants('started_at', 'ended_at') }}
                as interval_start_at
        from {{ states }}

    ),

    clipped as (

        select
            agent_id,
            state,
            is_logged_in,
            interval_start_at,
            {{ to_local('interval_start_at') }} as interval_start_local,
            {{ clip_to_interval('started_at', 'ended_at') }}
        from buckets

    )

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
{%- endmacro %}

{#- The first interval a KPI whose rows run from the first to the last
    active interval writes: `first_active` in a full build or a view; in an
    incremental run `first_recomputed` (the start of its first rebuilt
    date, null when it rebuilds everything), active or not, as a full build
    has it, but never before the first interval of all (`first_active` or
    `first_built`, the first one already built). -#}
{% macro first_rebuilt_interval(first_active, first_recomputed, first_built) -%}
    {% if is_incremental() -%}
        case
            when {{ first_recomputed }} is null then {{ first_active }}
            else greatest(
                {{ first_recomputed }},
                least({{ first_active }}, {{ first_built }})
            )
        end
    {%- else -%}
        {{ first_active }}
    {%- endif %}
{%- endmacro %}

{#- The slice of a span [start_at, end_at) inside the interval that starts
    at interval_start_at (from unnest_interval_start_instants), as the
    columns slice_start_at and slice_end_at. -#}
{% macro clip_to_interval(start_at, end_at) -%}
    greatest({{ start_at }}, interval_start_at) as slice_start_at,
    least({{ end_at }}, {{ interval_end_at('interval_start_at') }})
        as slice_end_at
{%- endmacro %}
