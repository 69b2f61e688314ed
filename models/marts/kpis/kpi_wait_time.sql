-- Wait time: the mean and the longest wait of every queued contact,
-- answered or abandoned (short abandons included: they queued too), per
-- local contact date, queue and channel.

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
        {{ is_queued() }} as is_queued,
        {{ wait_seconds() }} as wait_seconds
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_queued then 1 end) as queued,
        coalesce(sum(case when is_queued then wait_seconds end), 0)
            as queued_wait_seconds,
        max(case when is_queued then wait_seconds end) as max_wait_seconds
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        queued,
        queued_wait_seconds,
        {{ safe_ratio('queued_wait_seconds', 'queued') }} as avg_wait_seconds,
        max_wait_seconds
    from aggregated

)

select * from final
