-- One row per customer seen in contacts, cases or revenue.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

cases as (

    select * from {{ ref('stg_cases') }}

),

revenue as (

    select * from {{ ref('fct_revenue') }}

),

contact_stats as (

    select
        customer_id,
        count(*) as contact_count,
        min(arrived_at) as first_contact_at,
        max(arrived_at) as last_contact_at
    from contacts
    where customer_id is not null
    group by 1

),

case_stats as (

    select
        customer_id,
        count(*) as case_count
    from cases
    group by 1

),

revenue_stats as (

    select
        customer_id,
        min(case when is_active then month_start end) as first_active_month,
        max(case when is_active then month_start end) as last_active_month,
        sum(revenue_reporting) as lifetime_revenue_reporting
    from revenue
    group by 1

),

customers as (

    select customer_id from contact_stats
    union
    select customer_id from case_stats
    union
    select customer_id from revenue_stats

),

final as (

    select
        customers.customer_id,
        coalesce(contact_stats.contact_count, 0) as contact_count,
        coalesce(case_stats.case_count, 0) as case_count,
        contact_stats.first_contact_at,
        contact_stats.last_contact_at,
        revenue_stats.first_active_month,
        revenue_stats.last_active_month,
        coalesce(revenue_stats.lifetime_revenue_reporting, 0)
            as lifetime_revenue_reporting
    from customers
    left join contact_stats
        on customers.customer_id = contact_stats.customer_id
    left join case_stats
        on customers.customer_id = case_stats.customer_id
    left join revenue_stats
        on customers.customer_id = revenue_stats.customer_id

)

select * from final
