-- Cost per resolution per cost month (kpis.md, "Customers and cost"): the
-- month's total operating cost (every cost center, credits included, in
-- var('reporting_currency')) / the cases resolved in that local month.

with

costs as (

    select * from {{ ref('fct_costs') }}

),

cases as (

    select * from {{ ref('fct_cases') }}

),

cost_by_month as (

    select
        month_start,
        sum(amount_reporting) as total_cost_reporting
    from costs
    group by 1

),

resolved_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'resolved_date') }} as date)
            as month_start,
        count(*) as resolved_cases
    from cases
    where resolved_at is not null
    group by 1

),

final as (

    select
        cost_by_month.month_start,
        cost_by_month.total_cost_reporting,
        coalesce(resolved_by_month.resolved_cases, 0) as resolved_cases,
        {{ safe_ratio(
            'cost_by_month.total_cost_reporting',
            'coalesce(resolved_by_month.resolved_cases, 0)'
        ) }} as cost_per_resolution_reporting
    from cost_by_month
    left join resolved_by_month
        on cost_by_month.month_start = resolved_by_month.month_start

)

select * from final
