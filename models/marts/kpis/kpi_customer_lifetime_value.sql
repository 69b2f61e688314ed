-- Customer lifetime value per calendar month (kpis.md, "Customers and
-- cost"): ARPU = revenue / active customers, LTV = ARPU / the mean churn
-- rate of the trailing 3 months. Churn is derived from fct_revenue with
-- the macro customer_months, as kpi_customer_retention derives it (active =
-- revenue > 0 in the month; churned = active last month, not this one).

with

revenue as (

    select * from {{ ref('fct_revenue') }}

),

monthly as (

    {{ customer_months('revenue') }}

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
