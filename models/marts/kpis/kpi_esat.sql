-- Employee satisfaction (ESAT) per team and month of the survey: responses,
-- the mean answer (1-5) and the share of satisfied answers (4-5).

with

employee_surveys as (

    -- no mart holds the employee surveys yet: read the clean staging model
    select * from {{ ref('stg_employee_surveys') }}

),

agents as (

    select * from {{ ref('dim_agents') }}

),

answered as (

    select
        -- the roster's current team (the extract has no team history);
        -- an agent missing from the roster keeps a null team
        agents.team,
        cast({{ dbt.date_trunc('month', 'employee_surveys.surveyed_on') }} as date)
            as month_start,
        employee_surveys.esat,
        -- kpis.md: satisfied = 4-5 on the 1-5 scale
        employee_surveys.esat >= 4 as is_satisfied
    from employee_surveys
    left join agents
        on employee_surveys.agent_id = agents.agent_id
    where employee_surveys.esat is not null

),

aggregated as (

    select
        team,
        month_start,
        count(*) as responses,
        count(case when is_satisfied then 1 end) as satisfied,
        sum(esat) as esat_score_sum
    from answered
    group by 1, 2

),

final as (

    select
        team,
        month_start,
        responses,
        satisfied,
        {{ safe_ratio('satisfied', 'responses') }} as satisfied_rate,
        esat_score_sum,
        {{ safe_ratio('esat_score_sum', 'responses') }} as avg_esat_score
    from aggregated

)

select * from final
