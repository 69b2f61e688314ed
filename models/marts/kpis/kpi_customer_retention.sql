-- Customer retention and churn per calendar month (kpis.md, "Customers
-- and cost"): a customer is active in a month when the month's revenue,
-- summed in the reporting currency, is above 0 (fct_revenue.is_active);
-- retained = active in the previous month and in this one.

with

revenue as (

    select * from {{ ref('fct_revenue') }}

),

active_customers as (

    select
        customer_id,
        month_start
    from revenue
    where is_active

),

revenue_bounds as (

    select
        min(month_start) as first_month_start,
        max(month_start) as last_month_start
    from active_customers

),

-- every calendar month from the first to the last month with revenue, so
-- that a month without revenue has a row (everyone churned) rather than a
-- gap that would make the next month look retained
months as (

    select distinct
        cast({{ dbt.date_trunc('month', 'series.date_day') }} as date)
            as month_start
    from revenue_bounds,
        {{ date_series(
            'revenue_bounds.first_month_start',
            'revenue_bounds.last_month_start'
        ) }} as series (date_day)

),

active_by_month as (

    select
        month_start,
        count(*) as active_customers
    from active_customers
    group by 1

),

retained_by_month as (

    select
        active_customers.month_start,
        count(*) as retained_customers
    from active_customers
    inner join active_customers as previous_month
        on
            active_customers.customer_id = previous_month.customer_id
            and active_customers.month_start
            = cast({{ dbt.dateadd('month', 1, 'previous_month.month_start') }} as date)
    group by 1

),

monthly as (

    select
        months.month_start,
        months.month_start = revenue_bounds.first_month_start as is_first_month,
        coalesce(active_by_month.active_customers, 0) as active_customers,
        coalesce(
            lag(active_by_month.active_customers) over (order by months.month_start),
            0
        ) as previous_active_customers,
        coalesce(retained_by_month.retained_customers, 0) as retained_customers
    from months
    cross join revenue_bounds
    left join active_by_month
        on months.month_start = active_by_month.month_start
    left join retained_by_month
        on months.month_start = retained_by_month.month_start

),

-- the first month's previous month is before the revenue data: its base
-- is unknown, not 0, so the first month's flows and rates are null
flows as (

    select
        month_start,
        is_first_month,
        active_customers,
        case when not is_first_month then previous_active_customers end
            as previous_active_customers,
        case when not is_first_month then retained_customers end
            as retained_customers,
        case
            when not is_first_month
                then previous_active_customers - retained_customers
        end as churned_customers,
        case
            when not is_first_month
                then active_customers - retained_customers
        end as new_or_returning_customers
    from monthly

),

final as (

    select
        month_start,
        is_first_month,
        active_customers,
        previous_active_customers,
        retained_customers,
        churned_customers,
        new_or_returning_customers,
        {{ safe_ratio('retained_customers', 'previous_active_customers') }}
            as retention_rate,
        1 - {{ safe_ratio('retained_customers', 'previous_active_customers') }}
            as churn_rate
    from flows

)

select * from final
