-- Self-service rate: the share of contacts finished in IVR / self-service
-- among those that ended either there or with an agent, per local contact
-- date and queue, all channels together (kpis.md).

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
        direction = 'inbound' and outcome = 'self_served' as is_self_served,
        {{ is_handled() }} as is_handled
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        count(case when is_self_served then 1 end) as self_served,
        count(case when is_handled then 1 end) as handled
    from classified
    group by 1, 2

),

final as (

    select
        contact_date,
        queue,
        self_served,
        handled,
        self_served + handled as self_served_or_handled,
        {{ safe_ratio('self_served', 'self_served + handled') }}
            as self_service_rate
    from aggregated

)

select * from final
