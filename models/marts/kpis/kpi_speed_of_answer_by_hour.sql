-- The response-time heatmap: ASA and service level per queue, channel,
-- local ISO day of week and local hour of day, over the whole period.

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

classified as (

    select
        queue,
        channel,
        -- fct_contacts' local attribution: converting every contact's
        -- arrival here twice was half of this model's time at 10M
        contact_iso_day_of_week as iso_day_of_week,
        contact_hour as hour_of_day,
        {{ is_handled() }} as is_handled,
        {{ wait_seconds() }} as wait_seconds,
        {{ is_offered() }} as is_offered,
        {{ is_answered_within_threshold() }} as is_answered_within_threshold
    from contacts

),

aggregated as (

    select
        queue,
        channel,
        iso_day_of_week,
        hour_of_day,
        count(case when is_handled then 1 end) as handled,
        coalesce(sum(case when is_handled then wait_seconds end), 0)
            as handled_wait_seconds,
        count(case when is_answered_within_threshold then 1 end)
            as answered_within_threshold,
        count(case when is_offered then 1 end) as offered
    from classified
    group by 1, 2, 3, 4

),

final as (

    select
        queue,
        channel,
        iso_day_of_week,
        hour_of_day,
        handled,
        handled_wait_seconds,
        {{ safe_ratio('handled_wait_seconds', 'handled') }} as asa_seconds,
        answered_within_threshold,
        offered,
        {{ safe_ratio('answered_within_threshold', 'offered') }} as service_level,
        {{ var('service_level_target') }} as service_level_target,
        {{ safe_ratio('answered_within_threshold', 'offered') }}
        >= {{ var('service_level_target') }} as meets_target
    from aggregated

)

select * from final
