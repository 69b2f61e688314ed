-- Customer retention and churn per calendar month (kpis.md, "Customers
-- and cost"): a customer is active in a month when the month's revenue,
-- summed in the reporting currency, is above 0 (fct_revenue.is_active);
-- retained = active in the previous month and in this one
-- (fct_revenue.is_retained), counted by the macro customer_months, which
-- kpi_customer_lifetime_value uses too.

with

revenue as (

    select * from {{ ref('fct_revenue') }}

),

monthly as (

    {{ customer_months('revenue') }}

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
