-- Cost per contact per cost month and queue (kpis.md, "Customers and
-- cost"): the queue's own cost lines plus the month's `shared` cost lines
-- allocated by the queue's share of the month's answered contacts
-- (inbound answered + outbound answered, every channel), divided by the
-- queue's answered contacts. Amounts are in var('reporting_currency').

with

costs as (

    select * from {{ ref('fct_costs') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}

),

cost_by_center as (

    select
        month_start,
        case when is_shared then null else cost_center end as queue,
        is_shared,
        sum(amount_reporting) as cost_reporting
    from costs
    group by 1, 2, 3

),

cost_months as (

    select distinct month_start
    from costs

),

answered_by_queue as (

    select
        -- fct_contacts' local date, not converted again per contact
        cast({{ dbt.date_trunc('month', 'contact_date') }} as date)
            as month_start,
        queue,
        count(case when direction = 'inbound' then 1 end)
            as inbound_answered_contacts,
        count(case when direction = 'outbound' then 1 end)
            as outbound_answered_contacts,
        count(*) as answered_contacts
    from contacts
    where outcome = 'answered'
    group by 1, 2

),

shared_by_month as (

    select
        cost_months.month_start,
        coalesce(sum(cost_by_center.cost_reporting), 0) as shared_cost_reporting
    from cost_months
    left join cost_by_center
        on
            cost_months.month_start = cost_by_center.month_start
            and cost_by_center.is_shared
    group by 1

),

-- a row per cost month and queue with own cost or answered contacts
month_queues as (

    select
        month_start,
        queue
    from cost_by_center
    where not is_shared
    union
    select
        answered_by_queue.month_start,
        answered_by_queue.queue
    from answered_by_queue
    inner join cost_months
        on answered_by_queue.month_start = cost_months.month_start

),

queue_months as (

    select
        month_queues.month_start,
        month_queues.queue,
        coalesce(cost_by_center.cost_reporting, 0) as own_cost_reporting,
        coalesce(answered_by_queue.inbound_answered_contacts, 0)
            as inbound_answered_contacts,
        coalesce(answered_by_queue.outbound_answered_contacts, 0)
            as outbound_answered_contacts,
        coalesce(answered_by_queue.answered_contacts, 0) as answered_contacts
    from month_queues
    left join cost_by_center
        on
            month_queues.month_start = cost_by_center.month_start
            and month_queues.queue = cost_by_center.queue
    left join answered_by_queue
        on
            month_queues.month_start = answered_by_queue.month_start
            and month_queues.queue = answered_by_queue.queue

),

with_month_totals as (

    select
        queue_months.*,
        shared_by_month.shared_cost_reporting,
        cast(
            sum(queue_months.answered_contacts) over (
                partition by queue_months.month_start
            ) as {{ dbt.type_bigint() }}
        ) as month_answered_contacts
    from queue_months
    inner join shared_by_month
        on queue_months.month_start = shared_by_month.month_start

),

allocated as (

    select
        month_start,
        queue,
        own_cost_reporting,
        shared_cost_reporting
        * {{ safe_ratio('answered_contacts', 'month_answered_contacts') }}
            as allocated_shared_cost_reporting,
        inbound_answered_contacts,
        outbound_answered_contacts,
        answered_contacts,
        month_answered_contacts
    from with_month_totals

),

month_answered as (

    select
        month_start,
        sum(answered_contacts) as month_answered_contacts
    from queue_months
    group by 1

),

-- a month with shared cost and no answered contact at all has no share to
-- allocate by: its shared cost stays on a `shared` row, so that the
-- month's rows still add up to its total cost
unallocated_shared as (

    select
        shared_by_month.month_start,
        'shared' as queue,
        0 as own_cost_reporting,
        shared_by_month.shared_cost_reporting
            as allocated_shared_cost_reporting,
        0 as inbound_answered_contacts,
        0 as outbound_answered_contacts,
        0 as answered_contacts,
        0 as month_answered_contacts
    from shared_by_month
    left join month_answered
        on shared_by_month.month_start = month_answered.month_start
    where
        coalesce(month_answered.month_answered_contacts, 0) = 0
        and shared_by_month.shared_cost_reporting <> 0

),

combined as (

    select
        month_start,
        queue,
        own_cost_reporting,
        coalesce(allocated_shared_cost_reporting, 0)
            as allocated_shared_cost_reporting,
        inbound_answered_contacts,
        outbound_answered_contacts,
        answered_contacts,
        month_answered_contacts
    from allocated
    union all
    select
        month_start,
        queue,
        own_cost_reporting,
        allocated_shared_cost_reporting,
        inbound_answered_contacts,
        outbound_answered_contacts,
        answered_contacts,
        month_answered_contacts
    from unallocated_shared

),

final as (

    select
        month_start,
        queue,
        own_cost_reporting,
        allocated_shared_cost_reporting,
        own_cost_reporting + allocated_shared_cost_reporting
            as total_cost_reporting,
        inbound_answered_contacts,
        outbound_answered_contacts,
        answered_contacts,
        month_answered_contacts,
        {{ safe_ratio('answered_contacts', 'month_answered_contacts') }}
            as answered_share,
        {{ safe_ratio(
            'own_cost_reporting + allocated_shared_cost_reporting',
            'answered_contacts'
        ) }} as cost_per_contact_reporting
    from combined

)

select * from final
