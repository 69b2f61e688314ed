-- Peak hour: per local contact date and queue (all channels together),
-- the local hour of arrival with the most offered contacts, and the
-- traffic of that hour in Erlangs.

{{
    config(
        materialized=incremental_kpi(),
        unique_key='contact_date',
    )
}}

with

contacts as (

    {{ rows_of_rebuilt_dates(ref('fct_contacts'), 'contact_date', 'contact_date') }}

),

classified as (

    select
        {{ local_date('arrived_at') }} as contact_date,
        queue,
        {{ local_hour('arrived_at') }} as hour_of_day,
        {{ is_offered() }} as is_offered,
        {{ is_handled() }} as is_handled,
        {{ handle_seconds() }} as handle_seconds
    from contacts

),

hourly as (

    select
        contact_date,
        queue,
        hour_of_day,
        count(case when is_offered then 1 end) as offered,
        count(case when is_handled then 1 end) as handled,
        coalesce(sum(case when is_handled then handle_seconds end), 0)
            as handle_seconds
    from classified
    group by 1, 2, 3

),

ranked as (

    select
        contact_date,
        queue,
        hour_of_day,
        offered,
        handled,
        handle_seconds,
        cast(
            sum(offered) over (partition by contact_date, queue)
            as {{ dbt.type_bigint() }}
        ) as day_offered,
        -- ties go to the earliest hour (kpis.md)
        row_number() over (
            partition by contact_date, queue
            order by offered desc, hour_of_day asc
        ) as hour_rank
    from hourly

),

final as (

    select
        contact_date,
        queue,
        hour_of_day as peak_hour,
        offered as peak_hour_offered,
        day_offered,
        handled as peak_hour_handled,
        handle_seconds as peak_hour_handle_seconds,
        cast(handle_seconds as double) / 3600 as peak_hour_erlangs
    from ranked
    where
        hour_rank = 1
        -- a date and queue with nothing offered has no peak hour
        and offered > 0

)

select * from final
