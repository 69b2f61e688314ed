-- Is any queue's demand moving? Offered contacts per local ISO week and
-- queue against the week before, with the queue's 28-day surge flag
-- (last 28 days over the 28 before, above 1.2) repeated on each week.
-- Partial first and last weeks (is_complete_week false) understate change.

with

volume_trend as (

    select * from {{ ref('kpi_volume_trend') }}

),

final as (

    select
        queue,
        iso_week_start,
        iso_year,
        iso_week,
        is_complete_week,
        offered,
        offered_previous_week,
        offered - offered_previous_week as offered_change,
        round(
            {{ safe_ratio(
                'offered - offered_previous_week',
                'offered_previous_week'
            ) }},
            4
        ) as offered_change_rate,
        round(
            {{ safe_ratio('offered_last_28d', 'offered_prior_28d') }}, 4
        ) as last_28d_ratio,
        is_surge,
        has_full_prior_28d
    from volume_trend

)

select * from final
order by 1, 2
