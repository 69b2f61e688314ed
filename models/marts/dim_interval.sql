-- One row per staffing interval of the local day (var interval_minutes:
-- 15, 30 or 60 minutes, so 96, 48 or 24 rows).

with

intervals as (

    select cast(minute_of_day as integer) as minute_of_day
    from {{ number_series(0, 24 * 60 - 1, var('interval_minutes')) }} as series (minute_of_day)

),

final as (

    select
        cast(minute_of_day / {{ var('interval_minutes') }} as integer) as interval_index,
        {{ dbt.dateadd('minute', 'minute_of_day', "time '00:00'") }} as interval_start_time,
        cast(floor(minute_of_day / 60) as integer) as hour_of_day,
        {{ var('interval_minutes') }} as interval_minutes
    from intervals

)

select * from final
