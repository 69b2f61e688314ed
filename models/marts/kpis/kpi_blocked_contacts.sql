-- Blocked contacts: inbound voice attempts refused with a busy signal
-- (never queued) over all inbound voice attempts, per local contact date
-- and queue.

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

voice_attempts as (

    select
        {{ local_date('arrived_at') }} as contact_date,
        queue,
        outcome = 'blocked' as is_blocked
    from contacts
    where
        direction = 'inbound'
        and channel = 'voice'

),

aggregated as (

    select
        contact_date,
        queue,
        count(case when is_blocked then 1 end) as blocked,
        count(*) as inbound_voice_attempts
    from voice_attempts
    group by 1, 2

),

final as (

    select
        contact_date,
        queue,
        blocked,
        inbound_voice_attempts,
        {{ safe_ratio('blocked', 'inbound_voice_attempts') }} as blocked_rate
    from aggregated

)

select * from final
