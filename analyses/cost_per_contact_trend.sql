-- Is serving a contact getting dearer? Monthly cost per answered contact
-- (var reporting_currency) per queue and for the whole center (all_queues),
-- with the change from the previous calendar month. The first and last
-- months may be only partly in the data: few contacts make their values swing.

with

cost_per_contact as (

    select * from {{ ref('kpi_cost_per_contact') }}

),

by_queue as (

    select
        month_start,
        queue,
        sum(total_cost_reporting) as total_cost_reporting,
        sum(answered_contacts) as answered_contacts
    from cost_per_contact
    group by 1, 2

),

-- every row of a month, the `shared` one included, so that the center
-- carries the month's whole cost
by_center as (

    select
        month_start,
        'all_queues' as queue,
        sum(total_cost_reporting) as total_cost_reporting,
        sum(answered_contacts) as answered_contacts
    from cost_per_contact
    group by 1, 2

),

combined as (

    select
        month_start,
        queue,
        total_cost_reporting,
        answered_contacts,
        {{ safe_ratio('total_cost_reporting', 'answered_contacts') }}
            as cost_per_contact_reporting
    from by_queue
    union all
    select
        month_start,
        queue,
        total_cost_reporting,
        answered_contacts,
        {{ safe_ratio('total_cost_reporting', 'answered_contacts') }}
            as cost_per_contact_reporting
    from by_center

),

final as (

    select
        combined.queue,
        combined.month_start,
        '{{ var("reporting_currency") }}' as currency,
        round(combined.total_cost_reporting, 2) as total_cost_reporting,
        combined.answered_contacts,
        round(combined.cost_per_contact_reporting, 2)
            as cost_per_contact_reporting,
        round(previous_month.cost_per_contact_reporting, 2)
            as previous_cost_per_contact_reporting,
        round(
            combined.cost_per_contact_reporting
            - previous_month.cost_per_contact_reporting,
            2
        ) as cost_per_contact_change,
        round(
            {{ safe_ratio(
                'combined.cost_per_contact_reporting
                - previous_month.cost_per_contact_reporting',
                'previous_month.cost_per_contact_reporting'
            ) }},
            4
        ) as cost_per_contact_change_rate
    from combined
    left join combined as previous_month
        on
            combined.queue = previous_month.queue
            and previous_month.month_start
            = {{ dbt.dateadd('month', -1, 'combined.month_start') }}

)

select * from final
order by 1, 2
