-- Volume trend: offered contacts per local ISO week and queue against the
-- previous week, and per queue the last 28 days against the 28 days
-- before them, flagged as a surge above a ratio of 1.2 (kpis.md).

with

-- Contacts are counted once per local date and queue: every other CTE reads
-- these few rows. (Classifying the contacts in a CTE that four others read
-- made DuckDB materialize every contact: 2.8 s at 10M.)
daily as (

    select
        -- fct_contacts' local date, not converted again per contact
        contact_date,
        queue,
        count(case when {{ is_offered() }} then 1 end) as offered
    from {{ ref('fct_contacts') }}
    group by 1, 2

),

bounds as (

    select
        min(contact_date) as first_contact_date,
        max(contact_date) as last_contact_date
    from daily

),

-- every ISO week from the first to the last week with a contact, for
-- every queue, so that a week without offered contacts reports 0
weeks as (

    select distinct
        cast({{ dbt.date_trunc('week', 'series.date_day') }} as date)
            as iso_week_start
    from bounds,
        {{ date_series('bounds.first_contact_date', 'bounds.last_contact_date') }}
            as series (date_day)

),

queues as (

    select distinct queue
    from daily

),

weekly_offered as (

    select
        cast({{ dbt.date_trunc('week', 'contact_date') }} as date)
            as iso_week_start,
        queue,
        cast(sum(offered) as bigint) as offered
    from daily
    group by 1, 2

),

weekly as (

    select
        weeks.iso_week_start,
        queues.queue,
        coalesce(weekly_offered.offered, 0) as offered
    from weeks
    cross join queues
    left join weekly_offered
        on
            weeks.iso_week_start = weekly_offered.iso_week_start
            and queues.queue = weekly_offered.queue

),

-- the last 28 days end on the last local contact date of the data (all
-- queues), inclusive; the 28 days before them end the day before
rolling_28d as (

    select
        daily.queue,
        cast(sum(
            case
                when
                    daily.contact_date
                    > {{ dbt.dateadd('day', -28, 'bounds.last_contact_date') }}
                    then daily.offered
                else 0
            end
        ) as bigint) as offered_last_28d,
        cast(sum(
            case
                when
                    daily.contact_date
                    <= {{ dbt.dateadd('day', -28, 'bounds.last_contact_date') }}
                    and daily.contact_date
                    > {{ dbt.dateadd('day', -56, 'bounds.last_contact_date') }}
                    then daily.offered
                else 0
            end
        ) as bigint) as offered_prior_28d
    from daily
    cross join bounds
    group by 1

),

final as (

    select
        weekly.iso_week_start,
        cast(extract(isoyear from weekly.iso_week_start) as integer)
            as iso_year,
        cast(extract(week from weekly.iso_week_start) as integer) as iso_week,
        weekly.queue,
        weekly.offered,
        previous_week.offered as offered_previous_week,
        weekly.offered - previous_week.offered as offered_change,
        {{ safe_ratio(
            'weekly.offered - previous_week.offered',
            'previous_week.offered'
        ) }} as offered_change_rate,
        -- the data covers all seven days of the week
        weekly.iso_week_start >= bounds.first_contact_date
        and {{ dbt.dateadd('day', 6, 'weekly.iso_week_start') }}
        <= bounds.last_contact_date as is_complete_week,
        cast(
            {{ dbt.dateadd('day', -27, 'bounds.last_contact_date') }} as date
        ) as last_28d_start,
        bounds.last_contact_date as last_28d_end,
        rolling_28d.offered_last_28d,
        rolling_28d.offered_prior_28d,
        {{ safe_ratio(
            'rolling_28d.offered_last_28d',
            'rolling_28d.offered_prior_28d'
        ) }} as last_28d_ratio,
        -- surge threshold 1.2 is fixed by kpis.md
        {{ safe_ratio(
            'rolling_28d.offered_last_28d',
            'rolling_28d.offered_prior_28d'
        ) }} > 1.2 as is_surge,
        -- the data reaches back over both 28-day windows
        bounds.first_contact_date
        <= {{ dbt.dateadd('day', -55, 'bounds.last_contact_date') }}
            as has_full_prior_28d
    from weekly
    cross join bounds
    left join weekly as previous_week
        on
            weekly.queue = previous_week.queue
            and previous_week.iso_week_start
            = {{ dbt.dateadd('day', -7, 'weekly.iso_week_start') }}
    left join rolling_28d
        on weekly.queue = rolling_28d.queue

)

select * from final
