-- When are voice callers kept waiting? ASA and service level per local ISO
-- weekday (1 = Monday) and hour, pooled over every queue and date, to set
-- shifts against; voice is the service level's headline channel (kpis.md).
-- A cell with few offered calls swings: read its rates with offered.

with

speed_by_hour as (

    select * from {{ ref('kpi_speed_of_answer_by_hour') }}

),

voice_cells as (

    select
        iso_day_of_week,
        hour_of_day,
        sum(handled) as handled,
        sum(handled_wait_seconds) as handled_wait_seconds,
        sum(answered_within_threshold) as answered_within_threshold,
        sum(offered) as offered
    from speed_by_hour
    where channel = 'voice'
    group by 1, 2

),

final as (

    select
        iso_day_of_week,
        hour_of_day,
        offered,
        handled,
        answered_within_threshold,
        round({{ safe_ratio('handled_wait_seconds', 'handled') }}, 1)
            as asa_seconds,
        round({{ safe_ratio('answered_within_threshold', 'offered') }}, 4)
            as service_level,
        {{ safe_ratio('answered_within_threshold', 'offered') }}
        >= {{ var('service_level_target') }} as meets_target
    from voice_cells

)

select * from final
order by 1, 2
