-- One row per clean contact of a known customer: the nearest inbound
-- contacts of the same customer around it, any channel, any outcome.
-- Operational FCR needs the first inbound arrival after this contact
-- ended; repeat contacts need the last inbound end before it arrived.
-- Outbound contacts are never repeats, so only inbound ones are looked up.

with

contacts as (

    select * from {{ ref('stg_contacts') }}
    where customer_id is not null

),

inbound as (

    select
        customer_id,
        arrived_at,
        ended_at
    from contacts
    where direction = 'inbound'

),

next_contact as (

    select
        contacts.contact_id,
        next_inbound.arrived_at as next_inbound_arrived_at
    from contacts
    {{ asof_left_join(
        'inbound as next_inbound',
        'contacts.customer_id = next_inbound.customer_id',
        'next_inbound.arrived_at > contacts.ended_at'
    ) }}

),

previous_contact as (

    select
        contacts.contact_id,
        previous_inbound.ended_at as previous_inbound_ended_at
    from contacts
    {{ asof_left_join(
        'inbound as previous_inbound',
        'contacts.customer_id = previous_inbound.customer_id',
        'previous_inbound.ended_at < contacts.arrived_at'
    ) }}

),

final as (

    select
        next_contact.contact_id,
        next_contact.next_inbound_arrived_at,
        previous_contact.previous_inbound_ended_at
    from next_contact
    inner join previous_contact
        on next_contact.contact_id = previous_contact.contact_id

)

select * from final
