-- One row per local calendar date (var center_timezone) from the first to
-- the last date with a contact, agent state, case or cost month: the
-- calendar every KPI's date, ISO week and month join to.

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

states as (

    select * from {{ ref('fct_agent_state_intervals') }}

),

cases as (

    select * from {{ ref('fct_cases') }}

),

bounds as (

    select
        min(first_date) as first_date,
        max(last_date) as last_date
    from (
        select
            min(contact_date) as first_date,
            max(contact_date) as last_date
        from contacts
        union all
        select
            min(state_date) as first_date,
            max(state_date) as last_date
        from states
        union all
        select
            min(opened_date) as first_date,
            max(coalesce(resolved_date, opened_date)) as last_date
        from cases
    ) as all_bounds

),

days as (

    select cast(date_day as date) as date_day
    from bounds,
        {{ date_series('bounds.first_date', 'bounds.last_date') }} as series (date_day)

),

final as (

    select
        date_day,
        extract(isoyear from date_day) as iso_year,
        extract(week from date_day) as iso_week,
        extract(isodow from date_day) as iso_day_of_week,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as iso_week_start,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        extract(isodow from date_day) in (6, 7) as is_weekend
    from days

)

select * from final
