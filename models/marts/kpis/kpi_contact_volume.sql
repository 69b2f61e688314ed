-- Contact volume: every contact counted once per local contact date,
-- queue, channel and direction, split into the outcome buckets of
-- kpis.md's shared definitions.

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
        direction,
        {{ is_queued() }} as is_queued,
        {{ is_offered() }} as is_offered,
        {{ is_handled() }} as is_handled,
        {{ is_abandoned() }} as is_abandoned,
        {{ is_short_abandon() }} as is_short_abandon,
        direction = 'inbound' and outcome = 'blocked' as is_blocked,
        direction = 'inbound' and outcome = 'self_served' as is_self_served,
        direction = 'outbound' and outcome = 'answered'
            as is_outbound_connected
    from contacts

),

final as (

    select
        contact_date,
        queue,
        channel,
        direction,
        count(*) as contacts,
        count(case when is_queued then 1 end) as queued,
        count(case when is_offered then 1 end) as offered,
        count(case when is_handled then 1 end) as handled,
        count(case when is_abandoned then 1 end) as abandoned,
        count(case when is_short_abandon then 1 end) as short_abandons,
        count(case when is_blocked then 1 end) as blocked,
        count(case when is_self_served then 1 end) as self_served,
        count(case when is_outbound_connected then 1 end)
            as outbound_connected
    from classified
    group by 1, 2, 3, 4

)

select * from final
