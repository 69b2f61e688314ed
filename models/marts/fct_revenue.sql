-- One row per customer and month: the month's revenue lines summed in
-- var('reporting_currency'). A customer is active in a month when this
-- sum is above 0, and retained when active in the month before too
-- (kpis.md). is_retained is kept here, not derived in the KPI views: the
-- self-join over every customer month took kpi_customer_retention and
-- kpi_customer_lifetime_value 1.5-2 s each at 10M contacts, on every load,
-- while a load changes a few months at most.

-- Incremental by whole months: at 10M contacts summing all 10M revenue
-- lines again took 1.3 s of each daily load (3.9 s beside another model),
-- while a load changes the lines of a few months at most. A run rebuilds
-- every month with a line that stg_revenue__checked wrote since the latest
-- build, clean or not (a line rejected now takes its amount out of its
-- month), and the month after each (its is_retained looks back at them),
-- and replaces those months (delete+insert on month_start); the post-hook
-- deletes a month left without clean lines.
-- depends_on: {{ ref('stg_revenue__checked') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month_start',
        on_schema_change='fail',
        post_hook="{{ delete_rows_without_key(
            ref('stg_revenue'), 'month_start', ref('stg_revenue__checked'),
            rewritten_with_key=false
        ) }}",
    )
}}

with

{% if is_incremental() %}
    -- the months with a line judged since the latest build, and the month
    -- after each
    rebuilt_months as (

        select judged.month_start
        from {{ ref('stg_revenue__checked') }} as judged
        where {{ built_after_latest_build('judged.built_at') }}
        union
        select cast({{ dbt.dateadd('month', 1, 'judged.month_start') }} as date)
        from {{ ref('stg_revenue__checked') }} as judged
        where {{ built_after_latest_build('judged.built_at') }}

    ),
{% endif %}

revenue as (

    select * from {{ ref('stg_revenue') }}

),

customer_months as (

    select
        customer_id,
        month_start,
        sum(amount_reporting) as revenue_reporting,
        sum(amount_reporting) > 0 as is_active,
        count(*) as revenue_line_count
    from revenue
    {%- if is_incremental() %}
        -- and the month before each, whose activity is_retained reads
        where
            month_start in (
                select rebuilt_months.month_start from rebuilt_months
            )
            or cast({{ dbt.dateadd('month', 1, 'month_start') }} as date)
            in (select rebuilt_months.month_start from rebuilt_months)
    {%- endif %}
    group by 1, 2

),

final as (

    select
        this_month.customer_id,
        this_month.month_start,
        this_month.revenue_reporting,
        this_month.is_active,
        this_month.is_active
        and coalesce(previous_month.is_active, false) as is_retained,
        this_month.revenue_line_count,
        {{ built_at() }} as built_at
    from customer_months as this_month
    left join customer_months as previous_month
        on
            this_month.customer_id = previous_month.customer_id
            and previous_month.month_start
            = cast({{ dbt.dateadd('month', -1, 'this_month.month_start') }} as date)
    {%- if is_incremental() %}
        where
            this_month.month_start in (
                select rebuilt_months.month_start from rebuilt_months
            )
    {%- endif %}

)

select * from final
