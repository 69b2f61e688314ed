-- Transfer rate: the share of handled (inbound answered) contacts that the
-- agent transferred to another queue, per local contact date, queue and
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
        -- kpis.md: any non-null transferred_to_queue is a transfer
        transferred_to_queue is not null as is_transferred
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_handled and is_transferred then 1 end)
            as transferred,
        count(case when is_handled then 1 end) as handled
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        transferred,
        handled,
        {{ safe_ratio('transferred', 'handled') }} as transfer_rate
    from aggregated

)

select * from final
