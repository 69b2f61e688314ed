-- Channel containment: the share of resolved cases whose clean contacts all
-- used the case's origin channel, per local resolved date, category and
-- origin channel; switching rate = 1 - containment.

with

cases as (

    select * from {{ ref('fct_cases') }}

),

-- attributed to the resolved date: containment is only final once the case
-- is resolved, so the figure of a past date does not move
resolved_with_contacts as (

    select
        resolved_date,
        category,
        origin_channel,
        is_contained_in_origin_channel
    from cases
    where resolved_at is not null and contact_count > 0

),

aggregated as (

    select
        resolved_date,
        category,
        origin_channel,
        count(case when is_contained_in_origin_channel then 1 end)
            as contained_cases,
        count(*) as resolved_cases_with_contacts
    from resolved_with_contacts
    group by 1, 2, 3

),

final as (

    select
        resolved_date,
        category,
        origin_channel,
        contained_cases,
        resolved_cases_with_contacts - contained_cases as switched_cases,
        resolved_cases_with_contacts,
        {{ safe_ratio('contained_cases', 'resolved_cases_with_contacts') }}
            as containment_rate,
        1 - {{ safe_ratio('contained_cases', 'resolved_cases_with_contacts') }}
            as switching_rate
    from aggregated

)

select * from final
