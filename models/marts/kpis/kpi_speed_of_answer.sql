-- Average speed of answer (ASA): the mean wait of handled contacts, with
-- its median and 90th percentile, per local contact date, queue and
-- channel.

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
        {{ wait_seconds() }} as wait_seconds
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_handled then 1 end) as handled,
        coalesce(sum(case when is_handled then wait_seconds end), 0)
            as handled_wait_seconds,
        {{ quantile_cont('case when is_handled then wait_seconds end', 0.5) }}
            as wait_p50_seconds,
        {{ quantile_cont('case when is_handled then wait_seconds end', 0.9) }}
            as wait_p90_seconds
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        handled,
        handled_wait_seconds,
        {{ safe_ratio('handled_wait_seconds', 'handled') }} as asa_seconds,
        wait_p50_seconds,
        wait_p90_seconds
    from aggregated

)

select * from final
