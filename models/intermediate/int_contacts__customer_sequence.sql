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

final as (

    {{ customer_sequence('contacts', 'inbound', 'inbound') }}

)

select * from final
