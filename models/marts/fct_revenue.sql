-- One row per customer and month: the month's revenue lines summed in
-- var('reporting_currency'). A customer is active in a month when this
-- sum is above 0 (kpis.md).

with

revenue as (

    select * from {{ ref('stg_revenue') }}

),

final as (

    select
        customer_id,
        month_start,
        sum(amount_reporting) as revenue_reporting,
        sum(amount_reporting) > 0 as is_active,
        count(*) as revenue_line_count
    from revenue
    group by 1, 2

)

select * from final
