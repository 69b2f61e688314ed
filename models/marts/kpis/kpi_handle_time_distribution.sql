-- Handle-time distribution: handled (inbound answered) contacts per
-- 30-second handle-time bucket, by queue and channel over the whole period,
-- with the share, the cumulative share and the bucket holding the target
-- (var aht_target_seconds).

{#- kpis.md fixes the bucket width at 30 seconds. -#}
{% set bucket_seconds = 30 %}

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

handled as (

    select
        queue,
        channel,
        cast(
            floor({{ handle_seconds() }} / {{ bucket_seconds }}) as integer
        ) as bucket_index
    from contacts
    where {{ is_handled() }}

),

bucket_counts as (

    select
        queue,
        channel,
        bucket_index,
        count(*) as handled
    from handled
    group by 1, 2, 3

),

queue_channels as (

    select
        queue,
        channel,
        max(bucket_index) as max_bucket_index
    from bucket_counts
    group by 1, 2

),

-- every bucket from 0 up to the last one used or the target's, so that the
-- histogram has no gaps and the target bucket always has a row
buckets as (

    select
        queue,
        channel,
        unnest({{ number_series(
            '0',
            'greatest(max_bucket_index, cast(floor('
                ~ var('aht_target_seconds') ~ ' / ' ~ bucket_seconds
                ~ ') as integer))',
            '1'
        ) }}) as bucket_index
    from queue_channels

),

filled as (

    select
        buckets.queue,
        buckets.channel,
        buckets.bucket_index,
        coalesce(bucket_counts.handled, 0) as handled
    from buckets
    left join bucket_counts
        on
            buckets.queue = bucket_counts.queue
            and buckets.channel = bucket_counts.channel
            and buckets.bucket_index = bucket_counts.bucket_index

),

cumulated as (

    select
        queue,
        channel,
        bucket_index,
        handled,
        sum(handled) over (
            partition by queue, channel
            order by bucket_index
            rows between unbounded preceding and current row
        ) as cumulative_handled,
        sum(handled) over (partition by queue, channel) as total_handled
    from filled

),

final as (

    select
        queue,
        channel,
        bucket_index * {{ bucket_seconds }} as bucket_start_seconds,
        (bucket_index + 1) * {{ bucket_seconds }} as bucket_end_seconds,
        handled,
        cumulative_handled,
        total_handled,
        {{ safe_ratio('handled', 'total_handled') }} as handled_share,
        {{ safe_ratio('cumulative_handled', 'total_handled') }}
            as cumulative_share,
        {{ var('aht_target_seconds') }} >= bucket_index * {{ bucket_seconds }}
        and {{ var('aht_target_seconds') }}
        < (bucket_index + 1) * {{ bucket_seconds }} as is_target_bucket,
        {{ var('aht_target_seconds') }} as aht_target_seconds
    from cumulated

)

select * from final
