-- Repeat contacts: the share of inbound contacts of known customers whose
-- same customer had an earlier inbound contact (any channel, any outcome)
-- that ended at most var fcr_window_days before this one arrived, per local
-- contact date, queue and channel.

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

inbound_of_customers as (

    select
        customer_id,
        ended_at
    from contacts
    where direction = 'inbound' and customer_id is not null

),

-- the same customer's last inbound contact that ended before this one
-- arrived: looked up here, not read from fct_contacts, so that the unit
-- test pins the whole definition
sequenced as (

    select
        contacts.arrived_at,
        contacts.queue,
        contacts.channel,
        contacts.direction,
        contacts.customer_id,
        previous_inbound.ended_at as previous_inbound_ended_at
    from contacts
    {{ asof_left_join(
        'inbound_of_customers as previous_inbound',
        'contacts.customer_id = previous_inbound.customer_id',
        'previous_inbound.ended_at < contacts.arrived_at'
    ) }}

),

classified as (

    select
        {{ local_date('arrived_at') }} as contact_date,
        queue,
        channel,
        direction = 'inbound' and customer_id is not null
            as is_inbound_with_customer,
        {{ is_repeat_contact() }} as is_repeat_contact
    from sequenced

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
