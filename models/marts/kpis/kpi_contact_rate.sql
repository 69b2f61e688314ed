-- Contact rate: inbound contacts per 1,000 active customers, per local
-- month (kpis.md: inbound contacts / active customers of that month x
-- 1000; active = revenue > 0 in the month, from fct_revenue).

with

revenue as (

    select * from {{ ref('fct_revenue') }}

),

-- Contacts are counted once per local date: the CTEs below read these
-- rows. (A CTE of every contact that two others read was materialized by
-- DuckDB: 2.1 s at 10M.)
daily as (

    select
        -- fct_contacts' local date: converting every contact's arrival here
        -- was most of this model's time at 10M
        contact_date,
        count(case when direction = 'inbound' then 1 end) as inbound_contacts
    from {{ ref('fct_contacts') }}
    group by 1

),

contact_bounds as (

    select
        min(contact_date) as first_contact_date,
        max(contact_date) as last_contact_date
    from daily

),

-- every calendar month from the first to the last month with a contact,
-- so that a month without inbound contacts reports 0, not a gap
months as (

    select distinct
        cast({{ dbt.date_trunc('month', 'series.date_day') }} as date)
            as month_start
    from contact_bounds,
        {{ date_series(
            'contact_bounds.first_contact_date',
            'contact_bounds.last_contact_date'
        ) }} as series (date_day)

),

inbound_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'contact_date') }} as date)
            as month_start,
        cast(sum(inbound_contacts) as bigint) as inbound_contacts
    from daily
    group by 1

),

-- fct_revenue holds one row per customer and month (its unique constraint):
-- no distinct needed (at 10M contacts, 5.3M customer months: 0.7 s)
active_by_month as (

    select
        month_start,
        count(*) as active_customers
    from revenue
    where is_active
    group by 1

),

final as (

    select
        months.month_start,
        coalesce(inbound_by_month.inbound_contacts, 0) as inbound_contacts,
        coalesce(active_by_month.active_customers, 0) as active_customers,
        1000 * {{ safe_ratio(
            'coalesce(inbound_by_month.inbound_contacts, 0)',
            'coalesce(active_by_month.active_customers, 0)'
        ) }} as contacts_per_1000_customers,
        -- the contact data covers the whole month: a partial first or
        -- last month understates the rate
        contact_bounds.first_contact_date <= months.month_start
        and contact_bounds.last_contact_date
        >= cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.month_start')) }}
            as date
        ) as is_complete_month
    from months
    cross join contact_bounds
    left join inbound_by_month
        on months.month_start = inbound_by_month.month_start
    left join active_by_month
        on months.month_start = active_by_month.month_start

)

select * from final
