-- Customer lifetime value per calendar month (kpis.md, "Customers and
-- cost"): ARPU = revenue / active customers, LTV = ARPU / the mean churn
-- rate of the trailing 3 months. Churn is derived here from fct_revenue
-- exactly as kpi_customer_retention derives it (active = revenue > 0 in
-- the month; churned = active last month, not this one), so that this
-- view's unit test pins the whole definition.

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

-- every calendar month from the first to the last month with revenue
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

revenue_by_month as (

    select
        month_start,
        sum(revenue_reporting) as revenue_reporting,
        count(case when is_active then 1 end) as active_customers
    from revenue
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
        coalesce(revenue_by_month.revenue_reporting, 0) as revenue_reporting,
        coalesce(revenue_by_month.active_customers, 0) as active_customers,
        coalesce(
            lag(revenue_by_month.active_customers) over (order by months.month_start),
            0
        ) as previous_active_customers,
        coalesce(retained_by_month.retained_customers, 0) as retained_customers
    from months
    cross join revenue_bounds
    left join revenue_by_month
        on months.month_start = revenue_by_month.month_start
    left join retained_by_month
        on months.month_start = retained_by_month.month_start

),

-- the first month has no known previous month: no churn rate
churn as (

    select
        month_start,
        revenue_reporting,
        active_customers,
        case when not is_first_month then previous_active_customers end
            as previous_active_customers,
        case
            when not is_first_month
                then previous_active_customers - retained_customers
        end as churned_customers,
        1 - {{ safe_ratio(
            'case when not is_first_month then retained_customers end',
            'previous_active_customers'
        ) }} as churn_rate
    from monthly

),

trailing_churn as (

    select
        *,
        count(churn_rate) over (
            order by month_start rows between 2 preceding and current row
        ) as trailing_churn_months,
        sum(churn_rate) over (
            order by month_start rows between 2 preceding and current row
        ) as trailing_churn_rate_sum
    from churn

),

final as (

    select
        month_start,
        revenue_reporting,
        active_customers,
        {{ safe_ratio('revenue_reporting', 'active_customers') }}
            as arpu_reporting,
        previous_active_customers,
        churned_customers,
        churn_rate,
        trailing_churn_months,
        trailing_churn_rate_sum,
        -- a mean of three known monthly rates, not of fewer
        case
            when trailing_churn_months = 3 then trailing_churn_rate_sum / 3
        end as mean_churn_rate_3m,
        {{ safe_ratio(
            safe_ratio('revenue_reporting', 'active_customers'),
            'case when trailing_churn_months = 3'
            ~ ' then trailing_churn_rate_sum / 3 end'
        ) }} as lifetime_value_reporting
    from trailing_churn

)

select * from final
