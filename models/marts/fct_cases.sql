-- One row per case, with what its clean contacts say about it: how many
-- inbound contacts it took, whether it stayed on its origin channel.

with

cases as (

    select * from {{ ref('stg_cases') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

contact_stats as (

    select
        contacts.case_id,
        count(*) as contact_count,
        count(case when contacts.is_inbound then 1 end) as inbound_contact_count,
        count(
            case when contacts.channel <> cases.origin_channel then 1 end
        ) as off_origin_contact_count
    from contacts
    inner join cases
        on contacts.case_id = cases.case_id
    group by 1

),

final as (

    select
        -- ids
        cases.case_id,
        cases.customer_id,

        -- attribution
        cases.category,
        cases.origin_channel,
        cast(cases.opened_at_local as date) as opened_date,
        cast(cases.resolved_at_local as date) as resolved_date,

        -- contact counts
        coalesce(contact_stats.contact_count, 0) as contact_count,
        coalesce(contact_stats.inbound_contact_count, 0) as inbound_contact_count,

        -- flags (kpis.md: case_fcr, channel containment)
        cases.is_resolved,
        coalesce(contact_stats.contact_count, 0) > 0 as has_contacts,
        cases.is_resolved
        and coalesce(contact_stats.inbound_contact_count, 0) = 1
            as is_resolved_on_first_contact,
        contact_stats.off_origin_contact_count = 0 as is_contained_in_origin_channel,

        -- durations
        {{ seconds_between('cases.opened_at', 'cases.resolved_at') }} / 3600.0
            as hours_to_resolve,

        -- timestamps
        cases.opened_at,
        cases.resolved_at,
        cases.opened_at_local,
        cases.resolved_at_local

    from cases
    left join contact_stats
        on cases.case_id = contact_stats.case_id

)

select * from final
