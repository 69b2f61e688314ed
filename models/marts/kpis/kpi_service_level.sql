-- Service level: the share of offered contacts answered within T seconds
-- (var service_level_seconds), per local contact date, queue and channel.

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
        {{ is_offered() }} as is_offered,
        {{ is_answered_within_threshold() }} as is_answered_within_threshold
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_answered_within_threshold then 1 end)
            as answered_within_threshold,
        count(case when is_offered then 1 end) as offered
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        answered_within_threshold,
        offered,
        {{ safe_ratio('answered_within_threshold', 'offered') }} as service_level,
        {{ var('service_level_target') }} as service_level_target,
        {{ safe_ratio('answered_within_threshold', 'offered') }}
        >= {{ var('service_level_target') }} as meets_target
    from aggregated

)

select * from final
