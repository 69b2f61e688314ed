-- The nine headline KPIs of scripts/baseline/headline_kpis.sql, read from
-- the project's built warehouse instead of the raw extracts: each KPI view's
-- additive parts are summed over all of its rows (all dates, queues,
-- channels, agents) and the ratio is taken once, sum(num) / sum(den), as
-- kpis.md says a KPI rolls up. Same columns and kpi names as the baseline:
-- (kpi, numerator, denominator, value); value is null when the denominator
-- is 0. Run on a connection to the built database (read-only is enough).

with

service_level as (

    select
        sum(answered_within_threshold) as numerator,
        sum(offered) as denominator
    from marts.kpi_service_level

),

speed_of_answer as (

    select
        sum(handled_wait_seconds) as numerator,
        sum(handled) as denominator
    from marts.kpi_speed_of_answer

),

abandonment as (

    select
        sum(abandoned) as numerator,
        sum(offered) as denominator
    from marts.kpi_abandonment

),

handle_time as (

    select
        sum(total_handle_seconds) as numerator,
        sum(handled) as denominator
    from marts.kpi_handle_time

),

transfer_rate as (

    select
        sum(transferred) as numerator,
        sum(handled) as denominator
    from marts.kpi_transfer_rate

),

first_contact_resolution as (

    select
        sum(fcr_resolved) as numerator,
        sum(fcr_eligible) as denominator
    from marts.kpi_first_contact_resolution

),

csat as (

    select
        sum(satisfied) as numerator,
        sum(responses) as denominator
    from marts.kpi_csat

),

nps as (

    select
        100 * (sum(promoters) - sum(detractors)) as numerator,
        sum(responses) as denominator
    from marts.kpi_nps

),

occupancy as (

    select
        sum(handling_seconds) as numerator,
        sum(handling_seconds) + sum(available_seconds) as denominator
    from marts.kpi_occupancy

),

headline as (

    select
        1 as kpi_order,
        'service_level' as kpi,
        numerator,
        denominator
    from service_level
    union all
    select
        2 as kpi_order,
        'asa_seconds' as kpi,
        numerator,
        denominator
    from speed_of_answer
    union all
    select
        3 as kpi_order,
        'abandonment_rate' as kpi,
        numerator,
        denominator
    from abandonment
    union all
    select
        4 as kpi_order,
        'aht_seconds' as kpi,
        numerator,
        denominator
    from handle_time
    union all
    select
        5 as kpi_order,
        'transfer_rate' as kpi,
        numerator,
        denominator
    from transfer_rate
    union all
    select
        6 as kpi_order,
        'operational_fcr' as kpi,
        numerator,
        denominator
    from first_contact_resolution
    union all
    select
        7 as kpi_order,
        'csat' as kpi,
        numerator,
        denominator
    from csat
    union all
    select
        8 as kpi_order,
        'nps' as kpi,
        numerator,
        denominator
    from nps
    union all
    select
        9 as kpi_order,
        'occupancy' as kpi,
        numerator,
        denominator
    from occupancy

)

select
    cast(kpi as varchar) as kpi,
    cast(coalesce(numerator, 0) as double) as numerator,
    cast(coalesce(denominator, 0) as double) as denominator,
    cast(numerator as double) / nullif(denominator, 0) as value
from headline
order by kpi_order;
