-- How long will voice callers wait before hanging up? Per queue and t, the
-- Kaplan-Meier share who would abandon within t if never answered next to
-- the naive share (abandons within t / queued), which answered calls
-- dilute; the gap is the patience that fast answering hides.

with

caller_patience as (

    select * from {{ ref('kpi_caller_patience') }}

),

abandonment as (

    select * from {{ ref('kpi_abandonment') }}

),

-- the same population as caller_patience (queued voice calls, whole
-- period), so its rates sit beside the curve's end
voice_abandonment as (

    select
        queue,
        sum(queued) as queued,
        sum(offered) as offered,
        sum(abandoned) as abandoned,
        sum(lost_contacts) as lost_contacts
    from abandonment
    where channel = 'voice'
    group by 1

),

center_abandonment as (

    select
        sum(abandoned) as abandoned,
        sum(offered) as offered
    from voice_abandonment

),

final as (

    select
        caller_patience.queue,
        caller_patience.t_seconds,
        caller_patience.queued,
        caller_patience.at_risk,
        caller_patience.abandoned_within_t,
        round(caller_patience.km_survival, 4) as km_survival,
        round(caller_patience.km_abandon_share, 4) as km_abandon_share,
        round(
            {{ safe_ratio(
                'caller_patience.abandoned_within_t',
                'caller_patience.queued'
            ) }},
            4
        ) as naive_abandon_share,
        round(
            caller_patience.km_abandon_share
            - {{ safe_ratio(
                'caller_patience.abandoned_within_t',
                'caller_patience.queued'
            ) }},
            4
        ) as km_minus_naive,
        round(
            {{ safe_ratio(
                'voice_abandonment.abandoned',
                'voice_abandonment.offered'
            ) }},
            4
        ) as queue_abandonment_rate,
        round(
            {{ safe_ratio(
                'voice_abandonment.lost_contacts',
                'voice_abandonment.queued'
            ) }},
            4
        ) as queue_lost_share,
        round(
            {{ safe_ratio(
                'center_abandonment.abandoned',
                'center_abandonment.offered'
            ) }},
            4
        ) as center_abandonment_rate
    from caller_patience
    left join voice_abandonment
        on caller_patience.queue = voice_abandonment.queue
    cross join center_abandonment

)

select * from final
order by 1, 2
