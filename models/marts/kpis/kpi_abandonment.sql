-- Abandonment: abandoned contacts (short abandons excluded) over offered
-- contacts, and lost contacts (every abandon), per local contact date,
-- queue and channel.

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
        {{ is_offered() }} as is_offered,
        {{ is_abandoned() }} as is_abandoned,
        {{ is_short_abandon() }} as is_short_abandon,
        {{ is_queued() }} and outcome = 'abandoned' as is_lost
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_queued then 1 end) as queued,
        count(case when is_offered then 1 end) as offered,
        count(case when is_abandoned then 1 end) as abandoned,
        count(case when is_short_abandon then 1 end) as short_abandons,
        count(case when is_lost then 1 end) as lost_contacts
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        queued,
        offered,
        abandoned,
        {{ safe_ratio('abandoned', 'offered') }} as abandonment_rate,
        short_abandons,
        lost_contacts
    from aggregated

)

select * from final
