-- Support cost to revenue per month (kpis.md, "Customers and cost"): the
-- month's total operating cost / the month's total revenue, both in
-- var('reporting_currency'), for the months that have both cost lines and
-- revenue lines.

with

costs as (

    select * from {{ ref('fct_costs') }}

),

revenue as (

    select * from {{ ref('fct_revenue') }}

),

cost_by_month as (

    select
        month_start,
        sum(amount_reporting) as total_cost_reporting
    from costs
    group by 1

),

revenue_by_month as (

    select
        month_start,
        sum(revenue_reporting) as total_revenue_reporting
    from revenue
    group by 1

),

final as (

    select
        cost_by_month.month_start,
        cost_by_month.total_cost_reporting,
        revenue_by_month.total_revenue_reporting,
        {{ safe_ratio(
            'cost_by_month.total_cost_reporting',
            'revenue_by_month.total_revenue_reporting'
        ) }} as cost_to_revenue_ratio
    from cost_by_month
    inner join revenue_by_month
        on cost_by_month.month_start = revenue_by_month.month_start

)

select * from final
