-- One row per queue that received a clean contact, with the channels it
-- served. Cost centers are these queues plus `shared`.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

final as (

    select
        queue,
        count(*) as contact_count,
        min(arrived_at) as first_contact_at,
        max(arrived_at) as last_contact_at
    from contacts
    group by 1

)

select * from final
