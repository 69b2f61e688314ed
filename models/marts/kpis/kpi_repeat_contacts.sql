-- Repeat contacts: the share of inbound contacts of known customers whose
-- same customer had an earlier inbound contact (any channel, any outcome)
-- that ended at most var fcr_window_days before this one arrived, per local
-- contact date, queue and channel. The previous inbound end is the one
-- fct_contacts stores (int_contacts__customer_sequence looks it up): a
-- second ASOF join over every contact here was most of this view's time.
-- The window rule is applied here, so that the unit test pins it.

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
        direction = 'inbound' and customer_id is not null
            as is_inbound_with_customer,
        {{ is_repeat_contact() }} as is_repeat_contact
    from contacts

),

aggregated as (

    select
        contact_date,
        queue,
        channel,
        count(case when is_repeat_contact then 1 end) as repeat_contacts,
        count(case when is_inbound_with_customer then 1 end)
            as inbound_with_customer
    from classified
    group by 1, 2, 3

),

final as (

    select
        contact_date,
        queue,
        channel,
        repeat_contacts,
        inbound_with_customer,
        {{ safe_ratio('repeat_contacts', 'inbound_with_customer') }}
            as repeat_contact_rate
    from aggregated

)

select * from final
