-- Agent leaderboard per agent and month: five agent metrics, each as a
-- percentile rank among the agents with at least var min_sample_size
-- handled contacts that month (1 = best), and their mean as a composite.
-- Agents below the sample size are listed with their metrics, unranked.

{#- each percentile rank and the metric it ranks -#}
{%- set rank_metrics = [
    ('productivity_rank', 'contacts_per_logged_in_hour'),
    ('fcr_rank', 'operational_fcr'),
    ('csat_rank', 'csat'),
    ('support_quality_rank', 'avg_support_quality'),
    ('qa_score_rank', 'avg_qa_score'),
] %}

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

state_intervals as (

    select * from {{ ref('fct_agent_state_intervals') }}

),

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

qa_evaluations as (

    select * from {{ ref('fct_qa_evaluations') }}

),

-- kpis.md: pending is measured against the last arrival of all clean
-- contacts. A scalar, not a window over every contact: the window kept
-- every contact in memory (at 10M contacts 6.1 s instead of 3.4 s).
last_arrival as (

    select max(arrived_at) as last_arrived_at
    from {{ ref('fct_contacts') }}

),

-- handled contacts count in the month of their local answered_at, like
-- kpi_agent_productivity, so that they meet the logged-in time that
-- produced them; FCR keeps the contact's own (arrival) attribution. Both
-- local times are fct_contacts': converting two instants of every contact
-- here was half of this model's time at 10M.
handled_contacts as (

    select
        contacts.agent_id,
        cast(
            {{ dbt.date_trunc('month', 'contacts.answered_at_local') }} as date
        ) as month_start,
        cast(
            {{ dbt.date_trunc('month', 'contacts.contact_date') }} as date
        ) as contact_month_start,
        {{ fcr_status('last_arrival.last_arrived_at') }} as fcr_status
    from contacts
    cross join last_arrival
    where {{ is_handled() }}

),

-- counted once per agent and both months: the two CTEs below read these
-- few rows (reading handled_contacts twice made DuckDB materialize it)
handled_counts as (

    select
        agent_id,
        month_start,
        contact_month_start,
        count(*) as handled_contacts,
        count(case when fcr_status = 'resolved' then 1 end) as fcr_resolved,
        count(case when fcr_status = 'repeated' then 1 end) as fcr_repeated
    from handled_contacts
    group by 1, 2, 3

),

handled_by_month as (

    select
        agent_id,
        month_start,
        cast(sum(handled_contacts) as bigint) as handled_contacts
    from handled_counts
    group by 1, 2

),

fcr_by_month as (

    select
        agent_id,
        contact_month_start as month_start,
        cast(sum(fcr_resolved) as bigint) as fcr_resolved,
        cast(sum(fcr_repeated) as bigint) as fcr_repeated
    from handled_counts
    group by 1, 2
    having sum(fcr_resolved + fcr_repeated) > 0

),

logged_in_by_month as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'state_date') }} as date)
            as month_start,
        sum(slice_seconds) as logged_in_seconds
    from state_intervals
    where {{ is_logged_in_state() }}
    group by 1, 2

),

surveys_by_month as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'contact_date') }} as date)
            as month_start,
        count(csat) as csat_responses,
        -- kpis.md: satisfied = csat 4 or 5
        count(case when csat >= 4 then 1 end) as csat_satisfied,
        count(support_quality) as support_quality_responses,
        sum(support_quality) as support_quality_sum
    from survey_responses
    where
        agent_id is not null
        and (csat is not null or support_quality is not null)
    group by 1, 2

),

qa_by_month as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'contact_date') }} as date)
            as month_start,
        count(score) as qa_evaluations,
        sum(score) as qa_score_sum
    from qa_evaluations
    where agent_id is not null and score is not null
    group by 1, 2

),

-- every agent and month with any part, so that no agent is lost
grain as (

    select
        agent_id,
        month_start
    from handled_by_month
    union
    select
        agent_id,
        month_start
    from fcr_by_month
    union
    select
        agent_id,
        month_start
    from logged_in_by_month
    union
    select
        agent_id,
        month_start
    from surveys_by_month
    union
    select
        agent_id,
        month_start
    from qa_by_month

),

joined as (

    select
        grain.agent_id,
        grain.month_start,
        coalesce(handled_by_month.handled_contacts, 0) as handled_contacts,
        coalesce(logged_in_by_month.logged_in_seconds, 0) as logged_in_seconds,
        coalesce(fcr_by_month.fcr_resolved, 0) as fcr_resolved,
        coalesce(fcr_by_month.fcr_resolved, 0)
        + coalesce(fcr_by_month.fcr_repeated, 0) as fcr_eligible,
        coalesce(surveys_by_month.csat_satisfied, 0) as csat_satisfied,
        coalesce(surveys_by_month.csat_responses, 0) as csat_responses,
        coalesce(surveys_by_month.support_quality_sum, 0)
            as support_quality_sum,
        coalesce(surveys_by_month.support_quality_responses, 0)
            as support_quality_responses,
        coalesce(qa_by_month.qa_score_sum, 0) as qa_score_sum,
        coalesce(qa_by_month.qa_evaluations, 0) as qa_evaluations
    from grain
    left join handled_by_month
        on
            grain.agent_id = handled_by_month.agent_id
            and grain.month_start = handled_by_month.month_start
    left join fcr_by_month
        on
            grain.agent_id = fcr_by_month.agent_id
            and grain.month_start = fcr_by_month.month_start
    left join logged_in_by_month
        on
            grain.agent_id = logged_in_by_month.agent_id
            and grain.month_start = logged_in_by_month.month_start
    left join surveys_by_month
        on
            grain.agent_id = surveys_by_month.agent_id
            and grain.month_start = surveys_by_month.month_start
    left join qa_by_month
        on
            grain.agent_id = qa_by_month.agent_id
            and grain.month_start = qa_by_month.month_start

),

metrics as (

    select
        agent_id,
        month_start,
        handled_contacts,
        logged_in_seconds,
        {{ safe_ratio('handled_contacts', 'logged_in_seconds / 3600.0') }}
            as contacts_per_logged_in_hour,
        fcr_resolved,
        fcr_eligible,
        {{ safe_ratio('fcr_resolved', 'fcr_eligible') }} as operational_fcr,
        csat_satisfied,
        csat_responses,
        {{ safe_ratio('csat_satisfied', 'csat_responses') }} as csat,
        support_quality_sum,
        support_quality_responses,
        {{ safe_ratio('support_quality_sum', 'support_quality_responses') }}
            as avg_support_quality,
        qa_score_sum,
        qa_evaluations,
        {{ safe_ratio('qa_score_sum', 'qa_evaluations') }} as avg_qa_score,
        handled_contacts >= {{ var('min_sample_size') }} as is_ranked
    from joined

),

-- percentile rank = cume_dist in ascending order (every metric is
-- higher-is-better): the share of the month's ranked agents having the
-- metric whose value is at or below the agent's, so the best agent gets 1,
-- tied agents share the higher rank, and an agent without the metric
-- (null) is left out of that metric's ranking only
ranked as (

    select
        *,
        {% for rank_column, metric in rank_metrics %}
            case
                when is_ranked and {{ metric }} is not null
                    then cume_dist() over (
                        partition by
                            month_start,
                            is_ranked and {{ metric }} is not null
                        order by {{ metric }}
                    )
            end as {{ rank_column }},
        {% endfor %}
        count(case when is_ranked then 1 end) over (
            partition by month_start
        ) as ranked_agents
    from metrics

),

rank_totals as (

    select
        *,
        {% for rank_column, _ in rank_metrics %}
            coalesce({{ rank_column }}, 0)
            {%- if not loop.last %} + {% endif %}
        {% endfor %} as rank_sum,
        {% for rank_column, _ in rank_metrics %}
            case when {{ rank_column }} is not null then 1 else 0 end
            {%- if not loop.last %} + {% endif %}
        {% endfor %} as ranks_available
    from ranked

),

final as (

    select
        agent_id,
        month_start,
        handled_contacts,
        logged_in_seconds,
        logged_in_seconds / 3600.0 as logged_in_hours,
        contacts_per_logged_in_hour,
        fcr_resolved,
        fcr_eligible,
        operational_fcr,
        csat_satisfied,
        csat_responses,
        csat,
        support_quality_sum,
        support_quality_responses,
        avg_support_quality,
        qa_score_sum,
        qa_evaluations,
        avg_qa_score,
        is_ranked,
        ranked_agents,
        productivity_rank,
        fcr_rank,
        csat_rank,
        support_quality_rank,
        qa_score_rank,
        ranks_available,
        {{ safe_ratio('rank_sum', 'ranks_available') }} as composite_rank
    from rank_totals

)

select * from final
