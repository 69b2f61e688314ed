-- Quality-assurance score per agent and month of the evaluated contact's
-- local date: evaluations and their mean score (0-100).

with

qa_evaluations as (

    select * from {{ ref('fct_qa_evaluations') }}

),

scored as (

    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'contact_date') }} as date)
            as month_start,
        score
    from qa_evaluations
    where score is not null

),

aggregated as (

    select
        agent_id,
        month_start,
        count(*) as evaluations,
        sum(score) as qa_score_sum
    from scored
    group by 1, 2

),

final as (

    select
        agent_id,
        month_start,
        evaluations,
        qa_score_sum,
        {{ safe_ratio('qa_score_sum', 'evaluations') }} as avg_qa_score
    from aggregated

)

select * from final
