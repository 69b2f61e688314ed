-- How far from the handle-time target do contacts run? Each queue and
-- channel's 30-second buckets with their share and cumulative share; the
-- cumulative share of the last bucket marked under_target is the share
-- handled strictly within the target (a contact at the target is in it).

with

distribution as (

    select * from {{ ref('kpi_handle_time_distribution') }}

),

positioned as (

    select
        queue,
        channel,
        bucket_start_seconds,
        bucket_end_seconds,
        handled,
        cumulative_handled,
        total_handled,
        aht_target_seconds,
        case
            when is_target_bucket then 'target_bucket'
            when bucket_end_seconds <= aht_target_seconds then 'under_target'
            else 'over_target'
        end as target_position,
        sum(
            case
                when bucket_end_seconds <= aht_target_seconds then handled
                else 0
            end
        ) over (partition by queue, channel) as handled_under_target
    from distribution

),

final as (

    select
        queue,
        channel,
        bucket_start_seconds,
        bucket_end_seconds,
        target_position,
        handled,
        cumulative_handled,
        total_handled,
        round({{ safe_ratio('handled', 'total_handled') }}, 4)
            as handled_share,
        round({{ safe_ratio('cumulative_handled', 'total_handled') }}, 4)
            as cumulative_share,
        round({{ safe_ratio('handled_under_target', 'total_handled') }}, 4)
            as share_under_target,
        aht_target_seconds
    from positioned

)

select * from final
order by 1, 2, 3
