-- Case resolution per local opened date, category and origin channel: the
-- cases opened, how many are resolved and how fast, how many took a single
-- inbound contact, and how many were still open at the end of the day they
-- were opened.

with

cases as (

    select * from {{ ref('fct_cases') }}

),

classified as (

    select
        -- fct_cases' local dates: converting every case's instants here was
        -- most of this model's time at 10M
        opened_date,
        category,
        origin_channel,
        resolved_at is not null as is_resolved,
        -- kpis.md (case_fcr): resolved with exactly one clean inbound contact
        resolved_at is not null and inbound_contact_count = 1
            as is_resolved_on_first_contact,
        {{ seconds_between('opened_at', 'resolved_at') }} / 3600.0
            as hours_to_resolve,
        resolved_at is null or resolved_date > opened_date
            as is_open_at_end_of_opened_date
    from cases

),

aggregated as (

    select
        opened_date,
        category,
        origin_channel,
        count(*) as opened_cases,
        count(case when is_resolved then 1 end) as resolved_cases,
        count(case when is_resolved_on_first_contact then 1 end)
            as resolved_on_first_contact,
        coalesce(sum(hours_to_resolve), 0) as total_hours_to_resolve,
        percentile_cont(0.5) within group (order by hours_to_resolve)
            as median_hours_to_resolve,
        count(
            case when is_resolved and not is_resolved_on_first_contact then 1 end
        ) as resolved_not_on_first_contact,
        coalesce(
            sum(
                case
                    when not is_resolved_on_first_contact
                        then hours_to_resolve
                end
            ),
            0
        ) as total_hours_not_on_first_contact,
        count(case when is_open_at_end_of_opened_date then 1 end)
            as open_at_end_of_day
    from classified
    group by 1, 2, 3

),

final as (

    select
        opened_date,
        category,
        origin_channel,
        opened_cases,
        resolved_cases,
        resolved_on_first_contact,
        total_hours_to_resolve,
        {{ safe_ratio('total_hours_to_resolve', 'resolved_cases') }}
            as avg_hours_to_resolve,
        median_hours_to_resolve,
        resolved_not_on_first_contact,
        total_hours_not_on_first_contact,
        {{ safe_ratio(
            'total_hours_not_on_first_contact',
            'resolved_not_on_first_contact'
        ) }} as avg_inquiry_hours_not_on_first_contact,
        open_at_end_of_day
    from aggregated

)

select * from final
