-- One row per customer seen in contacts, cases or revenue.

-- Incremental by customer: at 10M contacts aggregating every contact,
-- case and revenue month again took 4.2-4.7 s of each daily load, which
-- changes the rows of 27k of the 443k customers (now 1.6 s). A run rebuilds the
-- customers with a row staging judged since the latest build (macro
-- customers_judged_since) from all their rows; the post-hook deletes those
-- of them left without any row.
-- depends_on: {{ ref('stg_contacts__checked') }}
-- depends_on: {{ ref('stg_cases__checked') }}
-- depends_on: {{ ref('stg_revenue__checked') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='fail',
        post_hook="
            {%- if is_incremental() %}
                delete from {{ this }}
                where
                    built_at < {{ built_at() }}
                    and customer_id in (
                        {{ customers_judged_since(latest_built_at(this, built_at())) }}
                    )
            {%- endif %}",
    )
}}

with

{% if is_incremental() %}
    rebuilt_customers as (

        {{ customers_judged_since(latest_built_at(this)) }}

    ),
{% endif %}

contacts as (

    select * from {{ ref('stg_contacts') }}
    {%- if is_incremental() %}
        where customer_id in (
            select rebuilt_customers.customer_id from rebuilt_customers
        )
    {%- endif %}

),

cases as (

    select * from {{ ref('stg_cases') }}
    {%- if is_incremental() %}
        where customer_id in (
            select rebuilt_customers.customer_id from rebuilt_customers
        )
    {%- endif %}

),

revenue as (

    select * from {{ ref('fct_revenue') }}
    {%- if is_incremental() %}
        where customer_id in (
            select rebuilt_customers.customer_id from rebuilt_customers
        )
    {%- endif %}

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
            as lifetime_revenue_reporting,
        {{ built_at() }} as built_at
    from customers
    left join contact_stats
        on customers.customer_id = contact_stats.customer_id
    left join case_stats
        on customers.customer_id = case_stats.customer_id
    left join revenue_stats
        on customers.customer_id = revenue_stats.customer_id

)

select * from final
