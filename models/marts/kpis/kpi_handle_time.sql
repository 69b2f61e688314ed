-- Average handle time (AHT) and its parts over handled (inbound answered)
-- contacts, per local contact date, queue and channel; with the share
-- handled within the handle-time target (var aht_target_seconds).

{{
    config(
        materialized=incremental_kpi(),
        unique_key='contact_date',
    )
}}

with

contacts as (

    {{ rows_of_rebuilt_dates(ref('fct_contacts'), 'contact_date', 'contact_date') }}

),

classified as (

    select
        {{ local_date('arrived_at') }} as contact_date,
        queue,
        channel,
        {{ is_handled() }} as is_handled,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        {{ handle_seconds() }} as handle_seconds
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_handled then 1 end) as handled,
        coalesce(sum(case when is_handled then talk_seconds end), 0)
            as total_talk_seconds,
        coalesce(sum(case when is_handled then hold_seconds end), 0)
            as total_hold_seconds,
        coalesce(sum(case when is_handled then acw_seconds end), 0)
            as total_acw_seconds,
        coalesce(sum(case when is_handled then handle_seconds end), 0)
            as total_handle_seconds,
        count(
            case
                when
                    is_handled
                    and handle_seconds <= {{ var('aht_target_seconds') }}
                    then 1
            end
        ) as within_target
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        handled,
        total_talk_seconds,
        total_hold_seconds,
        total_acw_seconds,
        total_handle_seconds,
        {{ safe_ratio('total_handle_seconds', 'handled') }} as aht_seconds,
        {{ safe_ratio('total_talk_seconds', 'handled') }} as avg_talk_seconds,
        {{ safe_ratio('total_hold_seconds', 'handled') }} as avg_hold_seconds,
        {{ safe_ratio('total_acw_seconds', 'handled') }} as avg_acw_seconds,
        total_talk_seconds + total_hold_seconds as total_talk_hold_seconds,
        {{ safe_ratio('total_hold_seconds',
            'total_talk_seconds + total_hold_seconds') }} as hold_ratio,
        within_target,
        {{ safe_ratio('within_target', 'handled') }} as within_target_rate,
        {{ var('aht_target_seconds') }} as aht_target_seconds
    from aggregated

)

select * from final
