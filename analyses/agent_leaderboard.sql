-- Who led the last month that has a ranking? Ranked agents by composite
-- percentile rank (1 = best; tied composites share a position), then the
-- agents under var min_sample_size handled contacts, unranked, busiest first.
-- A month with no ranked agent yet (a month just begun) is skipped.

with

leaderboard as (

    select * from {{ ref('kpi_agent_leaderboard') }}

),

latest_month as (

    select max(month_start) as month_start
    from leaderboard
    where is_ranked

),

month_board as (

    select
        leaderboard.agent_id,
        leaderboard.month_start,
        leaderboard.is_ranked and leaderboard.composite_rank is not null
            as has_position,
        leaderboard.is_ranked,
        leaderboard.ranked_agents,
        leaderboard.composite_rank,
        leaderboard.ranks_available,
        leaderboard.handled_contacts,
        leaderboard.logged_in_hours,
        leaderboard.contacts_per_logged_in_hour,
        leaderboard.operational_fcr,
        leaderboard.fcr_eligible,
        leaderboard.csat,
        leaderboard.csat_responses,
        leaderboard.avg_support_quality,
        leaderboard.support_quality_responses,
        leaderboard.avg_qa_score,
        leaderboard.qa_evaluations,
        leaderboard.productivity_rank,
        leaderboard.fcr_rank,
        leaderboard.csat_rank,
        leaderboard.support_quality_rank,
        leaderboard.qa_score_rank
    from leaderboard
    inner join latest_month
        on leaderboard.month_start = latest_month.month_start

),

final as (

    select
        case
            when has_position
                then rank() over (
                    partition by has_position
                    order by composite_rank desc
                )
        end as leaderboard_position,
        agent_id,
        month_start,
        is_ranked,
        ranked_agents,
        round(composite_rank, 4) as composite_rank,
        ranks_available,
        handled_contacts,
        round(logged_in_hours, 1) as logged_in_hours,
        round(contacts_per_logged_in_hour, 2) as contacts_per_logged_in_hour,
        round(operational_fcr, 4) as operational_fcr,
        fcr_eligible,
        round(csat, 4) as csat,
        csat_responses,
        round(avg_support_quality, 2) as avg_support_quality,
        support_quality_responses,
        round(avg_qa_score, 1) as avg_qa_score,
        qa_evaluations,
        round(productivity_rank, 4) as productivity_rank,
        round(fcr_rank, 4) as fcr_rank,
        round(csat_rank, 4) as csat_rank,
        round(support_quality_rank, 4) as support_quality_rank,
        round(qa_score_rank, 4) as qa_score_rank
    from month_board

)

select * from final
order by 1 nulls last, 4 desc, 8 desc, 2
