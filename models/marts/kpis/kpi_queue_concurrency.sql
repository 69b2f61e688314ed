-- Queue concurrency ("active waiting contacts"): per local staffing
-- interval (var interval_minutes), queue and channel, the average and the
-- peak number of contacts waiting in queue at the same time, and the
-- average number in service with an agent. Time is attributed to the
-- interval it was spent in (not to the arrival interval): each waiting
-- and in-service span is split at interval boundaries, as agent states
-- are.

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

-- waiting: queued_at to answered_at (answered) or ended_at (abandoned,
-- short abandons included); in service: answered_at to ended_at of
-- handled (inbound answered) contacts. Spans are cut and measured in
-- instants and labelled in local time (agent_state_slices does the
-- same), so that a daylight-saving change neither stretches nor drops an
-- hour.
spans as (

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

buckets as (

    select
        queue,
        channel,
        span_type,
        span_start_at,
        span_end_at,
        {{ unnest_interval_start_instants('span_start_at', 'span_end_at') }}
            as interval_start_at
    from spans

),

slices as (

    select
        queue,
        channel,
        span_type,
        interval_start_at,
        greatest(span_start_at, interval_start_at) as slice_start_at,
        least(
            span_end_at,
            {{ dbt.dateadd('minute', var('interval_minutes'), 'interval_start_at') }}
        ) as slice_end_at
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

-- +1 when a waiting slice starts, -1 when it ends; at the same instant
-- the ends come first (spans are half-open), so that a contact leaving
-- the queue as another joins is not counted as two waiting at once
waiting_events as (

    select
        queue,
        channel,
        interval_start_at,
        slice_start_at as event_at,
        1 as delta
    from positive_slices
    where span_type = 'waiting'

    union all

    select
        queue,
        channel,
        interval_start_at,
        slice_end_at as event_at,
        -1 as delta
    from positive_slices
    where span_type = 'waiting'

),

waiting_levels as (

    select
        queue,
        channel,
        interval_start_at,
        sum(delta) over (
            partition by queue, channel, interval_start_at
            order by event_at asc, delta asc
        ) as contacts_waiting
    from waiting_events

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
    from positive_slices
    group by 1, 2, 3

),

-- every interval from the first to the last one with a waiting or
-- in-service contact, for every queue and channel that had one, so that
-- averages re-aggregate over rows with zeros
bounds as (

    select
        min(interval_start_at) as first_interval_start_at,
        max(interval_start_at) as last_interval_start_at
    from seconds_by_interval

),

intervals as (

    select
        {{ unnest_interval_start_instants(
            'first_interval_start_at', 'last_interval_start_at'
        ) }} as interval_start_at
    from bounds

),

queue_channels as (

    select distinct
        queue,
        channel
    from seconds_by_interval

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
