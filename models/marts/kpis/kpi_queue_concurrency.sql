-- Queue concurrency ("active waiting contacts"): per local staffing
-- interval (var interval_minutes), queue and channel, the average and the
-- peak number of contacts waiting in queue at the same time, and the
-- average number in service with an agent. Time is attributed to the
-- interval it was spent in (not to the arrival interval): each waiting
-- and in-service span is split at interval boundaries, as agent states
-- are.

-- As a table (var kpi_materialization), incremental like
-- fct_agent_state_intervals: at a year of history a daily load would
-- otherwise split every span of the year again. Whole local dates are
-- replaced (delete+insert on interval_date).
{{
    config(
        materialized=incremental_kpi(),
        unique_key='interval_date',
    )
}}

-- The contacts and their spans are read twice (by queue_channels and by the
-- slices): NOT MATERIALIZED scans fct_contacts twice instead of DuckDB
-- writing every span aside first (10M contacts, incremental: 1.9 s -> 1 s).
with

contacts as not materialized (

    select * from {{ ref('fct_contacts') }}

),

-- waiting: queued_at to answered_at (answered) or ended_at (abandoned,
-- short abandons included); in service: answered_at to ended_at of
-- handled (inbound answered) contacts. Spans are cut and measured in
-- instants and labelled in local time (agent_state_slices does the
-- same), so that a daylight-saving change neither stretches nor drops an
-- hour.
spans as not materialized (

    select
        queue,
        channel,
        'waiting' as span_type,
        queued_at as span_start_at,
        coalesce(answered_at, ended_at) as span_end_at
    from contacts
    where {{ is_queued() }}

    union all

    select
        queue,
        channel,
        'in_service' as span_type,
        answered_at as span_start_at,
        ended_at as span_end_at
    from contacts
    where {{ is_handled() }}

),

-- every queue and channel with a waiting or in-service contact: a span
-- with a length has a slice with seconds, a zero wait is no wait
queue_channels as (

    select distinct
        queue,
        channel
    from spans
    where span_end_at > span_start_at

),

{% if is_incremental() %}
    -- Contacts arrive at most var incremental_lookback_days before the last
    -- date already built, so the dates from there on are recomputed from
    -- the spans that reach into them. A queue or channel that appears or
    -- disappears changes the zero rows of every date: then everything is.
    changed_queue_channels as (

        select count(*) as changed_queue_channels
        from (
            (
                select
                    queue,
                    channel
                from queue_channels
                except
                select
                    queue,
                    channel
                from {{ this }}
            )
            union all
            (
                select
                    queue,
                    channel
                from {{ this }}
                except
                select
                    queue,
                    channel
                from queue_channels
            )
        ) as changed

    ),

    previous_build as (

        select
            case
                when max(changed_queue_channels.changed_queue_channels) = 0
                    then {{ from_local(
                        'cast(' ~ first_rebuilt_date('built.interval_date')
                        ~ ' as timestamp)'
                    ) }}
            end as first_recomputed_at,
            min(built.interval_start_at) as built_first_interval_start_at
        from {{ this }} as built
        cross join changed_queue_channels

    ),

    recomputed_spans as not materialized (

        select spans.*
        from spans
        cross join previous_build
        where
            -- an empty table: build everything
            previous_build.first_recomputed_at is null
            or spans.span_end_at > previous_build.first_recomputed_at

    ),
{% else %}
    recomputed_spans as not materialized (

        select * from spans

    ),
{% endif %}

buckets as (

    select
        queue,
        channel,
        span_type,
        span_start_at,
        span_end_at,
        {{ unnest_interval_start_instants('span_start_at', 'span_end_at') }}
            as interval_start_at
    from recomputed_spans

),

slices as (

    select
        queue,
        channel,
        span_type,
        interval_start_at,
        {{ clip_to_interval('span_start_at', 'span_end_at') }}
    from buckets

),

positive_slices as (

    select
        queue,
        channel,
        span_type,
        interval_start_at,
        slice_start_at,
        slice_end_at,
        {{ seconds_between('slice_start_at', 'slice_end_at') }}
            as slice_seconds
    from slices
    -- a span ending exactly on a boundary touches the next interval for
    -- zero seconds; a zero wait is no wait
    where slice_end_at > slice_start_at

),

{% if is_incremental() %}
    -- the slices of the recomputed dates, not those of earlier dates of a
    -- span reaching into them
    recomputed_slices as (

        select positive_slices.*
        from positive_slices
        cross join previous_build
        where
            previous_build.first_recomputed_at is null
            or positive_slices.interval_start_at
            >= previous_build.first_recomputed_at

    ),
{% else %}
    recomputed_slices as (

        select * from positive_slices

    ),
{% endif %}

-- +1 when a waiting slice starts, -1 when it ends; at the same instant
-- the ends come first (spans are half-open), so that a contact leaving
-- the queue as another joins is not counted as two waiting at once. Both
-- events come from one read of the slices: a union of two reads cut every
-- span into slices twice.
waiting_events as (

    select
        queue,
        channel,
        interval_start_at,
        unnest({{ list_of(['slice_start_at', 'slice_end_at']) }}) as event_at,
        unnest({{ list_of(['1', '-1']) }}) as delta
    from recomputed_slices
    where span_type = 'waiting'

),

-- the events of one instant and sign summed first: they are peers in the
-- running sum anyway, and slices cut at the same boundary share their
-- instants, so the sum sorts 4.5M rows instead of 39M. With the single
-- read above: 10M contacts, full build, 42.1 s -> 21.5 s.
waiting_changes as (

    select
        queue,
        channel,
        interval_start_at,
        event_at,
        delta,
        sum(delta) as level_change
    from waiting_events
    group by 1, 2, 3, 4, 5

),

waiting_levels as (

    select
        queue,
        channel,
        interval_start_at,
        sum(level_change) over (
            partition by queue, channel, interval_start_at
            order by event_at asc, delta asc
        ) as contacts_waiting
    from waiting_changes

),

peaks as (

    select
        queue,
        channel,
        interval_start_at,
        cast(max(contacts_waiting) as {{ dbt.type_bigint() }})
            as peak_contacts_waiting
    from waiting_levels
    group by 1, 2, 3

),

seconds_by_interval as (

    select
        queue,
        channel,
        interval_start_at,
        sum(case when span_type = 'waiting' then slice_seconds else 0 end)
            as waiting_seconds,
        sum(case when span_type = 'in_service' then slice_seconds else 0 end)
            as in_service_seconds
    from recomputed_slices
    group by 1, 2, 3

),

-- every interval from the first to the last one with a waiting or
-- in-service contact, for every queue and channel that had one, so that
-- averages re-aggregate over rows with zeros
bounds as (

    select
        {{ first_rebuilt_interval(
            'min(seconds_by_interval.interval_start_at)',
            'max(previous_build.first_recomputed_at)',
            'max(previous_build.built_first_interval_start_at)'
        ) }} as first_interval_start_at,
        max(seconds_by_interval.interval_start_at) as last_interval_start_at
    from seconds_by_interval
    {% if is_incremental() %}
        cross join previous_build
    {% endif %}

),

intervals as (

    select
        {{ unnest_interval_start_instants(
            'first_interval_start_at', 'last_interval_start_at'
        ) }} as interval_start_at
    from bounds

),

final as (

    select
        intervals.interval_start_at,
        {{ to_local('intervals.interval_start_at') }} as interval_start_local,
        cast({{ to_local('intervals.interval_start_at') }} as date)
            as interval_date,
        queue_channels.queue,
        queue_channels.channel,
        {{ var('interval_minutes') }} * 60 as interval_seconds,
        coalesce(seconds_by_interval.waiting_seconds, 0) as waiting_seconds,
        cast(coalesce(seconds_by_interval.waiting_seconds, 0) as double)
        / ({{ var('interval_minutes') }} * 60) as avg_contacts_waiting,
        coalesce(peaks.peak_contacts_waiting, 0) as peak_contacts_waiting,
        coalesce(seconds_by_interval.in_service_seconds, 0)
            as in_service_seconds,
        cast(coalesce(seconds_by_interval.in_service_seconds, 0) as double)
        / ({{ var('interval_minutes') }} * 60) as avg_contacts_in_service
    from intervals
    cross join queue_channels
    left join seconds_by_interval
        on
            intervals.interval_start_at
            = seconds_by_interval.interval_start_at
            and queue_channels.queue = seconds_by_interval.queue
            and queue_channels.channel = seconds_by_interval.channel
    left join peaks
        on
            intervals.interval_start_at = peaks.interval_start_at
            and queue_channels.queue = peaks.queue
            and queue_channels.channel = peaks.channel

)

select * from final
