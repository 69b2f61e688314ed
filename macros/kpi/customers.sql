{#- One row per calendar month from the first to the last month with an
    active customer (fct_revenue.is_active: the month's revenue in the
    reporting currency is above 0), from `revenue` (fct_revenue rows):
    revenue_reporting, active_customers, previous_active_customers (the
    month before's), retained_customers (fct_revenue.is_retained: active
    in the month before and in this one) and is_first_month. A month
    without revenue has a row (everyone churned) rather than a gap that
    would make the next month look retained. kpi_customer_retention and
    kpi_customer_lifetime_value derive churn from it, each from
    fct_revenue, so that each view's unit test pins the counts and rates;
    fct_revenue's pins is_retained. -#}
{% macro customer_months(revenue) -%}
    with

    revenue_bounds as (

        select
            min(month_start) as first_month_start,
            max(month_start) as last_month_start
        from {{ revenue }}
        where is_active

    ),

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
            count(case when is_active then 1 end) as active_customers,
            count(case when is_retained then 1 end) as retained_customers
        from {{ revenue }}
        group by 1

    )

    select
        months.month_start,
        months.month_start = revenue_bounds.first_month_start as is_first_month,
        coalesce(revenue_by_month.revenue_reporting, 0) as revenue_reporting,
        coalesce(revenue_by_month.active_customers, 0) as active_customers,
        coalesce(
            lag(revenue_by_month.active_customers) over (order by months.month_start),
            0
        ) as previous_active_customers,
        coalesce(revenue_by_month.retained_customers, 0) as retained_customers
    from months
    cross join revenue_bounds
    left join revenue_by_month
        on months.month_start = revenue_by_month.month_start
{%- endmacro %}

{#- The customers with a contact, case or revenue line that staging judged
    after `since` (a built_at): the only ones whose dim_customers row can
    have changed, as each of its columns is derived from the customer's own
    rows. A re-sent row is judged again with every row of its key, so a
    contact or case moved to another customer brings its old customer
    along. -#}
{% macro customers_judged_since(since) -%}
    {%- for judged in ['stg_contacts__checked', 'stg_cases__checked', 'stg_revenue__checked'] %}
        {%- if not loop.first %}
            union
        {%- endif %}
        select judged.customer_id
        from {{ ref(judged) }} as judged
        where judged.built_at > ({{ since }}) and judged.customer_id is not null
    {%- endfor %}
{%- endmacro %}
