-- Transfer rate: the share of handled (inbound answered) contacts that the
-- agent transferred to another queue, per local contact date, queue and
-- channel.

with

contacts as (

    select * from {{ ref('fct_contacts') }}

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
