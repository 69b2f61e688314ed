-- Caller patience: per queue, the Kaplan-Meier estimate of the share of
-- voice callers who would hang up within t seconds of queueing, next to
-- the naive share, for the checkpoints t of kpis.md. An abandon is an
-- event at its wait; an answered call is censored at its wait (we only
-- know that caller would have waited at least that long). Short abandons
-- are included (kpis.md, "Caller patience").

with

-- the checkpoints t that kpis.md fixes, in seconds
checkpoints as (

    select cast(checkpoint_values.t_seconds as integer) as t_seconds
    from (
        values (10), (20), (30), (60), (90), (120), (180), (300), (600)
    ) as checkpoint_values (t_seconds)

),

queued_callers as (

    select
        queue,
        {{ wait_seconds() }} as wait_seconds,
        outcome = 'abandoned' as is_abandon
    from {{ ref('fct_contacts') }}
    where
        {{ is_queued() }}
        and channel = 'voice'

),

-- one row per queue and distinct observed wait: d abandons and the
-- number at risk n (waits >= that wait: a call censored at a wait is
-- still at risk at it). Every other CTE reads these rows, not the callers:
-- DuckDB would materialize a CTE of every caller that three others read,
-- and the checkpoint counts would cross-join every caller (1.3 s at 10M).
wait_times as (

    select
        queue,
        wait_seconds,
        count(case when is_abandon then 1 end) as abandons_at_wait,
        count(case when not is_abandon then 1 end) as answers_at_wait,
        count(*) as callers_at_wait
    from queued_callers
    group by 1, 2

),

at_risk as (

    select
        queue,
        wait_seconds,
        abandons_at_wait,
        sum(callers_at_wait) over (
            partition by queue
            order by wait_seconds desc
            rows between unbounded preceding and current row
        ) as at_risk_at_wait
    from wait_times

),

-- product-limit factor 1 - d / n at each wait with an abandon
event_factors as (

    select
        queue,
        wait_seconds,
        1 - cast(abandons_at_wait as double) / at_risk_at_wait
            as survival_factor
    from at_risk
    where abandons_at_wait > 0

),

queues as (

    select distinct queue
    from wait_times

),

survival as (

    select
        queues.queue,
        checkpoints.t_seconds,
        {{ product_of('event_factors.survival_factor') }} as km_survival
    from queues
    cross join checkpoints
    left join event_factors
        on
            queues.queue = event_factors.queue
            and checkpoints.t_seconds >= event_factors.wait_seconds
    group by 1, 2

),

counts as (

    select
        wait_times.queue,
        checkpoints.t_seconds,
        cast(sum(wait_times.callers_at_wait) as bigint) as queued,
        cast(sum(wait_times.abandons_at_wait) as bigint) as abandoned,
        cast(sum(
            case
                when wait_times.wait_seconds <= checkpoints.t_seconds
                    then wait_times.abandons_at_wait
                else 0
            end
        ) as bigint) as abandoned_within_t,
        cast(sum(
            case
                when wait_times.wait_seconds <= checkpoints.t_seconds
                    then wait_times.answers_at_wait
                else 0
            end
        ) as bigint) as answered_within_t,
        cast(sum(
            case
                when wait_times.wait_seconds >= checkpoints.t_seconds
                    then wait_times.callers_at_wait
                else 0
            end
        ) as bigint) as at_risk
    from wait_times
    cross join checkpoints
    group by 1, 2

),

final as (

    select
        counts.queue,
        counts.t_seconds,
        counts.queued,
        counts.abandoned,
        counts.abandoned_within_t,
        counts.answered_within_t,
        counts.at_risk,
        survival.km_survival,
        1 - survival.km_survival as km_abandon_share,
        {{ safe_ratio('counts.abandoned_within_t', 'counts.queued') }}
            as naive_abandon_share
    from counts
    inner join survival
        on
            counts.queue = survival.queue
            and counts.t_seconds = survival.t_seconds

)

select * from final
